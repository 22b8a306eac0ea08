import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import { migrate, sqliteMigrationDriver } from './migrate';

/**
 * The database handle every store takes: `sqlite` for the prepared statements of the token
 * endpoint's hot path, `prisma` for everything else. Two connections to the same file.
 */
export interface Database {
  readonly sqlite: BetterSqlite3.Database;
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its directory if needed) and migrates the SQLite database at `url`:
 * `file:./data/sts.db`, `file:///abs/sts.db` or a plain path (relative to the working directory).
 */
export async function openDatabase(
  url: string,
  options: { migrationsDir?: string } = {},
): Promise<Database> {
  const path = sqlitePath(url);
  mkdirSync(dirname(path), { recursive: true });

  const sqlite = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    sqlite.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than on every commit: an audit write costs
    // microseconds, and a crash of the process loses nothing (a power cut may lose the last commits).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    await migrate(sqliteMigrationDriver(sqlite), options.migrationsDir);
  } catch (err) {
    sqlite.close();
    throw err;
  }

  // The adapter opens its own connection; better-sqlite3 builds SQLite with foreign keys on.
  const adapter = new PrismaBetterSQLite3({ url: path, timeout: BUSY_TIMEOUT_MS });
  const prisma = new PrismaClient({ adapter });
  return {
    sqlite,
    prisma,
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
  };
}

function sqlitePath(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  const path = url.replace(/^file:/, '').replace(/\?.*$/, '');
  if (path === '' || path === ':memory:' || /^[a-z][a-z0-9+.-]*:\/\//i.test(path))
    throw new TypeError(
      `Unsupported database URL "${url}": give a SQLite file, "file:<path>" or a path (in-memory and server databases are not supported yet)`,
    );
  return resolve(path);
}
