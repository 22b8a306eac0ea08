import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKeys } from '@sts/crypto';
import { type Admin, type AdminRole, openDatabase } from '@sts/db';
import { afterEach, beforeEach } from 'vitest';
import { createAdmin } from '../src/admins';
import { type ConsoleContext, consoleContext } from '../src/context';
import { createTenant } from '../src/tenants';

export const STS_URL = 'https://sts.example.test';
export const CONSOLE_URL = 'https://console.example.test';

export interface ConsoleTest {
  readonly ctx: ConsoleContext;
  /** The database file, for checking what is stored exactly (@sts/db/testing). */
  readonly dbPath: string;
  /** The clock the services read; tests may set it. */
  now: number;
  admin(role: AdminRole, tenantIds?: string[]): Promise<Admin>;
  /** A console tenant created by an owner. */
  tenant(id: string): Promise<Admin>;
}

/** A console context on a fresh, migrated SQLite database per test. */
export function useConsole(): ConsoleTest {
  let dir = '';
  let ctx: ConsoleContext | undefined;
  let n = 0;
  const state: ConsoleTest = {
    now: Date.UTC(2030, 0, 15, 12, 0, 0),
    get ctx() {
      if (!ctx) throw new Error('not open');
      return ctx;
    },
    get dbPath() {
      return join(dir, 'sts.db');
    },
    admin: (role, tenantIds = []) =>
      createAdmin(state.ctx, {
        email: `${role}-${++n}@example.test`,
        password: 'test password 123',
        role,
        tenantIds,
      }),
    async tenant(id) {
      const owner = await state.admin('owner');
      await createTenant(state.ctx, owner, {
        id,
        displayName: id,
        accessTokenTtlSeconds: 300,
        signingAlg: 'ES256',
      });
      return owner;
    },
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sts-console-test-'));
    const db = await openDatabase(join(dir, 'sts.db'), { clock: () => state.now });
    ctx = consoleContext({
      db,
      keys: deriveKeys(createSecretKey(randomBytes(32))),
      stsPublicUrl: STS_URL,
      consoleUrl: CONSOLE_URL,
      allowLoopbackHttpJwks: false,
      clock: () => state.now,
    });
  });
  afterEach(async () => {
    await ctx?.db.close();
    ctx = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return state;
}
