import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { type Database, openDatabase } from '../src/open';

/** A fresh temporary directory per test, removed afterwards. */
export function useTempDir(): { readonly path: string } {
  let path = '';
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), 'sts-db-test-'));
  });
  afterEach(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
  };
}

export interface TempDatabase {
  readonly db: Database;
  /** The database file. */
  readonly path: string;
  readonly dir: string;
  /** A second, plain connection to the file, to check what is stored exactly. */
  readonly raw: BetterSqlite3.Database;
  /** The clock the database writes timestamps with; tests may set it. */
  now: number;
}

/** A fresh, migrated SQLite database file per test, with a clock the test controls. */
export function useTempDatabase(): TempDatabase {
  const dir = useTempDir();
  let db: Database | undefined;
  let raw: BetterSqlite3.Database | undefined;
  const state = {
    now: Date.UTC(2030, 0, 15, 12, 0, 0),
    get db() {
      if (!db) throw new Error('database not open');
      return db;
    },
    get path() {
      return join(dir.path, 'sts.db');
    },
    get dir() {
      return dir.path;
    },
    get raw() {
      raw ??= new BetterSqlite3(join(dir.path, 'sts.db'));
      return raw;
    },
  };
  beforeEach(async () => {
    state.now = Date.UTC(2030, 0, 15, 12, 0, 0);
    db = await openDatabase(join(dir.path, 'sts.db'), { clock: () => state.now });
  });
  afterEach(async () => {
    raw?.close();
    raw = undefined;
    await db?.close();
    db = undefined;
  });
  return state;
}
