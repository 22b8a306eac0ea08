import type { ActorMatcher, RuleConfig } from '../config/schema';
import { admitsAnyClient, allowsTarget } from './predicates';
import { orList } from './summary';

/**
 * Static analysis of a tenant's rules, for the console. Pure and conservative: it reads the rules
 * only (no clients, issuers or tokens), and reports a rule as unreachable only when that follows
 * from the checks of ./checks.ts for EVERY possible request. What it finds:
 *
 * - `unreachable`: the rule can never grant.
 *   - By itself: no client, no subject issuer, no subject or requested token type, no audience
 *     (exact, prefix or default), or a delegation rule with no actor or a maximum chain depth of 0.
 *   - Shadowed: an earlier enabled rule A passes every check whenever this rule B does, so A always
 *     decides first. That holds when A and B have the same mode, and A's clients ⊇ B's ("*" covers
 *     all), subject issuers ⊇, subject token types ⊇, requested token types ⊇, actors cover B's
 *     ("client" by "client"; an issuer's subjects by the same issuer with no subject list or a
 *     superset), max chain depth ≥, every audience B allows is allowed by A (exact, or under an A
 *     prefix; B's prefixes under an A prefix), A has a default audience when B has one, A's scopes
 *     ⊇ B's, not (A rejects extra scope while B narrows it), A grants scopes to unscoped subject
 *     tokens when B does, A lets any holder exchange this tenant's tokens when B does, A's maximum
 *     subject age is none or ≥ B's, and A accepts delegated subject tokens when B does. may_act,
 *     the actor loop check and the subject token's own scope affect both rules alike.
 * - `conflict`: two enabled rules can apply to the same client, subject issuer, token types and
 *   target, and the order (or the presence of an actor token) decides between different outcomes:
 *   different modes (delegation vs impersonation), or different scopes (the earlier rule grants
 *   its scope to a request both accept, e.g. one without a scope parameter).
 * - `overlap`: two enabled rules of the same mode and scopes can match the same request; the
 *   earlier one decides it (the difference may be in lifetime, audiences or carried claims).
 *
 * Values are compared as written: "self" and the tenant's own issuer URL count as different
 * issuers, and a client id that does not exist still counts. That can only hide a finding, never
 * invent one. Disabled rules are skipped: they never match. Each finding names the later rule
 * (`ruleId`) and, for pairs, the earlier one (`otherRuleId`).
 */
export type RuleFindingKind = 'unreachable' | 'conflict' | 'overlap';

export interface RuleFinding {
  ruleId: string;
  kind: RuleFindingKind;
  message: string;
  /** The earlier rule involved (shadowing, conflict, overlap). */
  otherRuleId?: string;
}

