import type { ActorMatcher } from '../config/schema';
import { actorChain } from '../validators/act';
import { actingParty } from './acting-party';
import { admitsClient, allowsTarget, issuerUrl } from './predicates';
import type { CheckResult, Grant, PolicyCheck, PolicyInput } from './types';

const pass = (message: string, grants?: Partial<Omit<Grant, 'rule'>>): CheckResult => ({
  ok: true,
  message,
  grants,
});
const fail = (message: string): CheckResult => ({ ok: false, message });

/** The party that would act: the actor token's subject, or the client itself. */
const actingPartyOf = ({ actorToken, client, tenant }: PolicyInput) =>
  actingParty(actorToken, client, tenant);

function matchesActor(matcher: ActorMatcher, input: PolicyInput): boolean {
  const { actorToken, tenant } = input;
  if (matcher === 'client') return actorToken === undefined;
  if (!actorToken || issuerUrl(matcher.issuer, tenant.issuer) !== actorToken.issuer) return false;
  return !matcher.subjects || matcher.subjects.includes(actorToken.sub);
}

/**
 * Scopes the subject token carries (`scope` string, RFC 9068 §2.2.3, or `scp`, which issuers send
 * as an array or a space-delimited string); undefined when it has neither. A claim in any other
 * form holds nothing: an unreadable scope must never widen the grant to the whole rule.
 */
function subjectScopes(input: PolicyInput): string[] | undefined {
  const { scope, scp } = input.subject.claims;
  const claim = scope !== undefined ? scope : scp;
  if (claim === undefined) return undefined;
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * The checks a rule is made of, in the order they run. The first failing check ends the rule;
 * every outcome is recorded in the decision trace.
 */
export const POLICY_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'client',
    description: 'The rule applies to the requesting client',
    class: 'identity',
    run: (rule, { client }) =>
      admitsClient(rule.clients, client.clientId)
        ? pass(`client ${client.clientId} is listed`)
        : fail(`client ${client.clientId} is not in [${rule.clients.join(', ')}]`),
  },
  {
    id: 'subject_issuer',
    description: 'The subject token comes from an issuer the rule accepts',
    class: 'identity',
    run: (rule, { subject, tenant }) =>
      rule.subjectIssuers.some((i) => issuerUrl(i, tenant.issuer) === subject.issuer)
        ? pass(`subject issuer ${subject.issuer} is accepted`)
        : fail(`subject issuer ${subject.issuer} is not in [${rule.subjectIssuers.join(', ')}]`),
  },
  {
    id: 'subject_token_type',
    description: 'The subject token type is one the rule accepts',
    class: 'identity',
    run: (rule, { request }) =>
      (rule.subjectTokenTypes as string[]).includes(request.subjectTokenType)
        ? pass(`subject_token_type ${request.subjectTokenType} is accepted`)
        : fail(`subject_token_type ${request.subjectTokenType} is not accepted by this rule`),
  },
  {
    id: 'mode',
    description: 'Delegation needs an allowed actor; impersonation takes no actor token',
    class: 'identity',
    run: (rule, input) => {
      if (rule.mode === 'impersonation') {
        if (input.actorToken) return fail('impersonation rule, but an actor_token was sent');
        return pass('impersonation: the issued token will name the subject alone');
      }
      const matcher = rule.actors.find((m) => matchesActor(m, input));
      const actor = actingPartyOf(input);
      if (!matcher)
        return fail(
          input.actorToken
            ? `actor ${actor.sub} from ${actor.iss} is not an allowed actor`
            : 'delegation needs an actor_token: this rule does not let the client act as itself',
        );
      return pass(`delegation: ${actor.sub} (${actor.iss}) may act`, { actor });
    },
  },
  {
    // RFC 8693 §4.4: may_act names the party authorized to act on behalf of the subject.
    id: 'may_act',
    description: 'A may_act claim in the subject token names the acting party',
    class: 'identity',
    run: (_rule, input) => {
      const mayAct = input.subject.claims.may_act;
      if (mayAct === undefined) return pass('subject token has no may_act claim');
      const party = actingPartyOf(input);
      if (typeof mayAct !== 'object' || mayAct === null || Array.isArray(mayAct))
        return fail('may_act is not a JSON object');
      const { sub, iss } = mayAct as Record<string, unknown>;
      if (sub !== party.sub || (iss !== undefined && iss !== party.iss))
        return fail(`may_act does not name ${party.sub} (${party.iss})`);
      return pass(`may_act names ${party.sub}`);
    },
  },
  {
    id: 'chain_depth',
    description: 'The actor chain stays within the rule’s maximum depth',
    class: 'identity',
    run: (rule, { subject }, grant) => {
      const depth = actorChain(subject.act).length + (grant.actor ? 1 : 0);
      return depth <= rule.maxChainDepth
        ? pass(`actor chain depth ${depth} ≤ ${rule.maxChainDepth}`)
        : fail(`actor chain depth ${depth} exceeds ${rule.maxChainDepth}`);
    },
  },
  {
    id: 'requested_token_type',
    description: 'The rule may issue the requested token type',
    class: 'identity',
    run: (rule, { request }) =>
      (rule.requestedTokenTypes as string[]).includes(request.requestedTokenType)
        ? pass(`may issue ${request.requestedTokenType}`)
        : fail(`does not issue ${request.requestedTokenType}`),
  },
  {
    id: 'target',
    description: 'Every requested audience and resource is allowed',
    class: 'target',
    run: (rule, { request }) => {
      const requested = [...request.audiences, ...request.resources];
      if (requested.length === 0) {
        if (rule.defaultAudiences.length === 0)
          return fail('no audience or resource requested and the rule has no default');
        return pass(`no target requested: default audience [${rule.defaultAudiences.join(', ')}]`, {
          audiences: [...rule.defaultAudiences],
        });
      }
      const refused = requested.filter((t) => !allowsTarget(rule, t));
      if (refused.length > 0) return fail(`not allowed: [${refused.join(', ')}]`);
      const audiences = [...new Set(requested)];
      return pass(`allowed: [${audiences.join(', ')}]`, { audiences });
    },
  },
  {
    id: 'scope',
    description: 'The scope is within what the rule and the subject token allow',
    class: 'scope',
    run: (rule, input) => {
      const held = subjectScopes(input);
      const allowed = held ? rule.scopes.filter((s) => held.includes(s)) : rule.scopes;
      const requested = input.request.scope;
      if (requested === undefined)
        return pass(`no scope requested: granting "${allowed.join(' ')}"`, { scope: allowed });
      const beyond = requested.filter((s) => !allowed.includes(s));
      if (beyond.length > 0 && rule.scopeMode === 'reject')
        return fail(`scope beyond what is allowed: "${beyond.join(' ')}"`);
      const granted = requested.filter((s) => allowed.includes(s));
      if (granted.length === 0) return fail(`none of "${requested.join(' ')}" may be granted`);
      return pass(
        beyond.length > 0
          ? `narrowed to "${granted.join(' ')}" (dropped "${beyond.join(' ')}")`
          : `granting "${granted.join(' ')}"`,
        { scope: granted },
      );
    },
  },
];
