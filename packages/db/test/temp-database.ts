import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { sqlTimestamp } from '../src/internal/sql';
import { type DatabaseLocation, databaseLocation } from '../src/location';
import { type Database, type OpenOptions, openDatabase } from '../src/open';
import {
  createTestDatabase,
  execSql,
  storedRows,
  TEST_POSTGRES_URL,
  type TestDatabase,
  testDialect,
} from '../src/testing';

export { testDialect };

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

export type Row = Record<string, unknown>;
type Table = Parameters<typeof storedRows>[1];

export interface TempDatabase {
  readonly db: Database;
  /** The database's STS_DATABASE_URL (a `file:` URL on SQLite, a `postgresql://` one otherwise). */
  readonly url: string;
  readonly location: DatabaseLocation;
  /** A temporary directory of the test's own. */
  readonly dir: string;
  /** The clock the database writes timestamps with; tests may set it. */
  now: number;
  /** The rows of a table exactly as stored, in insertion order (a separate connection). */
  rows(table: Table): Promise<Row[]>;
  /** Runs SQL through a separate connection (the dialect's SQL, or one text for both). */
  exec(sql: { sqlite: string; postgresql: string } | string): Promise<void>;
  /**
   * Runs one statement through a separate connection, `?` placeholders on both dialects, and
   * returns its rows. PostgreSQL's BIGINT (count(*)) reads as a number; timestamps as they are
   * stored (ISO text on SQLite, a Date on PostgreSQL: compare them through `instant`).
   */
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first column of the first row of `query`. */
  value<T = unknown>(text: string, params?: readonly unknown[]): Promise<T>;
  /** Another Database handle on the same database (another replica), closed after the test. */
  open(options?: OpenOptions): Promise<Database>;
}

/** A timestamp column's value, either dialect's form, as milliseconds (null stays null). */
export const instant = (v: unknown): number | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.getTime() : Date.parse(String(v));

/**
 * A timestamp as the database stores it: SQLite, the adapter's ISO text (sqlTimestamp); PostgreSQL,
 * a TIMESTAMP(3) that `query` reads as a Date.
 */
export const storedTimestamp = (ms: number): string | Date =>
  testDialect === 'sqlite' ? sqlTimestamp(ms) : new Date(ms);

/** A boolean column's value, either dialect's form (SQLite stores 0/1). */
export const flag = (v: unknown): boolean => v === true || v === 1;

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary' && oid === TIMESTAMP_OID)
      return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    if (format !== 'binary' && oid === INT8_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** `query` on the database at `url`, whichever dialect. */
export async function queryUrl<T = Row>(
  url: string,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  if (/^postgres(ql)?:/i.test(url)) {
    let n = 0;
    const client = new pg.Client({ connectionString: url, types: pgTypes });
    await client.connect();
    try {
      const result = await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        params as unknown[],
      );
      return result.rows as T[];
    } finally {
      await client.end();
    }
  }
  const connection = new BetterSqlite3(url.replace(/^file:/, ''), { fileMustExist: true });
  try {
    const statement = connection.prepare(text);
    const values = params.map((v) =>
      typeof v === 'boolean' ? Number(v) : v instanceof Date ? v.toISOString() : v,
    );
    if (statement.reader) return statement.all(...values) as T[];
    statement.run(...values);
    return [];
  } finally {
    connection.close();
  }
}

/**
 * A fresh, migrated database per test (createTestDatabase: a SQLite file, or a PostgreSQL
 * database in the PostgreSQL pass), opened with a clock the test controls, dropped afterwards.
 */
export function useTempDatabase(): TempDatabase {
  let dir = '';
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  const others = new Set<Database>();
  const state: TempDatabase = {
    now: Date.UTC(2030, 0, 15, 12, 0, 0),
    get db() {
      if (!db) throw new Error('database not open');
      return db;
    },
    get url() {
      if (!test) throw new Error('database not open');
      return test.url;
    },
    get location() {
      return databaseLocation({ databaseUrl: state.url }, dir);
    },
    get dir() {
      return dir;
    },
    rows: (table) => storedRows(state.url, table),
    exec: (sql) => execSql(state.url, sql),
    query: (text, params) => queryUrl(state.url, text, params),
    async value<T>(text: string, params?: readonly unknown[]) {
      const [row] = await queryUrl(state.url, text, params);
      return (row === undefined ? undefined : Object.values(row)[0]) as T;
    },
    async open(options = {}) {
      const other = await openDatabase(state.location, { clock: () => state.now, ...options });
      const handle: Database = {
        ...other,
        async close() {
          if (!others.delete(handle)) return;
          await other.close();
        },
      };
      others.add(handle);
      return handle;
    },
  };
  beforeEach(async () => {
    state.now = Date.UTC(2030, 0, 15, 12, 0, 0);
    dir = mkdtempSync(join(tmpdir(), 'sts-db-test-'));
    test = await createTestDatabase(dir);
    db = await openDatabase(state.location, { clock: () => state.now });
  });
  afterEach(async () => {
    try {
      for (const other of [...others]) await other.close();
      await db?.close();
    } finally {
      db = undefined;
      await test?.drop();
      test = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return state;
}

/**
 * An empty PostgreSQL database (not migrated), for the migration runner's tests; dropped by
 * `drop`. Only in the PostgreSQL pass.
 */
export async function createEmptyPostgresDatabase(): Promise<TestDatabase> {
  if (!TEST_POSTGRES_URL) throw new Error('STS_TEST_POSTGRES_URL is not set');
  const admin = TEST_POSTGRES_URL;
  const name = `sts_test_empty_${randomBytes(8).toString('hex')}`;
  const onServer = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await onServer(`CREATE DATABASE "${name}" TEMPLATE template0`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
