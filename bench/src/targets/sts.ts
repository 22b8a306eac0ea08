/**
 * This STS as users deploy it: the compiled entry (apps/sts/dist/main.js), NODE_ENV=production, a
 * configuration file, the durable audit as shipped, rate limits on (raised above what the load can
 * reach, so their cost is measured and they never refuse), on SQLite or a durable PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres } from '../../../scripts/postgres-cluster.mjs';
import {
  type Alg,
  CLIENT_ID,
  CLIENT_SECRET,
  IDP_ISSUER,
  type KeyPair,
  type Mode,
  SUBJECT_AUDIENCE,
  TARGET_AUDIENCE,
} from '../fixtures';
import { cleanEnv, listeningUrl, spawnPinned, type Target, waitUntilReady } from './target';

const STS_DIR = fileURLToPath(new URL('../../../apps/sts/', import.meta.url));
const ENTRY = join(STS_DIR, 'dist', 'main.js');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TENANT = 'bench';
/** Far above what two cores can send in a rate-limit window. */
const UNREACHABLE_LIMIT = '1000000000';

/**
 * Builds the STS and what it depends on through turbo, as a deployment does (cached when nothing
 * changed). `onlyIfMissing`: the smoke, which `turbo run test` starts after building it.
 */
export function buildSts({ onlyIfMissing = false } = {}): void {
  if (onlyIfMissing && existsSync(ENTRY)) return;
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@sts/sts...', '--output-logs=errors-only'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (!existsSync(ENTRY)) throw new Error(`The STS build did not produce ${ENTRY}`);
}

function tenantConfig(alg: Alg, idp: KeyPair) {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Bench',
        signingAlg: alg,
        clients: [
          { clientId: CLIENT_ID, authMethod: 'client_secret_basic', secret: CLIENT_SECRET },
        ],
        trustedIssuers: [
          {
            issuer: IDP_ISSUER,
            jwks: { keys: [idp.publicJwk] },
            algorithms: [alg],
            audiences: [SUBJECT_AUDIENCE],
            accessTokenTyp: ['at+jwt'],
          },
        ],
        rules: [
          {
            id: 'gateway',
            clients: [CLIENT_ID],
            subjectIssuers: [IDP_ISSUER],
            mode: 'delegation',
            // The client acts for the user, or the agent its actor token names.
            actors: ['client', { issuer: IDP_ISSUER }],
            audiences: [TARGET_AUDIENCE],
            scopes: ['read', 'write'],
            maxChainDepth: 3,
          },
        ],
      },
    ],
  };
}

export interface StsOptions {
  name: string;
  dir: string;
  database: 'sqlite' | 'postgres';
  alg: Alg;
  idp: KeyPair;
  workers: number;
  cpus: string;
  mode: Mode;
  pool: number;
}

/**
 * The verified-token cache's size. The pool's tokens come back in the same order every `pool`
 * requests, so a cache as large as the pool would answer every check of the distinct modes from
 * memory: there it is a tenth of the pool, which a cycle never hits (least recently used out)
 * while every request still pays for looking up and remembering its tokens. The repeated mode
 * runs with the shipped default.
 */
const cacheSize = (o: StsOptions) =>
  o.mode === 'repeated' ? undefined : String(Math.max(1, Math.floor(o.pool / 10)));

export async function startSts(o: StsOptions): Promise<Target> {
  const configFile = join(o.dir, `${o.name}.config.json`);
  writeFileSync(configFile, JSON.stringify(tenantConfig(o.alg, o.idp)));
  const cluster = o.database === 'postgres' ? await startPostgres({ durable: true }) : undefined;
  try {
    if (cluster)
      execFileSync('taskset', ['-a', '-p', '-c', o.cpus, String(cluster.pid())], {
        stdio: 'ignore',
      });
    const sqliteFile = join(o.dir, `${o.name}.db`);
    const sts = spawnPinned(
      o.cpus,
      ['--enable-source-maps', ENTRY],
      cleanEnv({
        NODE_ENV: 'production',
        STS_HOST: '127.0.0.1',
        STS_PORT: '0',
        STS_PUBLIC_URL: 'https://sts.bench.test',
        STS_DATABASE_URL: cluster ? cluster.url : `file:${sqliteFile}`,
        STS_CONFIG_FILE: configFile,
        STS_MASTER_KEY: randomBytes(32).toString('base64'),
        STS_WORKERS: String(o.workers),
        STS_RATE_LIMIT_PER_ADDRESS: UNREACHABLE_LIMIT,
        STS_RATE_LIMIT_PER_CLIENT: UNREACHABLE_LIMIT,
        STS_METRICS_PORT: '0',
        ...(cacheSize(o) ? { STS_VERIFIED_TOKEN_CACHE_SIZE: cacheSize(o) as string } : {}),
      }),
      join(o.dir, `${o.name}.log`),
    );
    const base = await listeningUrl(sts, o.name);
    await waitUntilReady(sts, `${base}/readyz`, o.name);
    const metricsUrl = /"metrics_url":"(http:\/\/[^"]+)"/.exec(sts.log())?.[1];
    return {
      name: o.name,
      tokenUrl: `${base}/t/${TENANT}/token`,
      cpuPids: cluster ? [sts.pid, cluster.pid()] : [sts.pid],
      rssPids: [sts.pid],
      log: sts.log,
      warnings: sts.warnings,
      // Counted once the STS has drained and exited: what it answered for is then on disk.
      async stop() {
        try {
          const cache = metricsUrl ? await cacheCounts(metricsUrl) : undefined;
          await sts.stop();
          const audit = cluster ? await countInPostgres(cluster.url) : countInSqlite(sqliteFile);
          return { ...audit, cache };
        } finally {
          await cluster?.remove();
        }
      },
    };
  } catch (error) {
    await cluster?.remove();
    throw error;
  }
}

/** sts_verified_token_cache_total by result (the metrics listener, summed over workers). */
async function cacheCounts(metricsUrl: string) {
  const text = await fetch(`${metricsUrl}/metrics`).then(
    (res) => res.text(),
    () => '',
  );
  const count = (result: string) =>
    Number(
      new RegExp(`^sts_verified_token_cache_total\\{result="${result}"\\} (\\d+)`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { hits: count('hit'), misses: count('miss') };
}

const COUNT = 'SELECT decision, count(*) AS n FROM audit_events GROUP BY decision';

function tally(rows: { decision: string; n: number | string }[]) {
  const of = (decision: string) => Number(rows.find((r) => r.decision === decision)?.n ?? 0);
  return { granted: of('granted'), denied: of('denied') };
}

function countInSqlite(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return tally(db.prepare(COUNT).all() as { decision: string; n: number }[]);
  } finally {
    db.close();
  }
}

async function countInPostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return tally((await client.query(COUNT)).rows);
  } finally {
    await client.end();
  }
}
