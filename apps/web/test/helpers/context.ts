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
import { openDatabase } from '@sts/db';
import { appRouter } from '~/server/trpc/root';
import { type Context, createCallerFactory } from '~/server/trpc/trpc';

const createCaller = createCallerFactory(appRouter);

export const STS_PUBLIC_URL = 'http://localhost:8080';
export const CONSOLE_URL = 'http://localhost:3000';

export interface RouterTestDb {
  /** The console services, on the real database. */
  console: ConsoleContext;
  dir: string;
  /** A caller acting as `admin` (null: signed out). */
  as(admin: Admin | null): ReturnType<typeof createCaller>;
  /** Creates an admin with this role and these tenant memberships. */
  admin(role: AdminRole, tenantIds?: string[]): Promise<Admin>;
  close(): Promise<void>;
}

/** A real, migrated SQLite database in a temporary directory, and tRPC callers on it. */
export async function routerTestDb(
  options: { clock?: () => number; allowLoopbackHttpJwks?: boolean } = {},
): Promise<RouterTestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'sts-console-test-'));
  const db = await openDatabase(join(dir, 'sts.db'), { clock: options.clock });
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
    as: (admin) => createCaller({ console: ctx, admin } satisfies Context),
    admin: (role, tenantIds = []) =>
      createAdmin(ctx, {
        email: `${role}-${++n}-${randomBytes(3).toString('hex')}@example.test`,
        password: 'test password 123',
        role,
        tenantIds,
      }),
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
