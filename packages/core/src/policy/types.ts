import type { RuleConfig } from '../config/schema';
import type { ExchangeClient, Tenant } from '../model';
import type { TokenExchangeRequest } from '../request/parse';
import type { Actor } from '../validators/act';
import type { VerifiedToken } from '../validators/jwt';

/** What policy decides on: the checked request, the client and the validated tokens. */
export interface PolicyInput {
  tenant: Tenant;
  client: ExchangeClient;
  request: TokenExchangeRequest;
  subject: VerifiedToken;
  actorToken: VerifiedToken | undefined;
  /** The time of the decision, milliseconds since the epoch (the Clock's reading). */
  now: number;
}

/** The grant a matching rule makes. */
export interface Grant {
  rule: RuleConfig;
  /** The party acting (delegation), or undefined (impersonation). */
  actor: Actor | undefined;
  audiences: string[];
  scope: string[];
}

/**
 * Which OAuth error a failing check leads to when no rule matches (docs/oauth-errors.md): identity
 * checks → invalid_request; target → invalid_target; scope → invalid_scope.
 */
export type CheckClass = 'identity' | 'target' | 'scope';

/** What the grant holds of a rule so far: the contributions of the checks that passed. */
export type GrantSoFar = Readonly<Partial<Omit<Grant, 'rule'>>>;

/** A passing check may contribute to the grant (the actor, the audiences, the scope). */
export type CheckResult =
  | { ok: true; message: string; grants?: Partial<Omit<Grant, 'rule'>> }
  | { ok: false; message: string };

/**
 * One named policy check: the unit the decision trace reports on. `id` is stable: a denial's
 * reason is `policy.<id>` (docs/oauth-errors.md).
 */
export interface PolicyCheck {
  id: string;
  description: string;
  class: CheckClass;
  run(rule: RuleConfig, input: PolicyInput, grant: GrantSoFar): CheckResult;
}
