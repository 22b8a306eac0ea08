import type BetterSqlite3 from 'better-sqlite3';

/**
 * Helpers for the stores' SQL. Stores write through the better-sqlite3 connection, never through
 * Prisma: a Prisma transaction awaits between statements while holding SQLite's write lock, and
 * any synchronous write of this process in the meantime (an audit record) blocks the event loop
 * until busy_timeout and fails. A synchronous transaction cannot interleave with anything.
 */

export type Sqlite = BetterSqlite3.Database;
export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken (waiting up to
 * busy_timeout for other processes) before anything is read, so what `fn` reads stays true
 * until it commits. Rolls back if `fn` throws.
 */
export function writeTransaction<T>(sqlite: Sqlite, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}

/**
 * A DateTime as @prisma/adapter-better-sqlite3 writes it (ISO 8601 with "+00:00"), so rows
 * written here read back through Prisma, and timestamps compare as text in time order.
 */
export function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** SQLite has no boolean type; Prisma reads 0/1 of a BOOLEAN column as false/true. */
export const sqlBoolean = (value: boolean): number => (value ? 1 : 0);

/** Tells polling STS replicas to reload (readConfigVersion). Call inside the writing transaction. */
export function bumpConfigVersion(sqlite: Sqlite): void {
  sqlite
    .prepare(
      'INSERT INTO "config_version" ("id", "version") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "version" = "config_version"."version" + 1',
    )
    .run();
}
