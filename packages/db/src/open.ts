import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgresql/client';
import type { Handles } from './internal/handles';
import { postgresSql, sqliteSql } from './internal/sql';
import { type SqliteAuditThread, sqliteAuditThread } from './internal/sqlite-audit-thread';
import type { DatabaseLocation } from './location';
import { migrate, postgresMigrationDriver, sqliteMigrationDriver } from './migrate';
import { type AdminActionRepository, adminActionRepository } from './repositories/admin-actions';
import { type AdminRepository, adminRepository } from './repositories/admins';
import {
  type AuditRecord,
  auditPruner,
  auditWriter,
  SQLITE_AUDIT_INSERT,
} from './repositories/audit-log';
import { type AuditQueries, auditQueries } from './repositories/audit-query';
import { type ClientRepository, clientRepository } from './repositories/clients';
import { type ConfigRepository, configRepository } from './repositories/config';
import { type RateLimitStore, rateLimitStore } from './repositories/rate-limits';
import { type ReplayStore, replayStore } from './repositories/replay';
import { type RuleRepository, ruleRepository } from './repositories/rules';
import { type SigningKeyRepository, signingKeyRepository } from './repositories/signing-keys';
import { type TenantRepository, tenantRepository } from './repositories/tenants';
import {
  type TestIssuerKeyRepository,
  testIssuerKeyRepository,
} from './repositories/test-issuer-keys';
import {
  type TrustedIssuerRepository,
  trustedIssuerRepository,
} from './repositories/trusted-issuers';

/** The audit log: written by the token endpoint, read by the console's explorer. */
export interface AuditRepository extends AuditQueries {
  /**
   * Appends the record: resolves once it is committed, durably, together with the records written
   * at the same time (group commit). Rejects when it cannot (DatabaseUnavailableError when the
   * database does not answer); then no token may be returned.
   */
  write(record: AuditRecord): Promise<void>;
  /** Deletes at most `limit` records created before `cutoffMs`, oldest first; returns how many. */
  deleteOlderThan(cutoffMs: number, limit: number): Promise<number>;
}

/** The database, as repositories with typed methods. No driver handle leaves this package. */
export interface Database {
  readonly tenants: TenantRepository;
  readonly clients: ClientRepository;
  readonly trustedIssuers: TrustedIssuerRepository;
  readonly rules: RuleRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly testIssuerKeys: TestIssuerKeyRepository;
  readonly admins: AdminRepository;
  readonly adminActions: AdminActionRepository;
  readonly audit: AuditRepository;
  readonly replay: ReplayStore;
  readonly rateLimits: RateLimitStore;
  readonly config: ConfigRepository;
  /** Which database this is. */
  readonly dialect: DatabaseLocation['dialect'];
  /** True when the database answers. */
  ping(): Promise<boolean>;
  /** Commits the audit records written so far, then closes the connections. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The migrations directory, for bundled servers (the console): see packageMigrationsDir. */
  migrationsDir?: string;
  /** Milliseconds since the epoch, for the timestamps this package writes. */
  clock?: () => number;
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /** After each audit commit: how many records it held and how long it took (metrics). */
  onAuditCommit?: (size: number, ms: number) => void;
}

const BUSY_TIMEOUT_MS = 5000;
/** PostgreSQL: how long to wait for a connection, and for a statement, before giving up. */
const CONNECT_TIMEOUT_MS = 5000;
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * Opens and migrates the database at `location` (see databaseLocation): a SQLite file (created
 * with its directory if needed), or a PostgreSQL database. A plain string is a SQLite file's
 * absolute path.
 */
export async function openDatabase(
  location: DatabaseLocation | string,
  options: OpenOptions = {},
): Promise<Database> {
  if (typeof location === 'string') return openSqlite(location, options);
  return location.dialect === 'sqlite'
    ? openSqlite(location.path, options)
    : openPostgres(location.url, options);
}

async function openSqlite(path: string, options: OpenOptions): Promise<Database> {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    sqlite.pragma('journal_mode = WAL');
    // Every commit reaches the disk before it returns: an audit record that was answered with a
    // token survives a power cut. Group commit (the audit writer) shares one fsync among the
    // records of a batch, which keeps this cheap.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Checkpoints are the audit writer thread's job (sqlite-audit-thread.ts): one here would stop
    // the event loop for as long as copying the WAL and an fsync take.
    sqlite.pragma('wal_autocheckpoint = 0');
    await migrate(sqliteMigrationDriver(sqlite), options.migrationsDir);
    // From here on, statements do not wait for the lock inside SQLite (see sqliteSql).
    sqlite.pragma('busy_timeout = 0');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  // The adapter opens its own connection; better-sqlite3 builds SQLite with foreign keys on.
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: path, timeout: BUSY_TIMEOUT_MS }),
  });
  const auditThread = sqliteAuditThread(path, SQLITE_AUDIT_INSERT, BUSY_TIMEOUT_MS);
  return repositories(
    { sql: sqliteSql(sqlite), prisma, clock: options.clock ?? Date.now },
    options,
    async () => {
      await auditThread.close();
      await prisma.$disconnect();
      sqlite.close();
    },
    auditThread,
  );
}

/** TIMESTAMP (without time zone) columns hold UTC, as Prisma writes them: read them as UTC. */
const TIMESTAMP_OID = 1114;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 1000,
    types: pgTypes,
  });
  // An idle connection the server drops (a restart) is discarded and replaced on the next
  // query; without a listener the pool's 'error' event would end the process.
  pool.on('error', () => undefined);
  try {
    await migrate(postgresMigrationDriver(pool), options.migrationsDir);
  } catch (err) {
    await pool.end();
    throw err;
  }
  // The same model API as the SQLite client (the schemas differ only in their datasource).
  const prisma = new PostgresPrismaClient({
    adapter: new PrismaPg(pool),
  }) as unknown as PrismaClient;
  return repositories(
    { sql: postgresSql(pool), prisma, clock: options.clock ?? Date.now },
    options,
    async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  );
}

function repositories(
  h: Handles,
  options: OpenOptions,
  end: () => Promise<void>,
  auditThread?: SqliteAuditThread,
): Database {
  const audit = auditWriter(h, { thread: auditThread, onCommit: options.onAuditCommit });
  let closing: Promise<void> | undefined;
  return {
    dialect: h.sql.dialect,
    tenants: tenantRepository(h),
    clients: clientRepository(h),
    trustedIssuers: trustedIssuerRepository(h),
    rules: ruleRepository(h),
    signingKeys: signingKeyRepository(h),
    testIssuerKeys: testIssuerKeyRepository(h),
    admins: adminRepository(h),
    adminActions: adminActionRepository(h),
    audit: { write: audit.write, deleteOlderThan: auditPruner(h), ...auditQueries(h) },
    replay: replayStore(h),
    rateLimits: rateLimitStore(h),
    config: configRepository(h),
    async ping() {
      try {
        await h.sql.get('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close() {
      // Once, however many callers ask (a test, then its STS's shutdown).
      closing ??= audit.flush().then(end);
      return closing;
    },
  };
}
