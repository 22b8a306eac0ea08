export type { PrismaClient } from '../generated/prisma/client.js';
export {
  type AdminActionInput,
  adminActionRecord,
  configChanged,
} from './console/admin-actions.js';
export {
  ADMIN_ROLES,
  type Admin,
  type AdminRole,
  countAdmins,
  createAdminUser,
  findAdmin,
  findOrCreateSsoAdmin,
  verifyAdminPassword,
} from './console/admin-users.js';
export {
  generateClientSecret,
  hashClientSecret,
  verifyClientSecret,
} from './crypto/client-secret.js';
export { type DerivedKeys, deriveKeys } from './crypto/derive.js';
export { loadOrCreateMasterKey } from './crypto/master-key.js';
export { hashPassword, verifyPassword } from './crypto/password.js';
export {
  DbError,
  DecryptionError,
  MasterKeyError,
  MigrationError,
  StoredDataError,
  UnknownTenantError,
} from './errors.js';
export {
  type AppliedMigration,
  type Dialect,
  type MigrationDriver,
  type MigrationFile,
  migrate,
  sqliteMigrationDriver,
} from './migrate.js';
export { type Database, openDatabase } from './open.js';
export {
  type AuditActor,
  type AuditEvent,
  type AuditRecord,
  type AuditWriter,
  createAuditWriter,
  listAudit,
} from './repositories/audit.js';
export {
  applyConfigFile,
  type LoadedClient,
  type LoadedTenant,
  loadTenants,
  type ResolveSecret,
  readConfigVersion,
} from './repositories/config.js';
export { createReplayStore, type ReplayStore } from './repositories/replay.js';
export {
  ensureActiveKey,
  loadKeys,
  rotateKey,
  type SigningKeyMaterial,
  type SigningKeyStatus,
} from './repositories/signing-keys.js';