/** Findings in rule order. */
export function analyzeRules(rules: readonly RuleConfig[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const live: RuleConfig[] = [];
  for (const rule of rules) {
    if (rule.disabled) continue;
    const dead = neverMatches(rule);
    if (dead) {
      findings.push({ ruleId: rule.id, kind: 'unreachable', message: `Never matches: ${dead}.` });
      continue;
    }
    const shadow = live.find((earlier) => covers(earlier, rule));
    if (shadow) {
      findings.push({
        ruleId: rule.id,
        kind: 'unreachable',
        otherRuleId: shadow.id,
        message: `Never matches: rule ${shadow.id} comes first and accepts every request this rule would.`,
      });
      continue;
    }
    for (const earlier of live) {
      const finding = pairFinding(earlier, rule);
      if (finding) findings.push(finding);
    }
    live.push(rule);
  }
  return findings;
}

/** Why a rule can never grant on its own, or undefined. */
function neverMatches(rule: RuleConfig): string | undefined {
  if (rule.clients.length === 0) return 'it names no client';
  if (rule.subjectIssuers.length === 0) return 'it names no subject issuer';
  if (rule.subjectTokenTypes.length === 0) return 'it accepts no subject token type';
  if (rule.requestedTokenTypes.length === 0) return 'it may issue no token type';
  if (
    rule.audiences.length === 0 &&
    rule.audiencePrefixes.length === 0 &&
    rule.defaultAudiences.length === 0
  )
    return 'it allows no audience or resource and has no default audience';
  if (rule.mode === 'delegation') {
    if (rule.actors.length === 0) return 'a delegation rule with no allowed actor';
    if (rule.maxChainDepth < 1)
      return 'a delegation rule adds an actor, but its maximum chain depth is 0';
  }
  return undefined;
}

const superset = (a: readonly string[], b: readonly string[]) => b.every((x) => a.includes(x));
const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
const sameSet = (a: readonly string[], b: readonly string[]) => superset(a, b) && superset(b, a);

const clientsCover = (a: RuleConfig, b: RuleConfig) =>
  admitsAnyClient(a.clients) || (!admitsAnyClient(b.clients) && superset(a.clients, b.clients));
const clientsMeet = (a: RuleConfig, b: RuleConfig) =>
  admitsAnyClient(a.clients) || admitsAnyClient(b.clients) || intersects(a.clients, b.clients);

/** Every target B may be asked for is allowed by A. */
function targetsCover(a: RuleConfig, b: RuleConfig): boolean {
  return (
    b.audiences.every((t) => allowsTarget(a, t)) &&
    b.audiencePrefixes.every((q) => a.audiencePrefixes.some((p) => q.startsWith(p))) &&
    (b.defaultAudiences.length === 0 || a.defaultAudiences.length > 0)
  );
}

/** Some request (a target, or none) is allowed by both. */
function targetsMeet(a: RuleConfig, b: RuleConfig): boolean {
  if (a.defaultAudiences.length > 0 && b.defaultAudiences.length > 0) return true;
  return (
    a.audiences.some((t) => allowsTarget(b, t)) ||
    b.audiences.some((t) => allowsTarget(a, t)) ||
    a.audiencePrefixes.some((p) =>
      b.audiencePrefixes.some((q) => p.startsWith(q) || q.startsWith(p)),
    )
  );
}

/** Every actor B lets act is let act by A (both delegation). */
function actorsCover(a: readonly ActorMatcher[], b: readonly ActorMatcher[]): boolean {
  return b.every((mb) =>
    mb === 'client'
      ? a.includes('client')
      : a.some(
          (ma) =>
            ma !== 'client' &&
            ma.issuer === mb.issuer &&
            (ma.subjects === undefined ||
              (mb.subjects !== undefined && superset(ma.subjects, mb.subjects))),
        ),
  );
}

/** Some actor (or the client itself) is let act by both. */
function actorsMeet(a: readonly ActorMatcher[], b: readonly ActorMatcher[]): boolean {
  return a.some((ma) =>
    b.some((mb) => {
      if (ma === 'client' || mb === 'client') return ma === mb;
      if (ma.issuer !== mb.issuer) return false;
      if (!ma.subjects || !mb.subjects) return true;
      return intersects(ma.subjects, mb.subjects);
    }),
  );
}

/** A passes every check whenever B does: B is unreachable after A. */
export function covers(a: RuleConfig, b: RuleConfig): boolean {
  return (
    a.mode === b.mode &&
    clientsCover(a, b) &&
    superset(a.subjectIssuers, b.subjectIssuers) &&
    superset(a.subjectTokenTypes, b.subjectTokenTypes) &&
    superset(a.requestedTokenTypes, b.requestedTokenTypes) &&
    (a.mode === 'impersonation' || actorsCover(a.actors, b.actors)) &&
    a.maxChainDepth >= b.maxChainDepth &&
    targetsCover(a, b) &&
    superset(a.scopes, b.scopes) &&
    !(a.scopeMode === 'reject' && b.scopeMode === 'narrow') &&
    (a.unscopedSubjects === 'rule_scopes' || b.unscopedSubjects === 'no_scope') &&
    (a.anyHolder || !b.anyHolder) &&
    (a.maxSubjectAgeSeconds === undefined ||
      (b.maxSubjectAgeSeconds !== undefined && a.maxSubjectAgeSeconds >= b.maxSubjectAgeSeconds)) &&
    (a.impersonateDelegated || !b.impersonateDelegated)
  );
}

/** Same client, subject issuer, subject and requested token type, and target are possible. */
function sameGround(a: RuleConfig, b: RuleConfig): boolean {
  return (
    clientsMeet(a, b) &&
    intersects(a.subjectIssuers, b.subjectIssuers) &&
    intersects(a.subjectTokenTypes, b.subjectTokenTypes) &&
    intersects(a.requestedTokenTypes, b.requestedTokenTypes) &&
    targetsMeet(a, b)
  );
}

function pairFinding(a: RuleConfig, b: RuleConfig): RuleFinding | undefined {
  if (!sameGround(a, b)) return undefined;
  const base = { ruleId: b.id, otherRuleId: a.id };
  if (a.mode !== b.mode) {
    const delegation = a.mode === 'delegation' ? a : b;
    const clientActs = delegation.actors.includes('client');
    return {
      ...base,
      kind: 'conflict',
      message: clientActs
        ? `Rules ${a.id} (${a.mode}) and ${b.id} (${b.mode}) apply to the same clients, subject issuers and targets, and both accept a request without an actor token: ${a.id} comes first, so such requests are ${a.mode === 'delegation' ? 'delegated' : 'impersonated'}.`
        : `Rules ${a.id} (${a.mode}) and ${b.id} (${b.mode}) apply to the same clients, subject issuers and targets: whether the client sends an actor token decides between delegation (rule ${delegation.id}) and impersonation.`,
    };
  }
  if (a.mode === 'delegation' && !actorsMeet(a.actors, b.actors)) return undefined;
  if (!sameSet(a.scopes, b.scopes))
    return {
      ...base,
      kind: 'conflict',
      message: `Rules ${a.id} and ${b.id} can both grant the same request with different scopes (${scopeList(a.scopes)} vs ${scopeList(b.scopes)}): ${a.id} comes first, so it decides, e.g. for a request without a scope parameter.`,
    };
  return {
    ...base,
    kind: 'overlap',
    message: `Rules ${a.id} and ${b.id} can both match the same request; ${a.id} comes first and decides it${differences(a, b)}.`,
  };
}

const scopeList = (scopes: readonly string[]) =>
  scopes.length === 0 ? 'none' : `"${scopes.join(' ')}"`;

/** What the order changes for a request both rules accept. */
function differences(a: RuleConfig, b: RuleConfig): string {
  const fields: string[] = [];
  if (!sameSet(a.defaultAudiences, b.defaultAudiences)) fields.push('default audiences');
  if (
    a.maxTtlSeconds !== b.maxTtlSeconds ||
    a.allowBeyondSubjectExpiry !== b.allowBeyondSubjectExpiry
  )
    fields.push('token lifetime');
  if (!sameSet(a.carryClaims, b.carryClaims)) fields.push('carried claims');
  if (a.scopeMode !== b.scopeMode) fields.push('scope mode');
  if (a.maxChainDepth !== b.maxChainDepth) fields.push('chain depth');
  if (a.unscopedSubjects !== b.unscopedSubjects) fields.push('scope of unscoped subject tokens');
  if (a.anyHolder !== b.anyHolder) fields.push('who may exchange this tenant’s tokens');
  if (a.maxSubjectAgeSeconds !== b.maxSubjectAgeSeconds) fields.push('maximum subject token age');
  if (a.impersonateDelegated !== b.impersonateDelegated) fields.push('delegated subject tokens');
  return fields.length > 0 ? ` (they differ in ${orList(fields, 'and')})` : '';
}
