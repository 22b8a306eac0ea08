import { decodeJwt, decodeProtectedHeader, type JWSHeaderParameters, type JWTPayload } from 'jose';
import type { TrustedIssuerConfig } from '../config/schema';
import { invalidToken, type OAuthError, toOAuthError } from '../errors';
import { verifyJwsSignature } from '../keys/jws-signature';
import type { Limits } from '../limits';
import type { Tenant } from '../model';
import type { Clock, KeyResolver, VerifyKey } from '../ports';
import { ACCEPTED_TYP, type SubjectTokenType, TOKEN_TYPE } from '../token-types';
import type { Trace } from '../trace';
import { type ActClaim, readActClaim } from './act';
import type { VerifiedSignatures } from './verified-signatures';

/** A subject or actor token whose signature, issuer, time and type checks have passed. */
export interface VerifiedToken {
  issuer: string;
  sub: string;
  /** true when this tenant issued the token itself (a token exchanged again). */
  self: boolean;
  claims: JWTPayload;
  act: ActClaim | undefined;
  expiresAt: number;
  tokenType: SubjectTokenType;
}

export interface VerifyContext {
  tenant: Tenant;
  keys: KeyResolver;
  clock: Clock;
  limits: Limits;
  trace: Trace;
  /** Signatures verified before (the STS's cache); none in the simulator. */
  signatures?: VerifiedSignatures;
}

/** Never accepted, whatever an issuer is configured with. */
const FORBIDDEN_ALG = /^(none|HS\d+)$/i;

/**
 * Validates a JWT presented as subject_token or actor_token. Every failure becomes the same
 * invalid_request (RFC 8693 §2.2.2) with the precise reason in the trace and the error's detail.
 * `jku`, `x5u`, `jwk` and `x5c` headers are never used to find a key: keys come only from the
 * issuer's configured JWKS.
 */
export async function verifyInputToken(
  which: 'subject_token' | 'actor_token',
  token: string,
  tokenType: SubjectTokenType,
  ctx: VerifyContext,
): Promise<VerifiedToken> {
  const { tenant, trace } = ctx;
  const fail = (check: string, reason: string): never => {
    trace.fail(which, check, reason);
    throw invalidToken(which, check, reason);
  };

  if (token.split('.').length !== 3)
    fail('format', 'not a compact JWS (three dot-separated parts)');
  let header: JWSHeaderParameters;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    return fail('format', 'header or payload is not base64url-encoded JSON');
  }

  const alg = header.alg ?? '';
  if (FORBIDDEN_ALG.test(alg)) fail('algorithm', `alg "${alg}" is never accepted`);

  const iss = unverified.iss;
  if (typeof iss !== 'string') return fail('issuer', 'no iss claim');
  const self = iss === tenant.issuer;
  const trusted = self ? undefined : tenant.trustedIssuers.find((t) => t.issuer === iss);
  if (!self && !trusted) fail('issuer', `issuer ${iss} is not trusted by tenant ${tenant.id}`);

  const algorithms = trusted ? trusted.algorithms : ctx.keys.ownAlgorithms(tenant);
  if (!algorithms.includes(alg))
    fail('algorithm', `alg "${alg}" is not allowed for ${iss} (allowed: ${algorithms.join(', ')})`);

  if (header.typ !== undefined && typeof header.typ !== 'string')
    fail('typ', 'typ is not a string');
  const typProblem = typRefusal(tokenType, trusted, header.typ as string | undefined);
  if (typProblem) fail('typ', typProblem);

  // An issuer with no audiences accepts no token unless it opted in to any audience (decision 0010).
  if (trusted && !trusted.anyAudience && trusted.audiences.length === 0)
    fail('aud', noAudienceReason(trusted));

  const crit = critRefusal(header);
  if (crit) fail('crit', crit);

  let key: VerifyKey | undefined;
  try {
    key = await resolveKey(ctx, trusted, header);
  } catch (err) {
    const error = err as OAuthError;
    trace.fail(which, 'keys', error.detail);
    throw error.withReason({ step: which, check: 'keys' });
  }
  if (!key)
    return fail('keys', `no key of ${iss} matches kid "${header.kid ?? ''}" and alg ${alg}`);
  const nowMs = ctx.clock();
  const signed = ctx.signatures
    ? ctx.signatures.verify({ tenantId: tenant.id, issuer: iss }, token, alg, key, {
        expiresAt: typeof unverified.exp === 'number' ? unverified.exp : 0,
        now: nowMs,
      })
    : verifyJwsSignature(token, alg, key);
  if (!signed) fail('signature', 'signature is invalid');
  const claims = unverified;
  const now = nowMs / 1000;
  const claimProblem = registeredClaimsRefusal(claims, {
    audience: trusted && !trusted.anyAudience ? trusted.audiences : undefined,
    now: Math.floor(now),
    tolerance: ctx.limits.clockSkewSeconds,
  });
  if (claimProblem) fail(...claimProblem);
  if (typeof claims.iat === 'number' && claims.iat > now + ctx.limits.clockSkewSeconds)
    fail('iat', 'iat is in the future');
  if (typeof claims.sub !== 'string' || claims.sub === '') fail('sub', 'sub is empty');
  const act = readActClaim(claims.act, ctx.limits.maxActDepth);
  if (!act.ok) return fail('act', act.reason);

  trace.pass(
    which,
    'validated',
    `Signature (${alg}), issuer ${iss}${self ? ' (this tenant)' : ''}, ` +
      `${trusted && !trusted.anyAudience ? 'audience, ' : ''}expiry and type are valid; sub "${claims.sub}"` +
      (trusted?.anyAudience ? ' (any audience accepted from this issuer)' : ''),
  );
  return {
    issuer: iss,
    sub: claims.sub as string,
    self,
    claims,
    act: act.act,
    expiresAt: claims.exp as number,
    tokenType,
  };
}

