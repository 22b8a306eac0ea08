import {
  inspectSampleToken,
  isPublicKey,
  type SampleTokenReport,
  type TrustedIssuerConfig,
  unusableKeyReason,
} from '@sts/core';
import { describeJwksError, fetchJwks, JWKS_UNREACHABLE } from '@sts/core/remote-jwks';
import type { Admin } from '@sts/db';
import { type ConsoleContext, changeBy, jwksNetworkPolicy } from './context';
import { assertFetchable } from './jwks-uri';

export function listTrustedIssuers(
  ctx: ConsoleContext,
  tenantId: string,
): Promise<TrustedIssuerConfig[]> {
  return ctx.db.trustedIssuers.list(tenantId);
}

export async function createTrustedIssuer(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  issuer: TrustedIssuerConfig,
): Promise<void> {
  assertFetchable(ctx, issuer.jwksUri);
  await ctx.db.trustedIssuers.create(
    tenantId,
    issuer,
    changeBy(admin, 'issuer.create', { tenantId, target: issuer.issuer, details: details(issuer) }),
  );
}

/** The issuer URL names the entry (rules refer to it): keys, audiences and algorithms change. */
export async function updateTrustedIssuer(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  issuer: TrustedIssuerConfig,
): Promise<void> {
  assertFetchable(ctx, issuer.jwksUri);
  await ctx.db.trustedIssuers.update(
    tenantId,
    issuer,
    changeBy(admin, 'issuer.update', { tenantId, target: issuer.issuer, details: details(issuer) }),
  );
}

/** Rules naming the issuer stay; they no longer match its tokens. */
export async function deleteTrustedIssuer(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  issuer: string,
): Promise<void> {
  await ctx.db.trustedIssuers.delete(
    tenantId,
    issuer,
    changeBy(admin, 'issuer.delete', { tenantId, target: issuer }),
  );
}

/** What "Fetch keys" found: each key's public header fields, or why nothing could be fetched. */
export type FetchedKeys =
  | {
      ok: true;
      keys: {
        kid: string | null;
        kty: string | null;
        alg: string | null;
        use: string | null;
        /** False for a key the STS ignores: private, symmetric, or RSA over 4096 bits. */
        usable: boolean;
        /** Why it is not usable. */
        unusableReason: string | null;
      }[];
    }
  | { ok: false; error: string };

/**
 * Fetches a JWKS from the console's server as the STS would (https only, allowed addresses only,
 * 5 s, 256 KiB, 100 keys, no redirects) and shows what it holds: only the keys' public header
 * fields, or "unreachable" (the same word the audit records, whatever the cause).
 */
export async function fetchIssuerKeys(ctx: ConsoleContext, jwksUri: string): Promise<FetchedKeys> {
  try {
    const { keys } = await fetchJwks(jwksUri, jwksNetworkPolicy(ctx));
    return {
      ok: true,
      keys: keys.map((k) => ({
        kid: text(k.kid),
        kty: text(k.kty),
        alg: text(k.alg),
        use: text(k.use),
        usable: unusableKeyReason(k) === undefined,
        unusableReason: unusableKeyReason(k) ?? null,
      })),
    };
  } catch (err) {
    // A URI the STS would not fetch at all (not https) says why; nothing was fetched.
    if (err instanceof TypeError) return { ok: false, error: err.message };
    // The precise reason to the server's log only: shown, it would let an admin probe the network.
    console.warn(`Fetch keys ${jwksUri}: ${describeJwksError(err)}`);
    return { ok: false, error: JWKS_UNREACHABLE };
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : null);

/** Inline keys are recorded by kid: the action log stays readable. */
function details(input: TrustedIssuerConfig) {
  return {
    jwksUri: input.jwksUri,
    jwksKids: input.jwks?.keys.map((k) => k.kid ?? null),
    audiences: input.audiences,
    anyAudience: input.anyAudience,
    accessTokenTyp: input.accessTokenTyp,
    algorithms: input.algorithms,
  };
}

/**
 * "Check a sample token" in the issuer dialog: what a token of this issuer actually carries
 * (typ, alg, kid, aud, scope) and whether the settings being edited would accept it as an access
 * token, read by core without verifying or trusting it (the JWKS does not say which typ or aud
 * the issuer's tokens carry). With a JWKS URI the keys are fetched, to say whether the kid is
 * among them; nothing is stored and the token is not logged.
 */
export async function checkSampleToken(
  ctx: ConsoleContext,
  issuer: Pick<
    TrustedIssuerConfig,
    'issuer' | 'algorithms' | 'audiences' | 'anyAudience' | 'accessTokenTyp' | 'jwks' | 'jwksUri'
  >,
  token: string,
): Promise<SampleTokenReport & { keysError?: string }> {
  let kids: string[] | undefined;
  let keysError: string | undefined;
  if (issuer.jwks) kids = usableKids(issuer.jwks.keys);
  else if (issuer.jwksUri) {
    const fetched = await fetchIssuerKeys(ctx, issuer.jwksUri);
    if (fetched.ok)
      kids = fetched.keys.filter((k) => k.usable && k.kid !== null).map((k) => k.kid as string);
    else keysError = fetched.error;
  }
  const report = inspectSampleToken(token, issuer, kids);
  return keysError === undefined ? report : { ...report, keysError };
}

const usableKids = (keys: readonly { kid?: string }[]) =>
  keys
    .filter((k) => unusableKeyReason(k as { kty: string }) === undefined)
    .flatMap((k) => (typeof k.kid === 'string' ? [k.kid] : []));
