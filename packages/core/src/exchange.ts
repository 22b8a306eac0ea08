import type { JWTPayload } from 'jose';
import { exchangeRefused, OAuthError, toOAuthError } from './errors';
import { buildAct, carriedClaims, type SubId, subjectId } from './issuer/claims';
import type { Limits } from './limits';
import type { ExchangeClient, Tenant } from './model';
import { actingParty } from './policy/acting-party';
import { evaluatePolicy } from './policy/engine';
import type { Clock, KeyResolver } from './ports';
import {
  type FormParams,
  parseTokenExchangeRequest,
  type TokenExchangeRequest,
} from './request/parse';
import type { IssuableTokenType } from './token-types';
import { Trace, type TraceEntry } from './trace';
import { type Actor, actorChain } from './validators/act';
import { verifyInputToken } from './validators/jwt';
import type { VerifiedSignatures } from './validators/verified-signatures';

export interface ExchangeContext {
  tenant: Tenant;
  client: ExchangeClient;
  keys: KeyResolver;
  clock: Clock;
  limits: Limits;
  /** Signatures verified before (the STS's cache of repeated tokens); none in the simulator. */
  signatures?: VerifiedSignatures;
}

/**
 * What is known about an attempt, granted or not: what the audit record and the console show.
 * Subjects are always namespaced by issuer.
 */
export interface ExchangeFacts {
  tenantId: string;
  clientId: string;
  subject?: { iss: string; sub: string };
  /**
   * Who tried to act: the actor token's subject and issuer once it is verified, or the client
   * itself when the request has no actor token. Undefined while unknown (a request that failed
   * before, or an actor token that did not verify).
   */
  actor?: { iss: string; sub: string };
  /** The issued (or would-be) token's actor chain, outermost first; else the subject's own. */
  actorChain: Actor[];
  requestedAudiences: string[];
  requestedScope?: string;
  ruleId?: string;
}

/** A decision to issue: everything issue() needs, and nothing it must look up. */
export interface Decision {
  ruleId: string;
  mode: 'delegation' | 'impersonation';
  issuedTokenType: IssuableTokenType;
  /** Token claims except iat, exp and jti, which issue() sets. */
  claims: JWTPayload & { sub: string; sub_id: SubId; aud: string | string[] };
  ttlSeconds: number;
  scope: string[];
  /** RFC 8693 §2.2.1: scope is returned when it differs from the requested scope. */
  scopeInResponse: boolean;
}

export type ExchangeResult =
  | { ok: true; decision: Decision; facts: ExchangeFacts; trace: TraceEntry[] }
  | { ok: false; error: OAuthError; facts: ExchangeFacts; trace: TraceEntry[] };

/**
 * RFC 8693 §2: validates a token exchange request and decides under the tenant's policy.
 * Writes nothing: the STS then calls issue(); the console's simulator shows the result.
 */
export async function exchange(params: FormParams, ctx: ExchangeContext): Promise<ExchangeResult> {
  const trace = new Trace();
  const facts = requestFacts(params, ctx.tenant.id, ctx.client.clientId);
  try {
    const decision = await decide(params, ctx, trace, facts);
    return { ok: true, decision, facts, trace: trace.entries };
  } catch (err) {
    const error = toOAuthError(err);
    if (!(err instanceof OAuthError)) trace.fail('server', 'error', error.detail);
    return { ok: false, error, facts, trace: trace.entries };
  }
}

/** What the request itself says, before anything is validated. */
export function requestFacts(
  params: FormParams,
  tenantId: string,
  clientId: string,
): ExchangeFacts {
  return {
    tenantId,
    clientId,
    actorChain: [],
    requestedAudiences: [...(params.get('audience') ?? []), ...(params.get('resource') ?? [])],
    requestedScope: params.get('scope')?.[0],
  };
}

