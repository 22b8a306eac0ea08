import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import type { Handles } from './internal/handles';
import { migrate, sqliteMigrationDriver } from './migrate';
import { type AdminActionRepository, adminActionRepository } from './repositories/admin-actions';
import { type AdminRepository, adminRepository } from './repositories/admins';
import { type AuditRecord, auditPruner, auditWriter } from './repositories/audit-log';
import { type AuditQueries, auditQueries } from './repositories/audit-query';
import { type ClientRepository, clientRepository } from './repositories/clients';
import { type ConfigRepository, configRepository } from './repositories/config';
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
   * Appends the record: synchronous, a few microseconds (a prepared statement). Throws when it
   * cannot; then no token may be returned.
   */
  write(record: AuditRecord): void;
  /** Deletes at most `limit` records created before `cutoffMs`, oldest first; returns how many. */
  deleteOlderThan(cutoffMs: number, limit: number): number;
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
  readonly config: ConfigRepository;
  /** True when the database answers. */
  ping(): boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The migrations directory, for bundled servers (the console): see packageMigrationsDir. */
  migrationsDir?: string;
  /** Milliseconds since the epoch, for the timestamps this package writes. */
  clock?: () => number;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its directory if needed) and migrates the SQLite database file at
 * `path` (absolute: see databaseLocation).
 */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Database> {
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
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: path, timeout: BUSY_TIMEOUT_MS }),
  });
  const h: Handles = { sqlite, prisma, clock: options.clock ?? Date.now };
  const ping = sqlite.prepare('SELECT 1');
  return {
    tenants: tenantRepository(h),
    clients: clientRepository(h),
    trustedIssuers: trustedIssuerRepository(h),
    rules: ruleRepository(h),
    signingKeys: signingKeyRepository(h),
    testIssuerKeys: testIssuerKeyRepository(h),
    admins: adminRepository(h),
    adminActions: adminActionRepository(h),
    audit: { write: auditWriter(h), deleteOlderThan: auditPruner(h), ...auditQueries(h) },
    replay: replayStore(h),
    config: configRepository(h),
    ping() {
      try {
        ping.get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
  };
}
