import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from './open';

/**
 * Test support for other packages' suites (never used by the product).
 *
 * Suites run on SQLite by default, and on PostgreSQL when STS_TEST_POSTGRES_URL names a server
 * to create databases on (the test command's second pass: scripts/with-postgres.mjs starts a
 * throwaway server and sets it). Each test gets a fresh database either way.
 */
export const TEST_POSTGRES_URL = process.env.STS_TEST_POSTGRES_URL || undefined;
export const testDialect: 'sqlite' | 'postgresql' = TEST_POSTGRES_URL ? 'postgresql' : 'sqlite';

export interface TestDatabase {
  /** STS_DATABASE_URL for it. */
  url: string;
  /** Removes it (PostgreSQL: drops the database; a SQLite file goes with its directory). */
  drop(): Promise<void>;
}

/** The migrated database every PostgreSQL test database is copied from (CREATE DATABASE … TEMPLATE). */
const TEMPLATE = 'sts_test_template';
let template: Promise<void> | undefined;

/**
 * A fresh, empty database for one test: a SQLite file in `dir`, or a new PostgreSQL database
 * copied from a migrated template (made once per server: copying is much faster than migrating).
 */
export async function createTestDatabase(dir: string): Promise<TestDatabase> {
  if (!TEST_POSTGRES_URL)
    return { url: `file:${join(dir, 'sts.db')}`, drop: async () => undefined };
  const admin = TEST_POSTGRES_URL;
  template ??= ensureTemplate(admin);
  await template;
  const name = `sts_test_${randomBytes(8).toString('hex')}`;
  await onServer(admin, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`),
  );
  return {
    url: databaseUrl(admin, name),
    async drop() {
      await onServer(admin, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** Another database on the server of the admin URL `url`. */
function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates and migrates the template unless it exists. Test files run in parallel processes: an
 * advisory lock makes one of them build it while the others wait.
 */
async function ensureTemplate(admin: string): Promise<void> {
  await onServer(admin, async (client) => {
    await client.query('SELECT pg_advisory_lock(7283021)');
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount) return;
      const building = `${TEMPLATE}_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE DATABASE "${building}"`);
      const db = await openDatabase(
        { dialect: 'postgresql', url: databaseUrl(admin, building), dataDir: undefined },
        { poolSize: 1 },
      );
      await db.close();
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${TEMPLATE}"`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7283021)');
    }
  });
}

const TABLES = [
  'tenants',
  'clients',
  'trusted_issuers',
  'rules',
  'signing_keys',
  'test_issuer_keys',
  'audit_events',
  'used_jtis',
  'config_version',
  'admin_users',
  'admin_invitations',
  'admin_actions',
] as const;

/** Tables whose id is a monotonic ULID: in write order, also where batches are inserted at once. */
const ULID_KEYED: readonly string[] = ['audit_events', 'admin_actions'];

/**
 * The rows of a table exactly as stored, in insertion order, read through a separate connection,
 * for assertions on what is (and is not) written: a secret in clear, a raw token in the audit log.
 * `url` is the database's STS_DATABASE_URL (see createTestDatabase).
 */
export async function storedRows(
  url: string,
  table: (typeof TABLES)[number],
): Promise<Record<string, unknown>[]> {
  if (!TABLES.includes(table)) throw new TypeError(`unknown table ${table}`);
  if (isPostgres(url))
    return onServer(url, async (client) => {
      // Ids that sort in write order (ULIDs) where the table has them; else the physical order.
      const order = ULID_KEYED.includes(table) ? '"id"' : 'ctid';
      const result = await client.query(`SELECT * FROM "${table}" ORDER BY ${order}`);
      return result.rows;
    });
  const connection = new BetterSqlite3(sqliteFile(url), { readonly: true, fileMustExist: true });
  try {
    return connection.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<
      string,
      unknown
    >[];
  } finally {
    connection.close();
  }
}

/**
 * Runs SQL on the database through a separate connection, as an operator (or a failing disk)
 * would: to make the STS's own writes fail (a trigger refusing audit inserts) or to store a
 * configuration the STS cannot load, and to undo it. The SQL of the database's dialect. Tests only.
 */
export async function execSql(
  url: string,
  sql: { sqlite: string; postgresql: string } | string,
): Promise<void> {
  const text = typeof sql === 'string' ? sql : isPostgres(url) ? sql.postgresql : sql.sqlite;
  if (isPostgres(url)) {
    await onServer(url, (client) => client.query(text));
    return;
  }
  const connection = new BetterSqlite3(sqliteFile(url), { fileMustExist: true });
  try {
    connection.exec(text);
  } finally {
    connection.close();
  }
}

const isPostgres = (url: string) => /^postgres(ql)?:/i.test(url);
const sqliteFile = (url: string) => url.replace(/^file:/, '');
