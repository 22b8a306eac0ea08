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
export { type IssuedToken, issue, type TokenExchangeResponse } from './issue';
export { DEFAULT_LIMITS, type Limits } from './limits';
export type * from './model';
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
