import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFile } from '@sts/core';
import type { AuditEvent } from '@sts/db';
import { storedRows } from '@sts/db/testing';
import { readEnv } from '../../src/env';
import { type RunningSts, type StsHooks, startSts } from '../../src/start';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token' as const;
export const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt' as const;

export interface TestSts extends RunningSts {
  dir: string;
  /** Every audit event of the tenant, with trace and detail, newest first. */
  auditEvents(tenantId: string): Promise<AuditEvent[]>;
  /** The rows of a table exactly as stored (no token or secret may ever appear in them). */
  rows(table: Parameters<typeof storedRows>[1]): Record<string, unknown>[];
  issuer(tenantId: string): string;
  token(tenantId: string): string;
  /** Stops the STS and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real STS in this process on a free loopback port, on a real SQLite file in a
 * temporary directory, with `config` as its STS_CONFIG_FILE (input shape: defaults may be left out).
 */
export async function startTestSts(
  config: { tenants: unknown[] } | ConfigFile,
  env: Record<string, string> = {},
  hooks: StsHooks = {},
): Promise<TestSts> {
  const dir = mkdtempSync(join(tmpdir(), 'sts-test-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const sts = await startSts(
    readEnv(
      {
        STS_PORT: '0',
        STS_HOST: '127.0.0.1',
        STS_DATABASE_URL: `file:${join(dir, 'sts.db')}`,
        STS_CONFIG_FILE: configFile,
        STS_MASTER_KEY: randomBytes(32).toString('base64'),
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
    async auditEvents(tenantId) {
      const { items } = await sts.database.audit.query(tenantId, {}, { limit: 10_000 });
      return Promise.all(items.map((e) => sts.database.audit.get(tenantId, e.id)));
    },
    rows: (table) => storedRows(join(dir, 'sts.db'), table),
    issuer: (id) => `${sts.publicUrl}/t/${id}`,
    token: (id) => `${sts.url}/t/${id}/token`,
    async stop() {
      await sts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
