import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type Database, openDatabase } from '../open';

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

/** A fresh, migrated SQLite database file per test. */
export function useTempDatabase(): { readonly db: Database; readonly dir: string } {
  const dir = useTempDir();
  let db: Database | undefined;
  beforeEach(async () => {
    db = await openDatabase(join(dir.path, 'sts.db'));
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  return {
    get db() {
      if (!db) throw new Error('database not open');
      return db;
    },
    get dir() {
      return dir.path;
    },
  };
}
