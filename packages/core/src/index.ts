export * from './config/schema';
export * from './errors';
export {
  type Decision,
  type ExchangeContext,
  type ExchangeFacts,
  type ExchangeResult,
  exchange,
  requestFacts,
  typFor,
} from './exchange';
export { type IssuedToken, issue, type TokenExchangeResponse } from './issue';
export { DEFAULT_LIMITS, type Limits } from './limits';
export type * from './model';
export {
  analyzeRules,
  type RuleFinding,
  type RuleFindingKind,
} from './policy/analysis';
export {
  describeRule,
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
