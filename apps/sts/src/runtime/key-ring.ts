import type { Signer } from '@sts/core';
import {
  type CryptoKey,
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';

/** A signing key as loaded from the database: private part decrypted, for this process only. */
export interface SigningKeyMaterial {
  kid: string;
  alg: string;
  status: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/**
 * A tenant's keys in memory: the active private key signs, active and retiring public keys
 * verify tokens this tenant issued and are published as its JWKS.
 */
export class KeyRing {
  private constructor(
    readonly active: { kid: string; alg: string; key: CryptoKey },
    readonly jwks: JSONWebKeySet,
    readonly verify: ReturnType<typeof createLocalJWKSet>,
    readonly algorithms: string[],
  ) {}

  static async load(keys: SigningKeyMaterial[]): Promise<KeyRing> {
    const active = keys.find((k) => k.status === 'active');
    if (!active) throw new Error('tenant has no active signing key');
    const published = keys.filter((k) => k.status === 'active' || k.status === 'retiring');
    const jwks: JSONWebKeySet = {
      keys: published.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })),
    };
    const key = (await importJWK(
      { ...active.privateJwk, alg: active.alg },
      active.alg,
    )) as CryptoKey;
    return new KeyRing({ kid: active.kid, alg: active.alg, key }, jwks, createLocalJWKSet(jwks), [
      ...new Set(published.map((k) => k.alg)),
    ]);
  }

  sign(payload: Record<string, unknown>, typ: string): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: this.active.alg, kid: this.active.kid, typ })
      .sign(this.active.key);
  }
}

/** The Signer port over the tenants' key rings. */
export function keyRingSigner(ringOf: (tenantId: string) => KeyRing): Signer {
  return {
    async sign(tenant, payload, typ) {
      const ring = ringOf(tenant.id);
      return { token: await ring.sign(payload, typ), kid: ring.active.kid, alg: ring.active.alg };
    },
  };
}
