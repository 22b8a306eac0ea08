import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFile } from '@sts/core';
import { readEnv } from '../../src/env';
import { type RunningSts, startSts } from '../../src/start';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export interface TestSts extends RunningSts {
  dir: string;
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
        ...env,
      },
      {},
    ),
    { ...process.env, ...env },
    dir,
  );
  return {
    ...sts,
    dir,
    issuer: (id) => `${sts.publicUrl}/t/${id}`,
    token: (id) => `${sts.url}/t/${id}/token`,
    async stop() {
      await sts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
