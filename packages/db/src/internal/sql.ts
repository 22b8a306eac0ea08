import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { DatabaseUnavailableError } from '../errors';

/**
 * The SQL the repositories write, on SQLite or PostgreSQL. Statements are written once, with `?`
 * placeholders and double-quoted identifiers, in the SQL both dialects share; values are strings,
 * numbers, booleans, Dates or null, and each executor binds them as its database stores them.
 * Rows read back through `rowDate`/`rowBoolean`/`rowNumber`, which accept either dialect's form.
 *
 * Write transactions (`write`) are serialised with every other one of every process sharing the
 * database, before anything is read: what `fn` reads stays true until it commits. SQLite: BEGIN
 * IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock.
 */
export type Dialect = 'sqlite' | 'postgresql';
export type SqlValue = string | number | boolean | Date | null | SqlArray;
/** An array parameter: PostgreSQL only (batch inserts through unnest). */
export type SqlArray = readonly (string | number | null)[];
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: Dialect;
  all<T = Row>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Row>(text: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `fn` in a write transaction, committing when it resolves and rolling back when it
   * throws. Inside, use only the `tx` it is given.
   */
  write<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

/** The first column of the first row, or undefined. */
export async function value<T>(
  sql: Sql,
  text: string,
  params?: readonly SqlValue[],
): Promise<T | undefined> {
  const row = await sql.get(text, params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** A timestamp column: SQLite stores the adapter's ISO text, PostgreSQL answers a Date. */
export function rowDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}
export const rowDateOrNull = (v: unknown): Date | null => (v === null ? null : rowDate(v));
/** A boolean column: SQLite stores 0/1. */
export const rowBoolean = (v: unknown): boolean => v === true || v === 1 || v === 1n;
/** A count or integer column: PostgreSQL answers a BIGINT as a string. */
export const rowNumber = (v: unknown): number => Number(v);

/** A foreign key constraint refused the statement (in either dialect). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * A DateTime as @prisma/adapter-better-sqlite3 writes it (ISO 8601 with "+00:00"), so rows
 * written here read back through Prisma, and timestamps compare as text in time order.
 */
export function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** Tells polling STS replicas to reload the tenants a change touched. Inside `write`. */

// ---------------------------------------------------------------------------------------------
// SQLite (better-sqlite3): synchronous statements, one connection per process.

function sqliteValue(v: SqlValue): string | number | null {
  if (v instanceof Date) return sqlTimestamp(v.getTime());
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) throw new TypeError('SQLite takes no array parameters');
  return v as string | number | null;
}

/** How long a statement waits for another connection's write lock, in all, before giving up. */
const SQLITE_BUSY_WAIT_MS = 5000;

/**
 * better-sqlite3 runs each statement synchronously on this process's one connection, opened with
 * busy_timeout 0: a statement that finds another connection holding the write lock fails at once
 * with SQLITE_BUSY, and is tried again after an asynchronous pause (up to SQLITE_BUSY_WAIT_MS in
 * all, then DatabaseUnavailableError). SQLite's own busy wait would block the event loop — every
 * request of the process — and could never end when the lock holder is this very process (a
 * transaction of another connection here, waiting on its awaits).
 *
 * Everything on the connection takes its turn in one queue (see `exclusive` below).
 */
export function sqliteSql(db: BetterSqlite3.Database): Sql {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const exec = async <T>(run: () => T): Promise<T> => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return run();
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_BUSY_SNAPSHOT') throw err;
        if (waited >= SQLITE_BUSY_WAIT_MS)
          throw new DatabaseUnavailableError('The database is locked by another connection', {
            cause: err,
          });
        const pause = Math.min(100, 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, pause));
        waited += pause;
      }
    }
  };
  const direct: Omit<Sql, 'write'> = {
    dialect: 'sqlite',
    async all<T>(text: string, params: readonly SqlValue[] = []) {
      const statement = prepare(text);
      return exec(() =>
        statement.reader
          ? (statement.all(...params.map(sqliteValue)) as T[])
          : (statement.run(...params.map(sqliteValue)), []),
      );
    },
    async get<T>(text: string, params: readonly SqlValue[] = []) {
      return exec(() => prepare(text).get(...params.map(sqliteValue)) as T | undefined);
    },
    async run(text, params = []) {
      return exec(() => prepare(text).run(...params.map(sqliteValue)).changes);
    },
  };

  /**
   * Everything on the connection runs one after the other: a statement, or a whole write
   * transaction (which would otherwise take in statements from elsewhere in the process while
   * it awaits). Busy retries wait inside their turn: the others would find the lock taken too.
   */
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const turn = tail.then(fn, fn);
    tail = turn.catch(() => undefined);
    return turn;
  };
  const tx: Sql = {
    ...direct,
    write: () => Promise.reject(new Error('write transactions do not nest')),
  };
  return {
    dialect: 'sqlite',
    all: (text, params) => exclusive(() => direct.all(text, params)),
    get: (text, params) => exclusive(() => direct.get(text, params)),
    run: (text, params) => exclusive(() => direct.run(text, params)),
    write: (fn) =>
      exclusive(async () => {
        await exec(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(tx);
          await exec(() => db.exec('COMMIT'));
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (pg): a pool of connections, named prepared statements.

/** The advisory lock every write transaction takes (an arbitrary constant of this product). */
const WRITE_LOCK = 7_283_019;

/** `?` placeholders as PostgreSQL's `$1, $2, …` (statements here never quote a `?`). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const pgValue = (v: SqlValue): string | number | boolean | null | SqlArray =>
  // Timestamps are stored as UTC in TIMESTAMP(3) columns (as Prisma does); PostgreSQL ignores
  // the zone of a literal for that type, so the ISO text is the instant in UTC.
  v instanceof Date ? v.toISOString() : v;

/**
 * The connection was refused, lost or timed out, or the server is shutting down
 * (SQLSTATE class 08, 57P01–57P03): nothing was committed, and a later attempt may work.
 */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)
  )
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection is closed|Client has encountered a connection error/i.test(
    message,
  );
}

function unavailable(err: unknown): unknown {
  return isConnectionError(err)
    ? new DatabaseUnavailableError('The database is unreachable', { cause: err })
    : err;
}

export function postgresSql(pool: pg.Pool): Sql {
  const names = new Map<string, { name: string; text: string }>();
  const statement = (text: string) => {
    let prepared = names.get(text);
    if (!prepared) {
      prepared = {
        name: `sts_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
        text: numbered(text),
      };
      names.set(text, prepared);
    }
    return prepared;
  };
  const on = (client: pg.Pool | pg.PoolClient): Omit<Sql, 'write'> => ({
    dialect: 'postgresql',
    async all<T>(text: string, params: readonly SqlValue[] = []) {
      try {
        const result = await client.query({ ...statement(text), values: params.map(pgValue) });
        return result.rows as T[];
      } catch (err) {
        throw unavailable(err);
      }
    },
    async get<T>(text: string, params: readonly SqlValue[] = []) {
      return (await this.all<T>(text, params))[0];
    },
    async run(text, params = []) {
      try {
        const result = await client.query({ ...statement(text), values: params.map(pgValue) });
        return result.rowCount ?? 0;
      } catch (err) {
        throw unavailable(err);
      }
    },
  });
  return {
    ...on(pool),
    async write(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw unavailable(err);
      }
      const tx: Sql = {
        ...on(client),
        write: () => Promise.reject(new Error('write transactions do not nest')),
      };
      let broken: unknown;
      try {
        await client.query('BEGIN').catch((err) => Promise.reject(unavailable(err)));
        await tx.get('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK]);
        const result = await fn(tx);
        await client.query('COMMIT').catch((err) => Promise.reject(unavailable(err)));
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollback) {
          broken = rollback;
        }
        throw err;
      } finally {
        // A connection whose rollback failed is discarded rather than handed out again.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}
