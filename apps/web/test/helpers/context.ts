import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Admin,
  type AdminRole,
  type ConsoleContext,
  consoleContext,
  createAdmin,
} from '@sts/console';
import { deriveKeys } from '@sts/crypto';
import { databaseLocation, openDatabase } from '@sts/db';
import { createTestDatabase } from '@sts/db/testing';
import { appRouter } from '~/server/trpc/root';
import { type Context, createCallerFactory } from '~/server/trpc/trpc';

const createCaller = createCallerFactory(appRouter);

export const STS_PUBLIC_URL = 'http://localhost:8080';
export const CONSOLE_URL = 'http://localhost:3000';

export interface RouterTestDb {
  /** The console services, on the real database. */
  console: ConsoleContext;
  dir: string;
  /**
   * The database's STS_DATABASE_URL, for checking what is stored exactly (@sts/db/testing's
   * storedRows): a SQLite file, or a PostgreSQL database in the PostgreSQL pass.
   */
  url: string;
  /** A caller acting as `admin` (null: signed out). */
  as(admin: Admin | null): ReturnType<typeof createCaller>;
  /** Creates an admin with this role and these tenant memberships. */
  admin(role: AdminRole, tenantIds?: string[]): Promise<Admin>;
  close(): Promise<void>;
}

/**
 * A real, migrated database (createTestDatabase: a SQLite file in a temporary directory, or a
 * PostgreSQL database when STS_TEST_POSTGRES_URL is set), and tRPC callers on it.
 */
export async function routerTestDb(
  options: { clock?: () => number; allowLoopbackHttpJwks?: boolean } = {},
): Promise<RouterTestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'sts-console-test-'));
  const database = await createTestDatabase(dir);
  const db = await openDatabase(databaseLocation({ databaseUrl: database.url }, dir), {
    clock: options.clock,
  });
  const ctx = consoleContext({
    db,
    keys: deriveKeys(createSecretKey(randomBytes(32))),
    stsPublicUrl: STS_PUBLIC_URL,
    consoleUrl: CONSOLE_URL,
    allowLoopbackHttpJwks: options.allowLoopbackHttpJwks ?? false,
    clock: options.clock,
  });
  let n = 0;
  return {
    console: ctx,
    dir,
    url: database.url,
    as: (admin) => createCaller({ console: ctx, admin } satisfies Context),
    admin: (role, tenantIds = []) =>
      createAdmin(ctx, {
        email: `${role}-${++n}-${randomBytes(3).toString('hex')}@example.test`,
        password: 'test password 123',
        role,
        tenantIds,
      }),
    async close() {
      try {
        await db.close();
      } finally {
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
