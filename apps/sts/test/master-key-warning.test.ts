/**
 * The master key decrypts every signing key. Generated into the data directory when
 * STS_MASTER_KEY is not set, it sits beside the database by default: one copy of that directory
 * holds both. The STS says so at every start (SECURITY.md says how to keep it elsewhere).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../src/env';
import { startSts } from '../src/start';
import { captureLog } from './helpers/log';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sts-master-key-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts and stops the STS with `env`; returns the messages of its warning log lines. */
async function warningsOfStart(env: Record<string, string>): Promise<string[]> {
  const captured = captureLog('warn');
  const sts = await startSts(
    readEnv({ STS_PORT: '0', STS_HOST: '127.0.0.1', ...env }, {}),
    {},
    dir,
    { log: captured.log },
  );
  await sts.close();
  return captured
    .lines()
    .filter((line) => line.level === 'warn')
    .map((line) => line.msg as string);
}

describe('the master key at start', () => {
  it('warns when it is generated into, or read from, the database directory', async () => {
    const data = join(dir, 'beside');
    const expected = `WARNING: the master key is in ${join(data, 'master.key')}, beside the database. Anyone with a copy of that directory can decrypt the signing keys. Set STS_MASTER_KEY from a secret store, or STS_DATA_DIR to another volume (SECURITY.md).`;
    const env = { STS_DATABASE_URL: `file:${join(data, 'sts.db')}` };
    expect(await warningsOfStart(env)).toEqual([expected]);
    // The second start reads the file it created: still beside the database.
    expect(await warningsOfStart(env)).toEqual([expected]);
  });

  it('says nothing with STS_MASTER_KEY set, or the key file on another directory', async () => {
    expect(
      await warningsOfStart({
        STS_DATABASE_URL: `file:${join(dir, 'env-key', 'sts.db')}`,
        STS_MASTER_KEY: randomBytes(32).toString('base64'),
      }),
    ).toEqual([]);
    expect(
      await warningsOfStart({
        STS_DATABASE_URL: `file:${join(dir, 'apart', 'sts.db')}`,
        STS_DATA_DIR: join(dir, 'apart-keys'),
      }),
    ).toEqual([]);
  });
});