async function decide(
  params: FormParams,
  ctx: ExchangeContext,
  trace: Trace,
  facts: ExchangeFacts,
): Promise<Decision> {
  const { tenant, client, clock } = ctx;
  // The STS refuses a disabled client when it authenticates; the simulator, which authenticates
  // no one, learns it here.
  if (client.disabled) {
    const detail = `client ${client.clientId} is disabled`;
    trace.fail('client', 'disabled', detail);
    throw new OAuthError('invalid_client', 'Client authentication failed', {
      reason: { step: 'client', check: 'disabled' },
      detail,
    });
  }
  if (!client.allowTokenExchange) {
    const detail = `client ${client.clientId} may not use token exchange`;
    trace.fail('client', 'grant_type', detail);
    throw new OAuthError('unauthorized_client', 'The client may not use token exchange', {
      reason: { step: 'client', check: 'grant_type' },
      detail,
    });
  }
  trace.pass('client', 'grant_type', `client ${client.clientId} may use token exchange`);

  let request: TokenExchangeRequest;
  try {
    request = parseTokenExchangeRequest(params, ctx.limits, trace);
  } catch (err) {
    // docs/oauth-errors.md: the precise reason goes to the decision trace, malformed requests too.
    if (err instanceof OAuthError) trace.fail(err.reason.step, err.reason.check, err.detail);
    throw err;
  }
  const verify = {
    tenant,
    keys: ctx.keys,
    clock,
    limits: ctx.limits,
    trace,
    signatures: ctx.signatures,
  };
  const subject = await verifyInputToken(
    'subject_token',
    request.subjectToken,
    request.subjectTokenType,
    verify,
  );
  facts.subject = { iss: subject.issuer, sub: subject.sub };
  facts.actorChain = actorChain(subject.act);
  const actorToken = request.actor
    ? await verifyInputToken('actor_token', request.actor.token, request.actor.tokenType, verify)
    : undefined;
  facts.actor = actingParty(actorToken, client, tenant);

  const policy = evaluatePolicy(
    { tenant, client, request, subject, actorToken, now: clock() },
    trace,
  );
  if (!policy.ok) throw policy.error;
  const { grant } = policy;
  facts.ruleId = grant.rule.id;

  const act = buildAct(grant.actor, subject.act);
  facts.actorChain = actorChain(act);

  const ttlSeconds = lifetime(tenant, grant.rule, subject.expiresAt, clock, trace);
  const claims: Decision['claims'] = {
    ...carriedClaims(subject.claims, grant.rule.carryClaims),
    iss: tenant.issuer,
    sub: subject.sub,
    // RFC 9493 §3.2.6, decision 0011: `sub` alone is ambiguous across issuers ("alice" of two
    // identity providers); sub_id names the issuer that named the subject.
    sub_id: subjectId(subject),
    aud: grant.audiences.length === 1 ? (grant.audiences[0] as string) : grant.audiences,
    client_id: client.clientId,
  };
  trace.info(
    'issue',
    'sub_id',
    `sub "${subject.sub}" with sub_id ${claims.sub_id.iss} / ${claims.sub_id.sub} (iss_sub)`,
  );
  if (grant.scope.length > 0) claims.scope = grant.scope.join(' ');
  if (act) claims.act = act;

  return {
    ruleId: grant.rule.id,
    mode: grant.rule.mode,
    issuedTokenType: request.requestedTokenType,
    claims,
    ttlSeconds,
    scope: grant.scope,
    scopeInResponse: !sameScope(request, grant.scope),
  };
}

/** The tenant default, capped by the rule and, unless the rule allows it, by the subject's expiry. */
function lifetime(
  tenant: Tenant,
  rule: { maxTtlSeconds?: number; allowBeyondSubjectExpiry: boolean },
  subjectExp: number,
  clock: Clock,
  trace: Trace,
): number {
  let ttl = Math.min(tenant.accessTokenTtlSeconds, rule.maxTtlSeconds ?? Number.POSITIVE_INFINITY);
  if (!rule.allowBeyondSubjectExpiry) {
    const remaining = Math.floor(subjectExp - clock() / 1000);
    if (remaining < ttl) {
      ttl = remaining;
      trace.info('issue', 'lifetime', `capped at the subject token's remaining ${remaining}s`);
    }
  }
  if (ttl < 1) {
    trace.fail('issue', 'lifetime', 'the subject token expires before a token could be issued');
    throw exchangeRefused(
      { step: 'issue', check: 'lifetime' },
      'subject token expires within the clock skew',
    );
  }
  trace.pass('issue', 'lifetime', `issued token lives ${ttl}s`);
  return ttl;
}

function sameScope(request: TokenExchangeRequest, granted: string[]): boolean {
  const requested = request.scope;
  if (requested === undefined) return granted.length === 0;
  return requested.length === granted.length && requested.every((s) => granted.includes(s));
}
