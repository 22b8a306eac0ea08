import type { ActorMatcher, RuleConfig } from '../config/schema';
import { TOKEN_TYPE } from '../token-types';
import { admitsAnyClient, isSelf } from './predicates';

/**
 * A rule in plain language, for the console: what the engine (./checks.ts) lets through under
 * this rule, field by field. Pure: no I/O, no engine state. The headline is one sentence
 * ("Client gateway may get tokens for https://orders.example with scope orders:read on behalf
 * of users of https://idp.example, acting as itself."); the details cover every other field.
 */
export interface RuleSummary {
  headline: string;
  details: string[];
}

/** What the summary needs of the tenant: its issuer ("self") and its default token lifetime. */
export interface RuleSummaryTenant {
  issuer: string;
  accessTokenTtlSeconds?: number;
}

export function ruleSummary(rule: RuleConfig, tenant: RuleSummaryTenant): RuleSummary {
  const headline =
    `${who(rule.clients)} may get ${tokenKinds(rule.requestedTokenTypes)} ` +
    `for ${targets(rule)}${scopePhrase(rule.scopes)} ` +
    `on behalf of ${subjects(rule.subjectIssuers, tenant)}, ${how(rule, tenant)}.`;
  const details = [
    defaultAudienceSentence(rule),
    scopeSentence(rule),
    tokenTypeSentence(rule),
    lifetimeSentence(rule, tenant),
    chainSentence(rule),
    subjectIdSentence(rule, tenant),
    carrySentence(rule.carryClaims),
  ];
  const holder = holderSentence(rule, tenant);
  if (holder) details.splice(1, 0, holder);
  if (rule.maxSubjectAgeSeconds !== undefined)
    details.push(
      `Subject tokens issued more than ${duration(rule.maxSubjectAgeSeconds)} ago (by their iat), or without iat, are refused.`,
    );
  if (rule.disabled) details.unshift('Disabled: the rule is skipped when exchanges are decided.');
  return { headline, details };
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

function who(clients: readonly string[]): string {
  if (admitsAnyClient(clients)) return 'Any client of the tenant';
  if (clients.length === 0) return 'No client (the rule names none)';
  return `${clients.length === 1 ? 'Client' : 'Clients'} ${orList(clients)}`;
}

const TOKEN_NAMES: Record<string, { one: string; many: string }> = {
  [TOKEN_TYPE.accessToken]: { one: 'access token', many: 'access tokens' },
  [TOKEN_TYPE.jwt]: { one: 'JWT', many: 'JWTs' },
  [TOKEN_TYPE.idToken]: { one: 'ID token', many: 'ID tokens' },
  [TOKEN_TYPE.refreshToken]: { one: 'refresh token', many: 'refresh tokens' },
};
const many = (type: string) => TOKEN_NAMES[type]?.many ?? type;

function tokenKinds(types: readonly string[]): string {
  if (types.length === 0) return 'no token (it may issue no token type)';
  if (types.length === 1 && types[0] === TOKEN_TYPE.accessToken) return 'tokens';
  return orList(types.map(many));
}

function targets(rule: RuleConfig): string {
  const all = [...rule.audiences, ...rule.audiencePrefixes.map((p) => `anything under ${p}`)];
  if (all.length > 0) return orList(all);
  return rule.defaultAudiences.length > 0
    ? orList(rule.defaultAudiences)
    : 'no audience (it allows none)';
}

function scopePhrase(scopes: readonly string[]): string {
  if (scopes.length === 0) return ' with no scope';
  return scopes.length === 1 ? ` with scope ${scopes[0]}` : ` with scopes ${orList(scopes, 'and')}`;
}

function subjects(issuers: readonly string[], tenant: RuleSummaryTenant): string {
  if (issuers.length === 0) return 'no one (the rule names no subject issuer)';
  const external = issuers.filter((i) => !isSelf(i, tenant.issuer));
  const parts: string[] = [];
  if (external.length > 0) parts.push(`users of ${orList(external)}`);
  if (external.length < issuers.length)
    parts.push(`the subjects of tokens this tenant issued (${tenant.issuer})`);
  return orList(parts);
}

function how(rule: RuleConfig, tenant: RuleSummaryTenant): string {
  if (rule.mode === 'impersonation')
    return 'impersonating them: the issued token names the subject alone, with no new actor, and no actor token is accepted';
  if (rule.actors.length === 0) return 'but no actor may act for them (delegation needs one)';
  return orList(rule.actors.map((m) => actorPhrase(m, tenant)));
}

function actorPhrase(matcher: ActorMatcher, tenant: RuleSummaryTenant): string {
  if (matcher === 'client') return 'acting as itself';
  const issuer = isSelf(matcher.issuer, tenant.issuer)
    ? `this tenant (${tenant.issuer})`
    : matcher.issuer;
  if (!matcher.subjects) return `with an actor token of any subject from ${issuer}`;
  if (matcher.subjects.length === 0) return `with an actor token from ${issuer} of no subject`;
  return `with an actor token of ${orList(matcher.subjects)} from ${issuer}`;
}

function defaultAudienceSentence(rule: RuleConfig): string {
  if (rule.defaultAudiences.length === 0)
    return 'A request must name an audience or resource; one that names none is refused.';
  return `A request that names no audience or resource gets ${orList(rule.defaultAudiences, 'and')}.`;
}

function scopeSentence(rule: RuleConfig): string {
  if (rule.scopes.length === 0)
    return 'Issued tokens carry no scope; a request that names a scope is refused (invalid_scope).';
  const unscoped =
    rule.unscopedSubjects === 'rule_scopes'
      ? ' (a subject token without a scope claim may get any of the rule’s scopes)'
      : ' (a subject token without a scope claim holds none, so it gets no scope)';
  const limit = `Scopes are further limited to those the subject token holds${unscoped}`;
  return rule.scopeMode === 'reject'
    ? `${limit}; a request for any scope beyond that is refused (invalid_scope).`
    : `${limit}; a request for more is narrowed to what may be granted, and the granted scope is returned.`;
}

function tokenTypeSentence(rule: RuleConfig): string {
  const accepts =
    rule.subjectTokenTypes.length === 0
      ? 'Accepts no subject token type (the rule never matches)'
      : `Accepts ${orList(rule.subjectTokenTypes.map(many))} as subject tokens`;
  const issues =
    rule.requestedTokenTypes.length === 0
      ? 'may issue no token type'
      : `issues ${orList(rule.requestedTokenTypes.map(many))}`;
  return `${accepts} and ${issues}.`;
}

function lifetimeSentence(rule: RuleConfig, tenant: RuleSummaryTenant): string {
  const tenantTtl = tenant.accessTokenTtlSeconds;
  const cap =
    rule.maxTtlSeconds === undefined
      ? tenantTtl === undefined
        ? 'the tenant’s token lifetime'
        : `the tenant’s ${duration(tenantTtl)}`
      : tenantTtl === undefined || rule.maxTtlSeconds < tenantTtl
        ? `${duration(rule.maxTtlSeconds)} (this rule’s limit)`
        : `the tenant’s ${duration(tenantTtl)} (this rule allows up to ${duration(rule.maxTtlSeconds)})`;
  return rule.allowBeyondSubjectExpiry
    ? `Issued tokens live ${cap} and may outlive the subject token.`
    : `Issued tokens live ${cap}, and never beyond the subject token’s expiry.`;
}

function chainSentence(rule: RuleConfig): string {
  const n = rule.maxChainDepth;
  if (rule.mode === 'impersonation')
    return !rule.impersonateDelegated || n === 0
      ? 'A subject token that already names an actor (act) is refused.'
      : `A delegated subject token (one naming up to ${n} ${n === 1 ? 'actor' : 'actors'} in act) is accepted; the issued token keeps that chain unchanged, so its outermost actor is an earlier one, not the caller.`;
  const loops = ' An actor that is the subject itself, or already in the chain, is refused.';
  if (n === 0) return 'The actor chain may hold no actor, so this delegation rule never matches.';
  if (n === 1)
    return `Direct delegation only: a subject token that already names an actor (act) is refused.${loops}`;
  return `The issued token’s actor chain may hold up to ${n} actors, the new one included.${loops}`;
}

function holderSentence(rule: RuleConfig, tenant: RuleSummaryTenant): string | undefined {
  if (!rule.subjectIssuers.some((i) => isSelf(i, tenant.issuer))) return undefined;
  return rule.anyHolder
    ? 'Any client of the rule may exchange a token this tenant issued again, whatever its aud (anyHolder).'
    : 'A token this tenant issued may be exchanged again only by its holder: a client named in its aud or its client_id.';
}

function subjectIdSentence(rule: RuleConfig, tenant: RuleSummaryTenant): string {
  const external = rule.subjectIssuers.filter((i) => !isSelf(i, tenant.issuer));
  const collide = rule.subjectIssuers.length > 1;
  return collide
    ? `Issued tokens keep the subject’s sub and add sub_id (iss_sub): subjects of ${orList(rule.subjectIssuers.map((i) => (isSelf(i, tenant.issuer) ? 'this tenant' : i)))} may share a sub, so consumers must tell them apart by sub_id.`
    : `Issued tokens keep the subject’s sub and add sub_id (iss_sub) naming ${external[0] ?? 'the original issuer'}.`;
}

function carrySentence(claims: readonly string[]): string {
  if (claims.length === 0) return 'No other claim of the subject token is copied.';
  const names = claims.map((c) => `"${c}"`);
  return `Copies the subject token’s ${orList(names, 'and')} ${claims.length === 1 ? 'claim' : 'claims'} into the issued token (registered claims are never copied).`;
}

/** 300 → "5 min", 90 → "90 s", 7200 → "2 h". */
export function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
