import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Admin,
  type AdminRole,
  createAdminUser,
  type Database,
  deriveKeys,
  openDatabase,
} from '@sts/db';
import { appRouter } from '~/server/trpc/root';
import { type Context, createCallerFactory } from '~/server/trpc/trpc';

const createCaller = createCallerFactory(appRouter);

export interface RouterTestDb {
  database: Database;
  keys: ReturnType<typeof deriveKeys>;
  dir: string;
  /** A caller acting as `admin` (null: signed out), on the real database. */
  as(admin: Admin | null): ReturnType<typeof createCaller>;
  /** Creates an admin with this role and these tenant memberships. */
  admin(role: AdminRole, tenantIds?: string[]): Promise<Admin>;
  close(): Promise<void>;
}

/** A real, migrated SQLite database in a temporary directory, and tRPC callers on it. */
export async function routerTestDb(): Promise<RouterTestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'sts-console-test-'));
  const database = await openDatabase(`file:${join(dir, 'sts.db')}`);
  const keys = deriveKeys(createSecretKey(randomBytes(32)));
  let n = 0;
  return {
    database,
    keys,
    dir,
    as: (admin) => createCaller({ database, keys, admin } satisfies Context),
    admin: (role, tenantIds = []) =>
      createAdminUser(database.prisma, {
        email: `${role}-${++n}-${randomBytes(3).toString('hex')}@example.test`,
        password: 'test password 123',
        role,
        tenantIds,
      }),
    async close() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
