import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKeys } from '@sts/crypto';
import { type Admin, type AdminRole, databaseLocation, openDatabase } from '@sts/db';
import { createTestDatabase, type TestDatabase } from '@sts/db/testing';
import { afterEach, beforeEach } from 'vitest';
import { createAdmin } from '../src/admins';
import { type ConsoleContext, consoleContext } from '../src/context';
import { createTenant } from '../src/tenants';

export const STS_URL = 'https://sts.example.test';
export const CONSOLE_URL = 'https://console.example.test';

export interface ConsoleTest {
  readonly ctx: ConsoleContext;
  /**
   * The database's STS_DATABASE_URL, for checking what is stored exactly (@sts/db/testing's
   * storedRows): a SQLite file, or a PostgreSQL database in the PostgreSQL pass.
   */
  readonly dbUrl: string;
  /** The clock the services read; tests may set it. */
  now: number;
  admin(role: AdminRole, tenantIds?: string[]): Promise<Admin>;
  /** A console tenant created by an owner. */
  tenant(id: string): Promise<Admin>;
}

/**
 * A console context on a fresh, migrated database per test (createTestDatabase: SQLite, or
 * PostgreSQL when STS_TEST_POSTGRES_URL is set), dropped afterwards.
 */
export function useConsole(): ConsoleTest {
  let dir = '';
  let ctx: ConsoleContext | undefined;
  let database: TestDatabase | undefined;
  let n = 0;
  const state: ConsoleTest = {
    now: Date.UTC(2030, 0, 15, 12, 0, 0),
    get ctx() {
      if (!ctx) throw new Error('not open');
      return ctx;
    },
    get dbUrl() {
      if (!database) throw new Error('not open');
      return database.url;
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
    database = await createTestDatabase(dir);
    const db = await openDatabase(databaseLocation({ databaseUrl: database.url }, dir), {
      clock: () => state.now,
    });
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
    try {
      await ctx?.db.close();
    } finally {
      ctx = undefined;
      await database?.drop();
      database = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return state;
}
