import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFile } from '@sts/core';
import type { AuditEvent } from '@sts/db';
import { createTestDatabase, storedRows } from '@sts/db/testing';
import { readEnv } from '../../src/env';
import { type RunningSts, type StsHooks, startSts } from '../../src/start';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token' as const;
export const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt' as const;

export interface TestSts extends RunningSts {
  dir: string;
  /** Its STS_DATABASE_URL: a SQLite file in `dir`, or a PostgreSQL database (see @sts/db/testing). */
  databaseUrl: string;
  /** Its STS_MASTER_KEY (another STS on the same database needs the same). */
  masterKey: string;
  /** Every audit event of the tenant, with trace and detail, newest first. */
  auditEvents(tenantId: string): Promise<AuditEvent[]>;
  /** The rows of a table exactly as stored (no token or secret may ever appear in them). */
  rows(table: Parameters<typeof storedRows>[1]): Promise<Record<string, unknown>[]>;
  issuer(tenantId: string): string;
  token(tenantId: string): string;
  /** Stops the STS and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real STS in this process on a free loopback port, on a fresh database (a SQLite file
 * in a temporary directory, or a PostgreSQL database in the test command's PostgreSQL pass), with
 * `config` as its STS_CONFIG_FILE (input shape: defaults may be left out).
 */
export async function startTestSts(
  config: { tenants: unknown[] } | ConfigFile,
  env: Record<string, string> = {},
  hooks: StsHooks = {},
): Promise<TestSts> {
  const dir = mkdtempSync(join(tmpdir(), 'sts-test-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  // A database of its own, unless it is to share another STS's.
  const database = env.STS_DATABASE_URL ? undefined : await createTestDatabase(dir);
  const databaseUrl = env.STS_DATABASE_URL ?? (database?.url as string);
  const masterKey = env.STS_MASTER_KEY ?? randomBytes(32).toString('base64');
  const sts = await startSts(
    readEnv(
      {
        STS_PORT: '0',
        STS_HOST: '127.0.0.1',
        STS_DATABASE_URL: databaseUrl,
        STS_CONFIG_FILE: configFile,
        STS_MASTER_KEY: masterKey,
        STS_ALLOW_LOOPBACK_HTTP_JWKS: 'true',
        STS_CONFIG_POLL_MS: '200',
        // Suites send many requests from loopback; the tests of the limits set their own.
        STS_RATE_LIMIT_PER_ADDRESS: '0',
        STS_RATE_LIMIT_PER_CLIENT: '0',
        // No access line per request in the test output (the log tests pass their own logger).
        STS_LOG_LEVEL: 'warn',
        ...env,
      },
      {},
    ),
    { ...process.env, ...env },
    dir,
    hooks,
  );
  return {
    ...sts,
    dir,
    databaseUrl,
    masterKey,
    async auditEvents(tenantId) {
      const { items } = await sts.database.audit.query(tenantId, {}, { limit: 10_000 });
      return Promise.all(items.map((e) => sts.database.audit.get(tenantId, e.id)));
    },
    rows: (table) => storedRows(databaseUrl, table),
    issuer: (id) => `${sts.publicUrl}/t/${id}`,
    token: (id) => `${sts.url}/t/${id}/token`,
    async stop() {
      await sts.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
