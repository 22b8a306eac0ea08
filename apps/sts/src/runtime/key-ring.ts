import type { JsonWebKey } from 'node:crypto';
import { JwsSigner, type OwnKeySet, ownKeySet, type Signer } from '@sts/core';
import type { JWK } from 'jose';

/** A signing key with its private part opened, for this process only. */
export interface SigningKeyMaterial {
  kid: string;
  alg: string;
  status: 'pending' | 'active' | 'retiring';
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
  createdAt: Date;
}

/** What the metrics say of a loaded key (sts_signing_key_age_seconds). */
export type SigningKeyInfo = Pick<SigningKeyMaterial, 'kid' | 'status' | 'createdAt'>;

/**
 * A tenant's keys in memory: the active private key signs; pending, active and retiring public
 * keys are published as its JWKS and verify tokens this tenant issued (core's ownKeySet). A
 * pending key signs nothing yet (decision 0020).
 */
export class KeyRing {
  private constructor(
    readonly active: JwsSigner,
    readonly own: OwnKeySet,
    readonly keys: readonly SigningKeyInfo[],
  ) {}

  static load(keys: SigningKeyMaterial[]): KeyRing {
    const active = keys.find((k) => k.status === 'active');
    if (!active) throw new Error('tenant has no active signing key');
    return new KeyRing(
      new JwsSigner(active.alg, active.kid, active.privateJwk),
      ownKeySet(keys.map((k) => ({ kid: k.kid, alg: k.alg, publicJwk: k.publicJwk as JWK }))),
      keys.map(({ kid, status, createdAt }) => ({ kid, status, createdAt })),
    );
  }
}

/** The Signer port over the tenants' key rings. */
export function keyRingSigner(ringOf: (tenantId: string) => KeyRing): Signer {
  return {
    async sign(tenant, payload, typ) {
      const { active } = ringOf(tenant.id);
      return { token: active.sign(payload, typ), kid: active.kid, alg: active.alg };
    },
  };
}
