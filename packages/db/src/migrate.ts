import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { MigrationError } from './errors';
import type { Dialect } from './internal/sql';

/**
 * Applies the SQL files of migrations/<dialect>/ in order (docs/migrations.md), recording each in
 * `_sts_migrations` with its SHA-256. Safe on every start: applied files are verified, pending
 * ones applied, each in its own transaction. Prisma's migrate engine is not used (ADR 0002).
 */

export type { Dialect };

export interface MigrationFile {
  /** The file name without `.sql`, e.g. `0001_init`. */
  name: string;
  /** SHA-256 (hex) of the SQL, line endings normalized to LF. */
  checksum: string;
  sql: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/** The seam between the runner and a database: one implementation per dialect. */
export interface MigrationDriver {
  readonly dialect: Dialect;
  /** The migrations already applied, creating the bookkeeping table if needed. */
  applied(): Promise<AppliedMigration[]>;
  /**
   * Runs the SQL and records the migration in one transaction, holding a lock that keeps
   * concurrent runners out. Returns false, doing nothing, if another runner applied it first.
   */
  apply(migration: MigrationFile): Promise<boolean>;
}

/**
 * This package's migrations directory. Bundled servers (the console) pass the directory
 * explicitly instead: a bundle's module location is not the package's.
 */
export function packageMigrationsDir(): string {
  return join(import.meta.dirname, '..', 'migrations');
}
const FILE_NAME = /^(\d{4}_[a-z0-9_]+)\.sql$/;

/** Applies the pending migrations; returns the names applied now (empty when up to date). */
export async function migrate(
  driver: MigrationDriver,
  dir: string = packageMigrationsDir(),
): Promise<string[]> {
  const files = readMigrationFiles(join(dir, driver.dialect));
  const byName = new Map(files.map((f) => [f.name, f]));
  const applied = await driver.applied();

  for (const { name, checksum } of applied) {
    const file = byName.get(name);
    if (!file)
      throw new MigrationError(
        `Migration ${name} is applied to this database but migrations/${driver.dialect}/${name}.sql is missing. Restore the file: applied migrations must never be deleted or renamed.`,
      );
    if (file.checksum !== checksum)
      throw new MigrationError(
        `Migration ${name} was changed after it was applied to this database (checksum ${file.checksum}, applied ${checksum}). Restore the original file and put the change in a new migration (docs/migrations.md).`,
      );
  }

  const appliedNames = new Set(applied.map((m) => m.name));
  const last = applied
    .map((m) => m.name)
    .sort()
    .at(-1);
  const pending = files.filter((f) => !appliedNames.has(f.name));
  const early = last === undefined ? undefined : pending.find((f) => f.name < last);
  if (early)
    throw new MigrationError(
      `Migration ${early.name} is not applied but sorts before the applied ${last}. Renumber it after ${last} (docs/migrations.md).`,
    );

  const done: string[] = [];
  for (const file of pending) if (await driver.apply(file)) done.push(file.name);
  return done;
}

function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`No migrations directory ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const name = FILE_NAME.exec(f)?.[1];
      if (!name)
        throw new MigrationError(`${join(dir, f)}: migration files are named NNNN_lower_snake.sql`);
      const sql = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * SQLite. Foreign keys are switched off around each migration, then checked before commit: the
 * table rebuilds Prisma writes for SQLite (create new_x, copy, drop x, rename) would otherwise
 * cascade-delete the rows that reference x (https://www.sqlite.org/lang_altertable.html#otheralter;
 * the PRAGMA lines inside the files are no-ops within a transaction).
 */
export function sqliteMigrationDriver(db: BetterSqlite3.Database): MigrationDriver {
  const ensureTable = () =>
    db.exec(
      'CREATE TABLE IF NOT EXISTS "_sts_migrations" ("name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)',
    );
  return {
    dialect: 'sqlite',
    async applied() {
      ensureTable();
      return db
        .prepare('SELECT "name", "checksum" FROM "_sts_migrations" ORDER BY "name"')
        .all() as AppliedMigration[];
    },
    async apply({ name, checksum, sql }) {
      const foreignKeys = db.pragma('foreign_keys', { simple: true });
      db.pragma('foreign_keys = OFF');
      try {
        const run = db.transaction(() => {
          ensureTable();
          if (db.prepare('SELECT 1 FROM "_sts_migrations" WHERE "name" = ?').get(name))
            return false;
          db.exec(sql);
          const violations = db.pragma('foreign_key_check') as unknown[];
          if (violations.length > 0)
            throw new MigrationError(
              `Migration ${name} leaves ${violations.length} rows violating foreign keys: ${JSON.stringify(violations.slice(0, 5))}`,
            );
          db.prepare(
            'INSERT INTO "_sts_migrations" ("name", "checksum", "applied_at") VALUES (?, ?, ?)',
          ).run(name, checksum, new Date().toISOString());
          return true;
        });
        return run.immediate();
      } catch (err) {
        if (err instanceof MigrationError) throw err;
        throw new MigrationError(`Migration ${name} failed and was rolled back: ${String(err)}`, {
          cause: err,
        });
      } finally {
        db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
      }
    },
  };
}

/** The advisory lock migration runners take on PostgreSQL (an arbitrary constant of this product). */
const MIGRATION_LOCK = 7_283_020;

/**
 * PostgreSQL. Each migration runs in one transaction (PostgreSQL's DDL is transactional) under a
 * transaction-scoped advisory lock, so replicas starting together apply each file once.
 */
export function postgresMigrationDriver(pool: pg.Pool): MigrationDriver {
  const locked = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS "_sts_migrations" ("name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)',
      );
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return {
    dialect: 'postgresql',
    applied: () =>
      locked(
        async (client) =>
          (await client.query('SELECT "name", "checksum" FROM "_sts_migrations" ORDER BY "name"'))
            .rows as AppliedMigration[],
      ),
    async apply({ name, checksum, sql }) {
      try {
        return await locked(async (client) => {
          const done = await client.query('SELECT 1 FROM "_sts_migrations" WHERE "name" = $1', [
            name,
          ]);
          if (done.rowCount) return false;
          // No parameters: the simple query protocol runs the file's statements in turn.
          await client.query(sql);
          await client.query(
            'INSERT INTO "_sts_migrations" ("name", "checksum", "applied_at") VALUES ($1, $2, $3)',
            [name, checksum, new Date().toISOString()],
          );
          return true;
        });
      } catch (err) {
        throw new MigrationError(`Migration ${name} failed and was rolled back: ${String(err)}`, {
          cause: err,
        });
      }
    },
  };
}
