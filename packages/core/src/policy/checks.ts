import type { ActorMatcher } from '../config/schema';
import { subjectId } from '../issuer/claims';
import { type Actor, actorChain } from '../validators/act';
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

/** `a` and `b` name the same party: same `sub`, and the same issuer where both name one. */
const sameParty = (a: Actor, b: Actor): boolean =>
  a.sub === b.sub && (a.iss === undefined || b.iss === undefined || a.iss === b.iss);

/** The subject token's `aud` as a list. */
const audiencesOf = (aud: unknown): string[] =>
  typeof aud === 'string'
    ? [aud]
    : Array.isArray(aud)
      ? aud.filter((a) => typeof a === 'string')
      : [];

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
    // Decision 0006 (revised): a token this tenant issued is exchanged again by its holder only.
    id: 'holder',
    description: 'A token this tenant issued is presented by its holder (aud or client_id)',
    class: 'identity',
    run: (rule, { subject, client }) => {
      if (!subject.self) return pass('not a token of this tenant');
      if (rule.anyHolder)
        return pass('the rule lets any of its clients exchange this tenant’s tokens (anyHolder)');
      const aud = audiencesOf(subject.claims.aud);
      if (aud.includes(client.clientId))
        return pass(`client ${client.clientId} is in the token's aud`);
      if (subject.claims.client_id === client.clientId)
        return pass(`client ${client.clientId} is the token's client_id`);
      return fail(
        `client ${client.clientId} holds neither the token's aud [${aud.join(', ')}] nor its client_id`,
      );
    },
  },
  {
    id: 'subject_age',
    description: 'The subject token is not older than the rule allows',
    class: 'identity',
    run: (rule, { subject, now }) => {
      const max = rule.maxSubjectAgeSeconds;
      if (max === undefined) return pass('the rule sets no maximum age');
      const iat = subject.claims.iat;
      if (typeof iat !== 'number') return fail(`the subject token has no iat; maximum age ${max}s`);
      const age = Math.floor(now / 1000 - iat);
      return age <= max
        ? pass(`issued ${Math.max(age, 0)}s ago ≤ ${max}s`)
        : fail(`issued ${age}s ago, older than ${max}s`);
    },
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
    // Decision 0006: impersonation must neither launder a delegated token nor make an earlier
    // actor look like the party now using the token.
    id: 'delegated_subject',
    description:
      'Impersonation: a subject token that already names actors needs the rule’s consent',
    class: 'identity',
    run: (rule, { subject }) => {
      if (rule.mode !== 'impersonation') return pass('delegation: the chain is extended below');
      const chain = actorChain(subject.act);
      if (chain.length === 0) return pass('the subject token names no actor');
      const names = chain.map((a) => a.sub).join(' → ');
      if (!rule.impersonateDelegated)
        return fail(
          `the subject token was delegated (act: ${names}); this impersonation rule does not accept delegated tokens`,
        );
      return pass(
        `the subject token was delegated (act: ${names}); the rule accepts it and the issued token keeps that chain unchanged, so its outermost actor (${chain[0]?.sub}) is the earlier actor, not the caller`,
      );
    },
  },
  {
    // RFC 8693 §4.1: the act chain records who acted, in order. A party acting for itself, or
    // appearing twice, makes the chain lie about who is involved.
    id: 'actor_loop',
    description: 'The actor is neither the subject nor an actor already in the chain',
    class: 'identity',
    run: (_rule, { subject }, grant) => {
      const actor = grant.actor;
      if (!actor) return pass('no new actor');
      const original = subjectId(subject);
      const direct = { sub: subject.sub, iss: subject.issuer };
      if (sameParty(actor, direct) || sameParty(actor, original))
        return fail(`actor ${actor.sub} (${actor.iss}) is the subject itself`);
      const chain = actorChain(subject.act);
      const repeated = chain.find((a) => sameParty(actor, a));
      if (repeated)
        return fail(
          `actor ${actor.sub} (${actor.iss}) is already in the subject token's actor chain`,
        );
      if (chain.some((a) => sameParty(a, direct) || sameParty(a, original)))
        return fail('the subject token’s actor chain names its own subject');
      return pass(`actor ${actor.sub} is neither the subject nor already in the chain`);
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
      // Decision 0010: a may_act without iss names a party of the issuer of the token carrying
      // it, never a party of any issuer.
      const mayActIss = iss === undefined ? input.subject.issuer : iss;
      if (sub !== party.sub || mayActIss !== party.iss)
        return fail(
          `may_act does not name ${party.sub} (${party.iss})` +
            (iss === undefined ? `; without iss it names a party of ${input.subject.issuer}` : ''),
        );
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
      // Decision 0010: a subject token without a scope claim holds no scope, unless the rule says
      // that its issuers' tokens never carry one.
      const allowed = held
        ? rule.scopes.filter((s) => held.includes(s))
        : rule.unscopedSubjects === 'rule_scopes'
          ? rule.scopes
          : [];
      const unscoped = held
        ? ''
        : rule.unscopedSubjects === 'rule_scopes'
          ? ' (the subject token has no scope claim; the rule grants its own scopes to such tokens)'
          : ' (the subject token has no scope claim, so it holds no scope)';
      const requested = input.request.scope;
      if (requested === undefined)
        return pass(`no scope requested: granting "${allowed.join(' ')}"${unscoped}`, {
          scope: allowed,
        });
      const beyond = requested.filter((s) => !allowed.includes(s));
      if (beyond.length > 0 && rule.scopeMode === 'reject')
        return fail(`scope beyond what is allowed: "${beyond.join(' ')}"${unscoped}`);
      const granted = requested.filter((s) => allowed.includes(s));
      if (granted.length === 0)
        return fail(`none of "${requested.join(' ')}" may be granted${unscoped}`);
      return pass(
        beyond.length > 0
          ? `narrowed to "${granted.join(' ')}" (dropped "${beyond.join(' ')}")`
          : `granting "${granted.join(' ')}"`,
        { scope: granted },
      );
    },
  },
];
