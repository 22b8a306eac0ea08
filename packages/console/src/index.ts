export type {
  Admin,
  AdminRole,
  AuditEventSummary,
  AuditRecord,
  ClientRecord,
  SigningKeyRecord,
  SigningKeyStatus,
  TenantRecord,
} from '@sts/db';
export { ADMIN_ROLES } from '@sts/db';
export { canRead, canWrite } from './access';
export {
  bootstrapFirstAdmin,
  createAdmin,
  sessionAdmin,
  signInWithPassword,
  signInWithSso,
} from './admins';
export { auditStats, getAuditEvent, listAdminActions, listAuditEvents } from './audit';
export {
  type ClientAuth,
  type ClientDetail,
  type ClientRule,
  type ClientSettingsInput,
  clientDetail,
  createClient,
  deleteClient,
  type GeneratedSecret,
  listClients,
  type NewClientInput,
  RECENT_EXCHANGES,
  rotateClientSecret,
  setClientAuthMethod,
  setClientEnabled,
  updateClient,
} from './clients';
export { type ConsoleContext, consoleContext } from './context';
export { APP_ERRORS, AppError, type AppErrorCode, toAppError } from './errors';
export { type OpenConsole, type OpenConsoleOptions, openConsole } from './open';
export {
  createRule,
  type DraftPreview,
  deleteRule,
  previewRule,
  type RuleOverview,
  reorderRules,
  ruleOverview,
  updateRule,
} from './rules';
export { listSigningKeys, rotateSigningKey } from './signing-keys';
export { simulatorOptions } from './simulator/options';
export { runSimulation } from './simulator/run';
export { testIssuerUrl, trustTestIssuer } from './simulator/test-issuer';
export type * from './simulator/types';
export {
  createTenant,
  deleteTenant,
  getTenant,
  listTenants,
  type TenantView,
  updateTenant,
} from './tenants';
export {
  createTrustedIssuer,
  deleteTrustedIssuer,
  type FetchedKeys,
  fetchIssuerKeys,
  listTrustedIssuers,
  updateTrustedIssuer,
} from './trusted-issuers';
