import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from 'jose';
import type { VerifyKey } from '../ports';
import { RSA_TOO_LARGE, rsaKeyTooLarge } from './key-size';

/** A key lookup over a JWK Set (jose's local JWKS): picks the key a JWS header names. */
export type KeyLookup = ReturnType<typeof createLocalJWKSet>;

/**
 * Why a key of an issuer's or a client's JWKS is never used to verify, or undefined when it may
 * be: a private (`d`) or symmetric (`oct`) key, or an RSA key over 4096 bits (./key-size.ts).
 */
export function unusableKeyReason(key: JSONWebKeySet['keys'][number]): string | undefined {
  if ('d' in key) return 'a private key (it has "d")';
  if (key.kty === 'oct') return 'a symmetric key (kty "oct")';
  if (rsaKeyTooLarge(key)) return RSA_TOO_LARGE;
  return undefined;
}

/** Only usable public keys verify: see unusableKeyReason; the others are ignored. */
export const isPublicKey = (key: JSONWebKeySet['keys'][number]): boolean =>
  unusableKeyReason(key) === undefined;

/** A lookup over the public keys of a JWK Set (an issuer's or a client's inline keys). */
export function keyLookup(jwks: { keys: readonly object[] }): KeyLookup {
  return createLocalJWKSet({ keys: (jwks.keys as JWK[]).filter(isPublicKey) });
}

/** The key a header names in a lookup, or undefined when none (or more than one) matches. */
export async function find(
  lookup: KeyLookup | undefined,
  header: JWSHeaderParameters,
): Promise<VerifyKey | undefined> {
  if (!lookup) return undefined;
  try {
    return await lookup(header, { payload: '', signature: '' });
  } catch {
    return undefined;
  }
}

/** The public half of one of a tenant's signing keys. */
export interface PublicSigningKey {
  kid: string;
  alg: string;
  publicJwk: JWK;
}

/**
 * A tenant's own keys as verifiers see them: the JWKS it publishes (RFC 7517; kid, alg and
 * `use: sig` on every key), a lookup that verifies tokens it issued, and their algorithms.
 */
export interface OwnKeySet {
  jwks: JSONWebKeySet;
  lookup: KeyLookup;
  algorithms: string[];
}

export function ownKeySet(keys: readonly PublicSigningKey[]): OwnKeySet {
  const jwks: JSONWebKeySet = {
    keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })),
  };
  return {
    jwks,
    lookup: createLocalJWKSet(jwks),
    algorithms: [...new Set(keys.map((k) => k.alg))],
  };
}
