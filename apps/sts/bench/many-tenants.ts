/**
 * Start-up time, memory per tenant, and request latency while the configuration changes, at many
 * tenants (docs/deployment.md, "Many tenants"; decision 0022).
 *
 *   pnpm --filter @sts/sts bench:tenants [-- --tenants 1000,10000 --seconds 3]
 *
 * For each count, in a fresh process and a fresh SQLite database: tenants of 5 clients, 2 trusted
 * issuers and 5 rules each, from a config file. Prints
 * - the first start (apply the file, make every tenant's signing key, load) and a restart on the
 *   same database (load only), and the resident memory the loaded tenants take, per tenant;
 * - the latency of one tenant's JWKS, requested back to back over one keep-alive connection:
 *   quiet, while a console (another process) changes another tenant every 100 ms, and while a
 *   change to every tenant (a NULL change log entry) is reloaded.
 * The STS and the client share a process (and the machine, the console): compare the rows, not
 * absolute figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execSql } from '@sts/db/testing';
import { readEnv } from '../src/env';
import { type RunningSts, startSts } from '../src/start';
import { forkConsoleWriter } from '../test/helpers/console-writer';
import {
  keepAlive,
  manyTenantsConfig,
  quantile,
  sampleLatency,
  tenantId,
} from '../test/helpers/many-tenants';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    tenants: { type: 'string', default: '1000,10000' },
    seconds: { type: 'string', default: '3' },
    step: { type: 'string' },
    count: { type: 'string' },
    dir: { type: 'string' },
  },
});
const POLL_MS = 100;
/** The same master key for both steps (the first seals the signing keys, the second opens them). */
const MASTER_KEY = 'YmVuY2gtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWJjZGU=';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(9);

if (values.step === undefined) {
  // Each step in its own process: start-up and memory figures are not mixed with another's.
  for (const count of values.tenants.split(',')) {
    const dir = mkdtempSync(join(tmpdir(), 'sts-bench-tenants-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(manyTenantsConfig(Number(count))));
    try {
      for (const step of ['seed', 'measure']) {
        const child = spawnSync(
          process.execPath,
          [
            ...process.execArgv,
            process.argv[1] as string,
            ...['--step', step, '--count', count, '--dir', dir, '--seconds', values.seconds],
          ],
          { stdio: 'inherit' },
        );
        if (child.status !== 0) process.exit(child.status ?? 1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} else {
  const count = Number(values.count);
  const dir = values.dir as string;
  const env = readEnv(
    {
      STS_PORT: '0',
      STS_HOST: '127.0.0.1',
      STS_DATABASE_URL: `file:${join(dir, 'sts.db')}`,
      STS_CONFIG_FILE: join(dir, 'config.json'),
      STS_MASTER_KEY: MASTER_KEY,
      STS_CONFIG_POLL_MS: String(POLL_MS),
      STS_RATE_LIMIT_PER_ADDRESS: '0',
      STS_RATE_LIMIT_PER_CLIENT: '0',
    },
    {},
  );
  const baseline = rss();
  const began = performance.now();
  const sts = await startSts(env, {}, dir);
  const startMs = performance.now() - began;
  if (values.step === 'seed') {
    console.log(
      `${count} tenants: first start ${seconds(startMs)} (applies the file, makes ${count} signing keys, loads)`,
    );
  } else {
    const used = rss();
    console.log(
      `${count} tenants: start ${seconds(startMs)} (the tenants in the database); resident memory ` +
        `${Math.round(used)} MiB, ${Math.round(used - baseline)} MiB more than before the start: ` +
        `${Math.round(((used - baseline) / count) * 1024)} KiB per tenant`,
    );
    await latency(sts, env.STS_DATABASE_URL, dir, count, Number(values.seconds) * 1000);
  }
  await sts.close();
}

async function latency(
  sts: RunningSts,
  databaseUrl: string,
  dir: string,
  count: number,
  windowMs: number,
): Promise<void> {
  const url = `${sts.url}/t/${tenantId(7)}/jwks.json`;
  const agent = keepAlive();
  await sampleLatency(url, 500, agent);
  const report = (name: string, samples: number[]) =>
    console.log(
      `  ${name.padEnd(36)} n=${String(samples.length).padStart(6)}  p50 ${ms(quantile(samples, 0.5))}  p90 ${ms(quantile(samples, 0.9))}  p99 ${ms(quantile(samples, 0.99))}  max ${ms(Math.max(...samples))}`,
    );
  report('quiet', await sampleLatency(url, windowMs, agent));

  const changed = tenantId(count - 1);
  const consoleWriter = forkConsoleWriter({
    databaseUrl,
    dir,
    tenantId: changed,
    intervalMs: POLL_MS,
  });
  await consoleWriter.start();
  report('another tenant changed every 100 ms', await sampleLatency(url, windowMs, agent));
  await consoleWriter.stop();
  consoleWriter.close();
  await new Promise((ok) => setTimeout(ok, POLL_MS * 3));

  // A change to every tenant: reloaded in id order, so the last id is reloaded last.
  const loadsBefore = sts.app.registry.loadCount(changed);
  await execSql(
    databaseUrl,
    `UPDATE "config_version" SET "version" = "version" + 1 WHERE "id" = 1;
     INSERT INTO "config_changes" ("version", "tenant_id") SELECT "version", NULL FROM "config_version" WHERE "id" = 1;`,
  );
  const began = performance.now();
  const during: number[] = [];
  while (sts.app.registry.loadCount(changed) === loadsBefore)
    during.push(...(await sampleLatency(url, 20, agent)));
  report(`while all reload (${seconds(performance.now() - began)})`, during);

  agent.destroy();
}

function rss(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}
