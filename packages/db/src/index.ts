export type { PrismaClient } from '../generated/prisma/client';
export {
  type AdminActionInput,
  adminActionRecord,
  configChanged,
} from './console/admin-actions';
export {
  ADMIN_ROLES,
  type Admin,
  type AdminRole,
  countAdmins,
  createAdminUser,
  findAdmin,
  findOrCreateSsoAdmin,
  verifyAdminPassword,
} from './console/admin-users';
export {
  type AdminActionEntry,
  type AdminActionPage,
  AUDIT_DECISIONS,
  AUDIT_STATS_RANGES,
  type AuditCursor,
  type AuditDecision,
  type AuditEventSummary,
  type AuditFilter,
  type AuditPage,
  type AuditStats,
  type AuditStatsRange,
  auditStats,
  getAuditEvent,
  listAdminActions,
  queryAuditEvents,
} from './console/audit-query';
export {
  type ClientAuth,
  type ClientSettings,
  type ClientSummary,
  createClient,
  deleteClient,
  type GeneratedSecret,
  listClients,
  type NewClient,
  rotateClientSecret,
  setClientAuthMethod,
  setClientDisabled,
  updateClient,
} from './console/clients';
export {
  createRule,
  type DraftPreview,
  deleteRule,
  listRules,
  previewRule,
  type RuleOverview,
  reorderRules,
  ruleOverview,
  updateRule,
  withDraft,
} from './console/rules';
export {
  listSigningKeys,
  rotateSigningKey,
  type SigningKeySummary,
} from './console/signing-keys';
export {
  loadSimulationTenant,
  type PublicSigningKey,
  type SimulationClient,
  type SimulationTenant,
  type TestIssuerKeyPair,
  type TestIssuerStatus,
  testIssuerKey,
  testIssuerStatus,
  trustTestIssuer,
} from './console/simulator';
export {
  ConflictError,
  createTenant,
  deleteTenant,
  getTenant,
  listTenants,
  type TenantSettings,
  type TenantSummary,
  updateTenant,
} from './console/tenants';
export {
  createTrustedIssuer,
  deleteTrustedIssuer,
  listTrustedIssuers,
  updateTrustedIssuer,
} from './console/trusted-issuers';
export {
  generateClientSecret,
  hashClientSecret,
  verifyClientSecret,
} from './crypto/client-secret';
export { type DerivedKeys, deriveKeys } from './crypto/derive';
export { loadOrCreateMasterKey } from './crypto/master-key';
export { hashPassword, verifyPassword } from './crypto/password';
export {
  DbError,
  DecryptionError,
  MasterKeyError,
  MigrationError,
  StoredDataError,
  UnknownTenantError,
} from './errors';
export {
  type AppliedMigration,
  type Dialect,
  type MigrationDriver,
  type MigrationFile,
  migrate,
  sqliteMigrationDriver,
} from './migrate';
export { type Database, openDatabase } from './open';
export {
  type AuditActor,
  type AuditEvent,
  type AuditRecord,
  type AuditWriter,
  createAuditWriter,
  listAudit,
} from './repositories/audit';
export {
  applyConfigFile,
  type LoadedClient,
  type LoadedTenant,
  loadTenants,
  type ResolveSecret,
  readConfigVersion,
} from './repositories/config';
export { createReplayStore, type ReplayStore } from './repositories/replay';
export {
  ensureActiveKey,
  loadKeys,
  rotateKey,
  type SigningKeyMaterial,
  type SigningKeyStatus,
} from './repositories/signing-keys';
