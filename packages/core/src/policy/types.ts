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
 * Which OAuth error a failing check leads to when no rule matches (oauth-contract.md): identity
 * checks → invalid_request; target → invalid_target; scope → invalid_scope.
 */
export type CheckClass = 'identity' | 'target' | 'scope';

export type CheckResult = { ok: true; message: string } | { ok: false; message: string };

/** One named policy check: the unit the decision trace reports on. */
export interface PolicyCheck {
  id: string;
  description: string;
  class: CheckClass;
  run(rule: RuleConfig, input: PolicyInput, grant: Partial<Grant>): CheckResult;
}
