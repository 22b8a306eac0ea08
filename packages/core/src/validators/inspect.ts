import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { TrustedIssuerConfig } from '../config/schema';
import { TOKEN_TYPE } from '../token-types';
import { noAudienceReason, typRefusal } from './jwt';

/** One line of the sample-token check: what the issuer's settings say of one property. */
export interface SampleTokenCheck {
  id: 'issuer' | 'algorithm' | 'kid' | 'typ' | 'aud' | 'scope';
  ok: boolean;
  message: string;
}

/**
 * What a sample token of a trusted issuer shows about it, read WITHOUT verifying it: the console's
 * "check a sample token" in the issuer dialog. It tells an admin what the issuer actually sends
 * (the JWKS does not say which `typ` or `aud` its tokens carry) and whether these settings would
 * accept it as an access token. Nothing here is trusted: the signature is not checked, and the
 * result never grants anything.
 */
export interface SampleTokenReport {
  /** Why the token could not be read at all (not a compact JWS, not JSON). */
  unreadable?: string;
  header: { typ?: string; alg?: string; kid?: string };
  iss?: string;
  sub?: string;
  aud: string[];
  /** The token carries a `scope` or `scp` claim. */
  hasScope: boolean;
  /** The kid is among the fetched keys; undefined when the keys are not known. */
  kidKnown?: boolean;
  checks: SampleTokenCheck[];
  /** Every check passed: these settings would accept it as an access token, if its signature verifies. */
  accepted: boolean;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Reads `token` and checks it against `issuer`'s settings the way the STS does for a subject or
 * actor token sent as an access token (validators/jwt.ts): issuer, algorithm, kid, typ, aud. The
 * scope line is informative: a token without scope gets no scope unless a rule opts in.
 */
export function inspectSampleToken(
  token: string,
  issuer: Pick<
    TrustedIssuerConfig,
    'issuer' | 'algorithms' | 'audiences' | 'anyAudience' | 'accessTokenTyp'
  >,
  fetchedKids?: readonly string[],
): SampleTokenReport {
  const empty: SampleTokenReport = {
    header: {},
    aud: [],
    hasScope: false,
    checks: [],
    accepted: false,
  };
  const compact = token.trim();
  if (compact.split('.').length !== 3)
    return { ...empty, unreadable: 'Not a JWT (a compact JWS has three dot-separated parts)' };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact) as Record<string, unknown>;
    claims = decodeJwt(compact) as Record<string, unknown>;
  } catch {
    return { ...empty, unreadable: 'The header or the payload is not base64url-encoded JSON' };
  }
  const typ = text(header.typ);
  const alg = text(header.alg);
  const kid = text(header.kid);
  const iss = text(claims.iss);
  const aud =
    typeof claims.aud === 'string'
      ? [claims.aud]
      : Array.isArray(claims.aud)
        ? claims.aud.filter((a): a is string => typeof a === 'string')
        : [];
  const hasScope = claims.scope !== undefined || claims.scp !== undefined;
  const kidKnown =
    fetchedKids === undefined || kid === undefined ? undefined : fetchedKids.includes(kid);

  const checks: SampleTokenCheck[] = [];
  checks.push(
    iss === issuer.issuer
      ? { id: 'issuer', ok: true, message: `iss is ${iss}` }
      : { id: 'issuer', ok: false, message: `iss is ${iss ?? '(none)'}, not ${issuer.issuer}` },
  );
  checks.push(
    alg !== undefined && (issuer.algorithms as readonly string[]).includes(alg)
      ? { id: 'algorithm', ok: true, message: `alg ${alg} is allowed` }
      : {
          id: 'algorithm',
          ok: false,
          message: `alg ${alg ?? '(none)'} is not among the allowed ${issuer.algorithms.join(', ')}`,
        },
  );
  if (kidKnown !== undefined)
    checks.push(
      kidKnown
        ? { id: 'kid', ok: true, message: `kid "${kid}" is one of the fetched keys` }
        : { id: 'kid', ok: false, message: `kid "${kid}" is not among the fetched keys` },
    );
  const typProblem = typRefusal(TOKEN_TYPE.accessToken, issuer, typ);
  checks.push(
    typProblem
      ? { id: 'typ', ok: false, message: typProblem }
      : {
          id: 'typ',
          ok: true,
          message: `${typ === undefined ? 'no typ header' : `typ "${typ}"`} is accepted for access tokens`,
        },
  );
  if (issuer.anyAudience)
    checks.push({
      id: 'aud',
      ok: true,
      message: `any audience is accepted (aud: ${aud.join(', ') || 'none'})`,
    });
  else if (issuer.audiences.length === 0)
    checks.push({ id: 'aud', ok: false, message: noAudienceReason(issuer) });
  else
    checks.push(
      aud.some((a) => issuer.audiences.includes(a))
        ? {
            id: 'aud',
            ok: true,
            message: `aud names ${aud.filter((a) => issuer.audiences.includes(a)).join(', ')}`,
          }
        : {
            id: 'aud',
            ok: false,
            message: `aud [${aud.join(', ')}] names none of ${issuer.audiences.join(', ')}`,
          },
    );
  checks.push({
    id: 'scope',
    ok: true,
    message: hasScope
      ? 'carries a scope claim'
      : 'carries no scope claim: it gets no scope unless a rule grants its scopes to such tokens',
  });
  return {
    header: { typ, alg, kid },
    iss,
    sub: text(claims.sub),
    aud,
    hasScope,
    kidKnown,
    checks,
    accepted: checks.every((c) => c.ok),
  };
}
