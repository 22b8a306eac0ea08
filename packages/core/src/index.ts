export * from './config/schema';
export * from './errors';
export {
  type Decision,
  type ExchangeContext,
  type ExchangeFacts,
  type ExchangeResult,
  exchange,
  requestFacts,
} from './exchange';
export {
  type IssuedClaims,
  type IssuedToken,
  issue,
  issuedClaims,
  type TokenExchangeResponse,
  tokenResponse,
  typFor,
} from './issue';
export { SUB_ID_FORMAT, type SubId } from './issuer/claims';
export { JwsSigner, verifyJwsSignature } from './keys/jws-signature';
export { createKeyResolver, type JwksSource } from './keys/key-resolver';
export {
  find,
  isPublicKey,
  type KeyLookup,
  keyLookup,
  type OwnKeySet,
  ownKeySet,
  type PublicSigningKey,
  unusableKeyReason,
} from './keys/key-sets';
export { RSA_TOO_LARGE, rsaModulusBits } from './keys/key-size';
export {
  type KeyTransition,
  type LifecycleKey,
  type LifecycleTimings,
  planKeyLifecycle,
  SIGNING_KEY_STATUSES,
  type SigningKeyStatus,
  scheduledRotationAt,
} from './keys/lifecycle';
export { DEFAULT_LIMITS, type Limits } from './limits';
export type * from './model';
export { tenantEndpoints, tenantIssuer } from './model';
export {
  analyzeRules,
  type RuleFinding,
  type RuleFindingKind,
} from './policy/analysis';
export { ANY_CLIENT, admitsAnyClient, admitsClient, SELF } from './policy/predicates';
export {
  type RuleSummary,
  type RuleSummaryTenant,
  ruleSummary,
} from './policy/summary';
export type * from './ports';
export {
  assertSingleValued,
  type FormParams,
  parseForm,
  parseScope,
  single,
} from './request/parse';
export * from './token-types';
export { Trace, type TraceEntry, type TraceOutcome } from './trace';
export type { ActClaim, Actor } from './validators/act';
export {
  inspectSampleToken,
  type SampleTokenCheck,
  type SampleTokenReport,
} from './validators/inspect';
export { trustedIssuerWarning } from './validators/jwt';
export { VerifiedSignatures } from './validators/verified-signatures';
