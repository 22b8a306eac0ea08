/**
 * One command, one run: this STS as deployed (SQLite, PostgreSQL), a peer (oidc-provider) and the
 * crypto limit (node:crypto), each a process pinned to the server core, loaded in interleaved
 * rounds by wrk pinned to the other core. See bench/README.md.
 *
 *   pnpm --filter @sts/bench bench [-- --targets sts-sqlite,peer --connections 10,50 --mode actor]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BASIC_AUTH,
  generateSigningKey,
  type KeyPair,
  requestBodies,
  writeBodies,
} from './fixtures';
import { describeMachine } from './machine';
import { type Options, readOptions, type TARGETS } from './options';
import { ratiosTable, resultsTable } from './report';
import { type Load, type Measurement, measure } from './rounds';
import { soak } from './soak';
import { startLimit, startLimitJose, startPeer } from './targets/reference';
import { buildSts, startSts } from './targets/sts';
import type { AuditRecords, Target } from './targets/target';
import { ensureWrk, writeScript, wrk } from './wrk';

const SERVER_CORE = '0';
const LOAD_CORE = '1';
const EVERY_CORE = 'sts-sqlite-every-core';
type TargetName = (typeof TARGETS)[number] | typeof EVERY_CORE;
const isSts = (name: string) => name.startsWith('sts-');

function start(name: TargetName, o: Options, dir: string, idp: KeyPair): Promise<Target> {
  const common = { name, dir, idp, alg: o.alg };
  const sts = { ...common, workers: o.workers, cpus: SERVER_CORE, mode: o.mode, pool: o.pool };
  switch (name) {
    case 'sts-sqlite':
      return startSts({ ...sts, database: 'sqlite' });
    case 'sts-postgres':
      return startSts({ ...sts, database: 'postgres' });
    case EVERY_CORE:
      return startSts({
        ...sts,
        database: 'sqlite',
        workers: 2,
        cpus: `${SERVER_CORE},${LOAD_CORE}`,
      });
    case 'peer':
      return startPeer({ ...common, cpus: SERVER_CORE });
    case 'limit':
      return startLimit({ ...common, cpus: SERVER_CORE });
    case 'limit-jose':
      return startLimitJose({ ...common, cpus: SERVER_CORE });
  }
}

async function main(o: Options): Promise<number> {
  console.log(`Machine: ${describeMachine()}`);
  if (availableParallelism() < 2)
    throw new Error(
      'The benchmark pins the servers and wrk to different cores: it needs two cores or more.',
    );
  ensureWrk();
  // A soak loads one STS target alone; a comparison every target given.
  const names: TargetName[] =
    o.soakSeconds === undefined ? [...o.targets] : o.targets.filter(isSts).slice(0, 1);
  if (names.length === 0) throw new TypeError('--soak needs an STS target in --targets');
  if (o.everyCore && o.soakSeconds === undefined) names.push(EVERY_CORE);
  if (names.some(isSts) && o.build) buildSts({ onlyIfMissing: o.smoke });

  const dir = mkdtempSync(join(tmpdir(), 'sts-bench-'));
  const targets: Target[] = [];
  // Stopped by a signal: wrk is ended, the run unwinds, and the finally below stops the servers
  // (and removes PostgreSQL's directory): none outlives the bench.
  const interrupt = new AbortController();
  const stopRun = (signal: string) => interrupt.abort(new Error(`Interrupted by ${signal}`));
  process.once('SIGINT', stopRun).once('SIGTERM', stopRun);
  try {
    const idp = await generateSigningKey(o.alg, 'idp-1');
    const bodies = writeBodies(dir, await requestBodies(idp, o.mode, o.pool));
    const script = writeScript(dir);
    const load: Load = (t, connections, seconds) => {
      interrupt.signal.throwIfAborted();
      const run = {
        url: t.tokenUrl,
        script,
        bodies,
        authorization: BASIC_AUTH,
        connections,
        seconds,
      };
      return wrk({ ...run, cpus: LOAD_CORE, signal: interrupt.signal }).catch((error: Error) => {
        interrupt.signal.throwIfAborted();
        throw new Error(
          `wrk against ${t.name} failed: ${error.message}\n--- end of ${t.name}'s output ---\n${t.log()}`,
        );
      });
    };
    const tokens = o.mode === 'repeated' ? 'one token' : `${o.pool} distinct subject tokens`;
    console.log(
      `Mode ${o.mode}, ${o.alg}, ${tokens}; servers on core ${SERVER_CORE}, wrk on core ${LOAD_CORE}; STS_WORKERS=${o.workers}.`,
    );
    for (const name of names) targets.push(await start(name, o, dir, idp));

    if (o.soakSeconds !== undefined) {
      const target = targets.pop() as Target;
      const result = await soak(target, o.soakSeconds, o.warmup, (c, s) => load(target, c, s));
      const audit = await target.stop();
      printAudit(target.name, result.answered, audit);
      printWarnings(target);
      return result.withinBound && (audit?.granted ?? 0) >= result.answered ? 0 : 1;
    }

    const m = await measure(targets, o, load);
    printResults(names, o, m);
    const audits = new Map<string, AuditRecords | undefined>();
    const logs = new Map<string, string>();
    for (const t of targets.splice(0)) {
      audits.set(t.name, await t.stop());
      logs.set(t.name, t.log());
      if (!isSts(t.name)) continue;
      printAudit(t.name, m.answeredBy.get(t.name) ?? 0, audits.get(t.name));
      printWarnings(t);
    }
    const failing = failures(names, m, audits);
    for (const [name, problem] of failing)
      console.error(`FAILED: ${problem}\n--- end of ${name}'s output ---\n${logs.get(name)}`);
    return failing.length ? 1 : 0;
  } finally {
    for (const t of targets) await t.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printResults(names: TargetName[], o: Options, m: Measurement): void {
  console.log(
    `\n${o.rounds} interleaved round(s) of ${o.seconds} s per target and connection count (medians):\n`,
  );
  console.log(resultsTable(m.results));
  const ours = names.filter((n) => isSts(n) && n !== EVERY_CORE);
  const references = names.filter((n) => !isSts(n));
  if (ours.length && references.length)
    console.log(`\n${ratiosTable(m.results, ours, references)}`);
  if (o.everyCore) {
    console.log(
      `\nEvery core: STS_WORKERS=2 on cores ${SERVER_CORE},${LOAD_CORE} shares core ${LOAD_CORE} with wrk; over STS_WORKERS=${o.workers} on core ${SERVER_CORE}:\n`,
    );
    console.log(ratiosTable(m.results, [EVERY_CORE], ['sts-sqlite']));
  }
  console.log('');
}

function printAudit(name: string, answeredCount: number, audit: AuditRecords | undefined): void {
  const granted = audit?.granted ?? 0;
  const missing = Math.max(0, answeredCount - granted);
  const cache = audit?.cache
    ? `; verified-token cache: ${audit.cache.hits.toLocaleString('en-US')} hits, ${audit.cache.misses.toLocaleString('en-US')} signatures verified`
    : '';
  console.log(
    `${name} audit: ${granted.toLocaleString('en-US')} granted records (${audit?.denied ?? 0} denied) for ${answeredCount.toLocaleString('en-US')} tokens answered: ${missing} missing${cache}`,
  );
}

function printWarnings(t: Target): void {
  const lines = t.warnings();
  const first = lines.length ? `, the first: ${lines[0]?.slice(0, 400)}` : '';
  console.log(`${t.name} log: ${lines.length} lines at warn or worse${first}`);
}

/**
 * Every target answered; the STS refused nothing and audited every token it answered. A
 * reference target's failures are shown in the table but fail nothing: the STS is under test.
 */
function failures(
  names: string[],
  m: Measurement,
  audits: Map<string, AuditRecords | undefined>,
): [string, string][] {
  const problems: [string, string][] = [];
  for (const name of names) {
    const ok = m.answeredBy.get(name) ?? 0;
    const failed = m.failedBy.get(name) ?? 0;
    if (ok === 0) problems.push([name, `${name} answered no exchange with 2xx`]);
    if (!isSts(name)) continue;
    if (failed > 0) problems.push([name, `${name}: ${failed} non-2xx responses or socket errors`]);
    if ((audits.get(name)?.granted ?? 0) < ok)
      problems.push([name, `${name}: audit records missing`]);
  }
  return problems;
}

try {
  process.exitCode = await main(readOptions(process.argv.slice(2)));
} catch (error) {
  // A wrong option (TypeError) or an interruption needs its message, not a stack.
  const interrupted = error instanceof Error && error.message.startsWith('Interrupted by');
  if (!(error instanceof TypeError) && !interrupted) throw error;
  console.error(
    interrupted ? `${(error as Error).message}: the targets are stopped` : (error as Error).message,
  );
  process.exitCode = interrupted ? 130 : 2;
}
