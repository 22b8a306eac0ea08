export * from './config/schema.js';
export * from './errors.js';
export {
  type Decision,
  type ExchangeContext,
  type ExchangeFacts,
  type ExchangeResult,
  exchange,
  requestFacts,
} from './exchange.js';
export { type IssuedToken, issue, type TokenExchangeResponse } from './issue.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export type * from './model.js';
export type * from './ports.js';
export {
  assertSingleValued,
  type FormParams,
  parseForm,
  parseScope,
  single,
} from './request/parse.js';
export * from './token-types.js';
export { Trace, type TraceEntry, type TraceOutcome } from './trace.js';
export type { ActClaim, Actor } from './validators/act.js';