/** The key the configuration gives for this header; a failing port becomes an OAuthError. */
async function resolveKey(
  ctx: VerifyContext,
  trusted: TrustedIssuerConfig | undefined,
  header: JWSHeaderParameters,
): Promise<VerifyKey | undefined> {
  try {
    return trusted
      ? await ctx.keys.issuerKey(ctx.tenant, trusted, header)
      : await ctx.keys.ownKey(ctx.tenant, header);
  } catch (err) {
    // A failing port is the server's problem, not the token's: an OAuthError (e.g.
    // temporarily_unavailable) as thrown, anything else a server_error, never invalid_request.
    throw toOAuthError(err);
  }
}

/**
 * Why a token's `typ` header does not fit the token type it is presented as, or undefined when it
 * does. An access token must carry one of the `typ` values its issuer uses for access tokens
 * (`accessTokenTyp`, "absent" for none; this tenant's own: `at+jwt`), so that an ID token (`JWT`)
 * cannot pass as one; other types keep ACCEPTED_TYP. Used by verification and by the console's
 * sample-token check alike.
 */
export function typRefusal(
  tokenType: SubjectTokenType,
  trusted: Pick<TrustedIssuerConfig, 'accessTokenTyp'> | undefined,
  headerTyp: string | undefined,
): string | undefined {
  const typ = normaliseTyp(headerTyp);
  if (tokenType === TOKEN_TYPE.accessToken) {
    const accepted = trusted ? trusted.accessTokenTyp : ['at+jwt'];
    const ok = accepted.some((a) =>
      a === 'absent' ? typ === undefined : typ !== undefined && normaliseTyp(a) === typ,
    );
    if (ok) return undefined;
    const shown = headerTyp === undefined ? 'no typ header' : `typ "${headerTyp}"`;
    return `${shown} is not one this issuer uses for access tokens (accepted: ${accepted.join(', ')})`;
  }
  if (typ !== undefined && !ACCEPTED_TYP[tokenType].includes(typ))
    return `typ "${headerTyp}" does not fit token type ${tokenType}`;
  return undefined;
}

/** The trace detail when a trusted issuer names no audience and does not accept any. */
export const noAudienceReason = (trusted: Pick<TrustedIssuerConfig, 'issuer'>) =>
  `trusted issuer ${trusted.issuer} names no audience and does not accept any audience: no token of it is accepted until audiences are set (or anyAudience)`;

/**
 * What an admin must hear about a trusted issuer's settings, or undefined: one with no audience
 * and no any-audience opt-in accepts no token (the state an upgrade leaves such issuers in,
 * decision 0010). The STS logs it at every configuration load; the console shows it.
 */
export function trustedIssuerWarning(
  trusted: Pick<TrustedIssuerConfig, 'issuer' | 'audiences' | 'anyAudience'>,
): string | undefined {
  if (trusted.anyAudience || trusted.audiences.length > 0) return undefined;
  return `Trusted issuer ${trusted.issuer} names no audience and does not accept any audience: its tokens are refused until audiences are set (or anyAudience: true).`;
}

/** RFC 7515 §4.1.9: compare case-insensitively, "application/" may be omitted. */
export function normaliseTyp(typ: string | undefined): string | undefined {
  if (typ === undefined) return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * RFC 7515 §4.1.11: a `crit` extension the STS does not understand refuses the token. The one it
 * understands is RFC 7797's b64, and a JWT's payload must be encoded (b64 true).
 */
function critRefusal(header: JWSHeaderParameters): string | undefined {
  const { crit } = header;
  if (crit === undefined) return undefined;
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((name) => name !== 'b64'))
    return 'crit names an extension this STS does not support';
  if (header.b64 !== true) return 'an unencoded payload (b64 false) is not a JWT';
  return undefined;
}

/**
 * Why the registered claims refuse a token whose signature is valid (RFC 7519 §4.1), as
 * [check, reason], or undefined: `exp` and `sub` required, `aud` when the issuer names audiences;
 * `iat`, `nbf`, `exp` numeric; `nbf` and `exp` against `now` within `tolerance` seconds.
 */
function registeredClaimsRefusal(
  claims: JWTPayload,
  { audience, now, tolerance }: { audience?: string[]; now: number; tolerance: number },
): [string, string] | undefined {
  if (audience && !Object.hasOwn(claims, 'aud')) return ['aud', AUDIENCE_MISMATCH];
  if (!Object.hasOwn(claims, 'sub')) return ['sub', 'sub is missing'];
  if (!Object.hasOwn(claims, 'exp')) return ['exp', 'exp is missing or invalid'];
  if (audience && !namesAudience(claims.aud, audience)) return ['aud', AUDIENCE_MISMATCH];
  if (claims.iat !== undefined && typeof claims.iat !== 'number') return ['iat', 'iat is invalid'];
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + tolerance))
    return ['nbf', 'token is not yet valid (nbf)'];
  if (typeof claims.exp !== 'number') return ['exp', 'exp is missing or invalid'];
  if (claims.exp <= now - tolerance) return ['exp', 'token has expired'];
  return undefined;
}

const AUDIENCE_MISMATCH = 'aud does not name an expected audience';

const namesAudience = (aud: unknown, expected: readonly string[]): boolean =>
  typeof aud === 'string'
    ? expected.includes(aud)
    : Array.isArray(aud) && expected.some((a) => aud.includes(a));
