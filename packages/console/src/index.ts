export type {
  Admin,
  AdminRecord,
  AdminRole,
  AdminStatus,
  AuditEventSummary,
  AuditRecord,
  ClientRecord,
  SigningKeyRecord,
  SigningKeyStatus,
  TenantRecord,
} from '@sts/db';
export { ADMIN_ROLES, ADMIN_STATUSES } from '@sts/db';
export { canRead, canWrite } from './access';
export {
  INVITATION_TTL_MS,
  type InvitationLink,
  type InviteAdminInput,
  type InviteDelivery,
  type InviteResult,
  inviteAdmin,
  listAdmins,
  removeAdmin,
  renewInvitation,
  setAdminEnabled,
  updateAdmin,
} from './admin-users';
export {
  bootstrapFirstAdmin,
  createAdmin,
  MIN_PASSWORD_LENGTH,
  type SsoProfile,
  type SsoRefusal,
  type SsoSignIn,
  sessionAdmin,
  signInWithPassword,
  signInWithSso,
  signOutEverywhere,
  ssoIdentitiesOf,
  unlinkSso,
} from './admins';
export {
  auditStats,
  getAuditEvent,
  listAdminActions,
  listAuditEvents,
  listConsoleAdminActions,
} from './audit';
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
export { assertConsoleManaged, detachTenant, fileManagedMessage } from './file-managed';
export { acceptInvitation, checkInvitation, INVALID_INVITATION } from './invitations';
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
export {
  DEFAULT_KEY_PREPUBLISH_SECONDS,
  keyPrepublishSeconds,
  listSigningKeys,
  revokeSigningKey,
  rotateSigningKey,
  type SigningKeySchedule,
  signingKeySchedule,
} from './signing-keys';
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
  checkSampleToken,
  createTrustedIssuer,
  deleteTrustedIssuer,
  type FetchedKeys,
  fetchIssuerKeys,
  listTrustedIssuers,
  updateTrustedIssuer,
} from './trusted-issuers';
