/**
 * One command, one run: this STS as deployed (SQLite, PostgreSQL), a peer (oidc-provider) and the
 * crypto limit (node:crypto), each a process pinned to the server core, loaded in interleaved
 * rounds by wrk pinned to the other core. See bench/README.md.
 *
 *   pnpm --filter @sts/bench bench [-- --targets sts-sqlite,peer --connections 10,50 --mode actor]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ALGS,
  type Alg,
  BASIC_AUTH,
  generateSigningKey,
  type KeyPair,
  MODES,
  type Mode,
  requestBodies,
  writeBodies,
} from './fixtures';
import { describeMachine } from './machine';
import { usage } from './process-stats';
import { answered, type Figures, figures, ratiosTable, resultsTable, type Sample } from './report';
import { soak } from './soak';
import { startLimit, startPeer } from './targets/reference';
import { buildSts, startSts } from './targets/sts';
import type { AuditRecords, Target } from './targets/target';
import { ensureWrk, writeScript, wrk } from './wrk';

const SERVER_CORE = '0';
const LOAD_CORE = '1';
const TARGETS = ['sts-sqlite', 'sts-postgres', 'peer', 'limit'] as const;
type TargetName = (typeof TARGETS)[number] | 'sts-sqlite-every-core';

const { values } = parseArgs({
  // pnpm passes the `--` of `pnpm bench -- --seconds 5` on.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    targets: { type: 'string', default: TARGETS.join(',') },
    connections: { type: 'string', default: '10,50' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string' },
    mode: { type: 'string', default: 'distinct' },
    alg: { type: 'string', default: 'ES256' },
    pool: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    'every-core': { type: 'boolean', default: false },
    soak: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new TypeError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}
function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${flag} must be a positive integer`);
  return n;
}

const smoke = values.smoke;
const settings = {
  targets: (smoke ? TARGETS.join(',') : values.targets)
    .split(',')
    .map((t) => choice(t.trim(), TARGETS, 'targets')),
  connections: (smoke ? '4' : values.connections).split(',').map((c) => positive(c, 'connections')),
  seconds: smoke ? 1 : positive(values.seconds, 'seconds'),
  rounds: smoke ? 1 : positive(values.rounds, 'rounds'),
  // A soak measures memory once the heap has settled: its warm-up is longer.
  warmup: smoke ? 2 : positive(values.warmup ?? (values.soak ? '60' : '3'), 'warmup'),
  mode: choice(values.mode, MODES, 'mode') as Mode,
  alg: choice(values.alg, ALGS, 'alg') as Alg,
  pool: smoke ? 20 : positive(values.pool, 'pool'),
  workers: positive(values.workers, 'workers'),
  everyCore: values['every-core'],
  soakSeconds: values.soak === undefined ? undefined : positive(values.soak, 'soak'),
};
const isSts = (name: string) => name.startsWith('sts-');

async function start(name: TargetName, dir: string, idp: KeyPair): Promise<Target> {
  const common = { name, dir, idp, alg: settings.alg };
  switch (name) {
    case 'sts-sqlite':
      return startSts({
        ...common,
        database: 'sqlite',
        workers: settings.workers,
        cpus: SERVER_CORE,
      });
    case 'sts-postgres':
      return startSts({
        ...common,
        database: 'postgres',
        workers: settings.workers,
        cpus: SERVER_CORE,
      });
    case 'sts-sqlite-every-core':
      return startSts({
        ...common,
        database: 'sqlite',
        workers: 2,
        cpus: `${SERVER_CORE},${LOAD_CORE}`,
      });
    case 'peer':
      return startPeer({ ...common, cpus: SERVER_CORE });
    case 'limit':
      return startLimit({ ...common, cpus: SERVER_CORE });
  }
}

async function main(): Promise<number> {
  console.log(`Machine: ${describeMachine()}`);
  ensureWrk();
  // A soak loads one STS target alone; a comparison every target given.
  const names: TargetName[] =
    settings.soakSeconds === undefined
      ? [...settings.targets]
      : settings.targets.filter(isSts).slice(0, 1);
  if (names.length === 0) throw new TypeError('--soak needs an STS target in --targets');
  if (settings.everyCore && settings.soakSeconds === undefined) names.push('sts-sqlite-every-core');
  if (names.some(isSts) && !values['no-build']) buildSts({ onlyIfMissing: smoke });

  const dir = mkdtempSync(join(tmpdir(), 'sts-bench-'));
  const targets: Target[] = [];
  const auditOf = new Map<string, AuditRecords | undefined>();
  try {
    const idp = await generateSigningKey(settings.alg, 'idp-1');
    const bodies = writeBodies(dir, await requestBodies(idp, settings.mode, settings.pool));
    const script = writeScript(dir);
    const load = (t: Target, connections: number, seconds: number, cpus = LOAD_CORE) =>
      wrk({
        url: t.tokenUrl,
        script,
        bodies,
        authorization: BASIC_AUTH,
        connections,
        seconds,
        cpus,
      }).catch((error: Error) => {
        throw new Error(
          `wrk against ${t.name} failed: ${error.message}\n--- end of ${t.name}'s output ---\n${t.log()}`,
        );
      });
    console.log(
      `Mode ${settings.mode}, ${settings.alg}, ${settings.mode === 'repeated' ? 'one token' : `${settings.pool} distinct subject tokens`}; ` +
        `servers on core ${SERVER_CORE}, wrk on core ${LOAD_CORE}; STS_WORKERS=${settings.workers}.`,
    );
    for (const name of names) targets.push(await start(name, dir, idp));

    if (settings.soakSeconds !== undefined) {
      const target = targets[0] as Target;
      const result = await soak(target, settings.soakSeconds, settings.warmup, (c, s) =>
        load(target, c, s),
      );
      targets.splice(targets.indexOf(target), 1);
      const audit = await target.stop();
      printAudit(target.name, result.answered, audit);
      printWarnings(target);
      return result.withinBound && (audit?.granted ?? 0) >= result.answered ? 0 : 1;
    }

    // Answered exchanges per target over every wrk run, warm-up included (checked against audit).
    const answeredBy = new Map<string, number>();
    const failedBy = new Map<string, number>();
    const add = (name: string, w: Awaited<ReturnType<typeof load>>) => {
      answeredBy.set(name, (answeredBy.get(name) ?? 0) + answered(w));
      failedBy.set(name, (failedBy.get(name) ?? 0) + w.non2xx + w.socketErrors);
    };
    for (const t of targets)
      add(t.name, await load(t, Math.max(...settings.connections), settings.warmup));

    const samples = new Map<string, Map<number, Sample[]>>();
    for (let round = 0; round < settings.rounds; round++)
      // Each round starts with another target, so drift and order hit all targets alike.
      for (const connections of settings.connections)
        for (let i = 0; i < targets.length; i++) {
          const t = targets[(i + round) % targets.length] as Target;
          const before = usage(t.cpuPids, t.rssPids);
          const w = await load(t, connections, settings.seconds);
          const after = usage(t.cpuPids, t.rssPids);
          add(t.name, w);
          const byConnections = samples.get(t.name) ?? new Map<number, Sample[]>();
          samples.set(t.name, byConnections);
          const list = byConnections.get(connections) ?? [];
          byConnections.set(connections, list);
          list.push({
            wrk: w,
            cpuSeconds: after.cpuSeconds - before.cpuSeconds,
            rssBytes: after.rssBytes,
          });
        }

    const results = new Map<string, Map<number, Figures>>();
    for (const t of targets) {
      const byConnections = new Map<number, Figures>();
      for (const [connections, list] of samples.get(t.name) ?? [])
        byConnections.set(connections, figures(list));
      results.set(t.name, byConnections);
    }
    console.log(
      `\n${settings.rounds} interleaved round(s) of ${settings.seconds} s per target and connection count (medians):\n`,
    );
    console.log(resultsTable(results));
    const ours = names.filter(isSts).filter((n) => n !== 'sts-sqlite-every-core');
    const references = names.filter((n) => n === 'peer' || n === 'limit');
    if (ours.length && references.length)
      console.log(`\n${ratiosTable(results, ours, references)}`);
    if (settings.everyCore) {
      console.log(
        `\nEvery core: STS_WORKERS=2 on cores ${SERVER_CORE},${LOAD_CORE} shares core ${LOAD_CORE} with wrk; over STS_WORKERS=${settings.workers} on core ${SERVER_CORE}:\n`,
      );
      console.log(ratiosTable(results, ['sts-sqlite-every-core'], ['sts-sqlite']));
    }

    console.log('');
    const logs = new Map<string, string>();
    for (const t of targets.splice(0)) {
      auditOf.set(t.name, await t.stop());
      logs.set(t.name, t.log());
      if (!isSts(t.name)) continue;
      printAudit(t.name, answeredBy.get(t.name) ?? 0, auditOf.get(t.name));
      printWarnings(t);
    }
    const failing = failures(names, answeredBy, failedBy, auditOf);
    for (const [name, problem] of failing)
      console.error(`FAILED: ${problem}\n--- end of ${name}'s output ---\n${logs.get(name)}`);
    return failing.length ? 1 : 0;
  } finally {
    for (const t of targets) await t.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printAudit(name: string, answeredCount: number, audit: AuditRecords | undefined): void {
  const granted = audit?.granted ?? 0;
  const missing = Math.max(0, answeredCount - granted);
  console.log(
    `${name} audit: ${granted.toLocaleString('en-US')} granted records (${audit?.denied ?? 0} denied) for ${answeredCount.toLocaleString('en-US')} tokens answered: ${missing} missing`,
  );
}

function printWarnings(t: Target): void {
  const lines = t.warnings();
  console.log(
    `${t.name} log: ${lines.length} lines at warn or worse${lines.length ? `, the first: ${lines[0]?.slice(0, 400)}` : ''}`,
  );
}

/**
 * Every target answered; the STS refused nothing and audited every token it answered. A
 * reference target's failures are shown in the table but fail nothing: the STS is under test.
 */
function failures(
  names: string[],
  answeredBy: Map<string, number>,
  failedBy: Map<string, number>,
  auditOf: Map<string, AuditRecords | undefined>,
): [string, string][] {
  const problems: [string, string][] = [];
  for (const name of names) {
    const ok = answeredBy.get(name) ?? 0;
    const failed = failedBy.get(name) ?? 0;
    if (ok === 0) problems.push([name, `${name} answered no exchange with 2xx`]);
    if (!isSts(name)) continue;
    if (failed > 0) problems.push([name, `${name}: ${failed} non-2xx responses or socket errors`]);
    if ((auditOf.get(name)?.granted ?? 0) < ok)
      problems.push([name, `${name}: audit records missing`]);
  }
  return problems;
}

process.exitCode = await main();
