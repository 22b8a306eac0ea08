import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { SigningAlg } from '@sts/core';

export interface GeneratedKeyPair {
  /** The RFC 7638 thumbprint of the public key. */
  kid: string;
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/** A new key pair for a tenant's signing algorithm (RFC 7518 §3, RFC 8037 for EdDSA). */
export function generateKeyPair(alg: SigningAlg): GeneratedKeyPair {
  const { publicKey, privateKey } = generate(alg);
  const publicJwk = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(publicJwk);
  return {
    kid,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg },
  };
}

function generate(alg: SigningAlg) {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ES384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'RS256':
    case 'PS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
  }
}

/** Members of each key type that the RFC 7638 §3.2 thumbprint covers, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/** RFC 7638 JWK thumbprint, SHA-256, base64url. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new TypeError(`no thumbprint for key type ${jwk.kty}`);
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}
