import type { RuleConfig } from '../config/schema';

/**
 * What the values a rule is written with mean: the one place the engine (./checks.ts), the
 * plain-language summary (./summary.ts) and the static analysis (./analysis.ts) read them from.
 */

/** In `clients`: any client of the tenant. */
export const ANY_CLIENT = '*';
/** In `subjectIssuers` and actor issuers: the tenant's own issuer (tokens it issued). */
export const SELF = 'self';

/** The rule's client list admits `clientId` (listed, or "*"). */
export const admitsClient = (clients: readonly string[], clientId: string): boolean =>
  clients.includes(ANY_CLIENT) || clients.includes(clientId);

/** The client list admits every client of the tenant. */
export const admitsAnyClient = (clients: readonly string[]): boolean =>
  clients.includes(ANY_CLIENT);

/** An issuer as written in a rule, as a URL: "self" stands for the tenant's own issuer. */
export const issuerUrl = (value: string, tenantIssuer: string): string =>
  value === SELF ? tenantIssuer : value;

/** The value names the tenant itself ("self" or its issuer URL). */
export const isSelf = (value: string, tenantIssuer: string): boolean =>
  value === SELF || value === tenantIssuer;

/** `target` may be requested under the rule: listed exactly, or under one of its prefixes. */
export const allowsTarget = (
  rule: Pick<RuleConfig, 'audiences' | 'audiencePrefixes'>,
  target: string,
): boolean =>
  rule.audiences.includes(target) || rule.audiencePrefixes.some((p) => target.startsWith(p));
