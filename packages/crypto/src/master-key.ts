import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasterKeyError } from './errors';

const MASTER_KEY_BYTES = 32;
const MASTER_KEY_FILE = 'master.key';

/**
 * The master key every other key is derived from (./derive.ts): `envValue` (STS_MASTER_KEY) when
 * given, else `<dataDir>/master.key`, which is created (mode 0600) with a random key on first use.
 * Either holds 32 bytes, base64 (or base64url); `openssl rand -base64 32` makes one.
 */
export function loadOrCreateMasterKey(dataDir: string | undefined, envValue?: string): KeyObject {
  if (envValue !== undefined) return parseMasterKey(envValue, 'STS_MASTER_KEY');
  if (dataDir === undefined)
    throw new MasterKeyError(
      'Set STS_MASTER_KEY (every process sharing the database must use the same one; generate it with: openssl rand -base64 32), or STS_DATA_DIR to a directory that holds master.key',
    );

  const file = join(dataDir, MASTER_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': never overwrite; a concurrent first start reads the other one's key instead.
    writeFileSync(file, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseMasterKey(readFileSync(file, 'utf8'), file);
}

function parseMasterKey(value: string, source: string): KeyObject {
  const text = value.trim();
  const bytes = Buffer.from(text, 'base64');
  const canonical = (b: string) => b.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (bytes.length !== MASTER_KEY_BYTES || canonical(bytes.toString('base64')) !== canonical(text))
    throw new MasterKeyError(
      `${source} must hold ${MASTER_KEY_BYTES} bytes, base64-encoded, and does not (it decodes to ${bytes.length} bytes). Generate one with: openssl rand -base64 32`,
    );
  return createSecretKey(bytes);
}
