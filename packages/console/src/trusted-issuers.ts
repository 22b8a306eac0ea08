import { isPublicKey, type TrustedIssuerConfig } from '@sts/core';
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
        /** False for a private or symmetric key: the STS ignores it. */
        usable: boolean;
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
        usable: isPublicKey(k),
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
    algorithms: input.algorithms,
  };
}
