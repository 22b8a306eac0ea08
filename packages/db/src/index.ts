export {
  ConflictError,
  DatabaseUnavailableError,
  DbError,
  type Entity,
  MigrationError,
  NotFoundError,
  StoredDataError,
} from './errors';
export type { AdminChange } from './internal/changes';
export { type DatabaseLocation, databaseLocation } from './location';
export {
  type AppliedMigration,
  type Dialect,
  type MigrationDriver,
  type MigrationFile,
  migrate,
  sqliteMigrationDriver,
} from './migrate';
export { type AuditRepository, type Database, type OpenOptions, openDatabase } from './open';
export type {
  AdminActionEntry,
  AdminActionPage,
  AdminActionRepository,
} from './repositories/admin-actions';
export {
  ADMIN_ROLES,
  ADMIN_STATUSES,
  type Admin,
  type AdminAccess,
  type AdminChangeOf,
  type AdminCredentials,
  type AdminRecord,
  type AdminRepository,
  type AdminRole,
  type AdminStatus,
  type NewAdmin,
  type NewInvitation,
  type SsoIdentity,
  type SsoIdentityRecord,
} from './repositories/admins';
export {
  AUDIT_ENDPOINTS,
  type AuditActor,
  type AuditEndpoint,
  type AuditEvent,
  type AuditRecord,
} from './repositories/audit-log';
export {
  AUDIT_DECISIONS,
  AUDIT_STATS_RANGES,
  type AuditCursor,
  type AuditDecision,
  type AuditEventSummary,
  type AuditFilter,
  type AuditPage,
  type AuditStats,
  type AuditStatsRange,
} from './repositories/audit-query';
export type {
  ClientCredentials,
  ClientRecord,
  ClientRepository,
  ClientSettings,
  NewClient,
} from './repositories/clients';
export {
  CONFIG_FILE_ACTOR,
  type ConfigChanges,
  type ConfigRepository,
  type FileApplication,
  type FileTenantOutcome,
  type HashSecret,
  type LoadedClient,
  type LoadedTenant,
  REMOVED_FILE_TENANTS,
  type RemovedFileTenants,
  type RowChanges,
} from './repositories/config';
export type { RateLimitStore } from './repositories/rate-limits';
export type { ReplayStore } from './repositories/replay';
export type { RuleRepository } from './repositories/rules';
export {
  type MakeSigningKey,
  type NewSigningKey,
  REVOKE_ACTIVE_KEY,
  REVOKE_REVOKED_KEY,
  type Revocation,
  ROTATE_PENDING_KEY,
  type Rotation,
  type SealedSigningKey,
  SIGNING_KEY_STATUSES,
  type SigningKeyRecord,
  type SigningKeyRepository,
  type SigningKeyStatus,
  SYSTEM_ACTOR,
} from './repositories/signing-keys';
export {
  DETACH_NOT_FILE_MANAGED,
  type TenantRecord,
  type TenantRepository,
  type TenantSettings,
  type TenantSource,
} from './repositories/tenants';
export type { TestIssuerKey, TestIssuerKeyRepository } from './repositories/test-issuer-keys';
export type { TrustedIssuerRepository } from './repositories/trusted-issuers';
