import { scheduledRotationAt } from '@sts/core';
import { sealedKeyPair } from '@sts/crypto';
import type { Admin, Revocation, Rotation, SigningKeyRecord } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';

/** The tenant's signing keys with their public JWKs; private parts are never read. */
export function listSigningKeys(
  ctx: ConsoleContext,
  tenantId: string,
): Promise<SigningKeyRecord[]> {
  return ctx.db.signingKeys.list(tenantId);
}

/** STS_KEY_PREPUBLISH_SECONDS's default, as in the STS. */
export const DEFAULT_KEY_PREPUBLISH_SECONDS = 300;

/**
 * Adds a new key of the tenant's signingAlg, pending: running STS processes publish it in the
 * tenant's JWKS within about a second, and it starts signing after the pre-publication delay
 * (ctx.keyPrepublishSeconds), when the STS's key lifecycle makes it active and the previous key
 * retiring (decision 0020). CONFLICT while another key is pending. Recorded as key.rotate in the
 * same transaction.
 */
export async function rotateSigningKey(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
): Promise<Omit<Rotation, 'alg'>> {
  const delay = ctx.keyPrepublishSeconds ?? DEFAULT_KEY_PREPUBLISH_SECONDS;
  const { kid, previousKid, activatesAt } = await ctx.db.signingKeys.rotate(
    tenantId,
    (alg) => sealedKeyPair(ctx.keys.keyEncryptionKey, 'signing_keys', tenantId, alg),
    { prepublishMs: delay * 1000 },
    ({ kid, alg, previousKid, activatesAt }) =>
      changeBy(admin, 'key.rotate', {
        tenantId,
        target: kid,
        details: { alg, previousKid, activatesAt: activatesAt.toISOString() },
      }),
  );
  return { kid, previousKid, activatesAt };
}

/** The pre-publication delay the console dates rotations with, for its pages. */
export function keyPrepublishSeconds(ctx: ConsoleContext): number {
  return ctx.keyPrepublishSeconds ?? DEFAULT_KEY_PREPUBLISH_SECONDS;
}

/**
 * Revokes a key now (a compromised key): it leaves the tenant's JWKS and verifies nothing — no
 * introspection, no re-exchange of tokens it signed — once running STS processes reload (about a
 * second). Only a key that no longer signs: the active key is refused (CONFLICT, "rotate first").
 * Recorded as key.revoke in the same transaction.
 */
export async function revokeSigningKey(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  kid: string,
): Promise<Revocation> {
  return ctx.db.signingKeys.revoke(tenantId, kid, ({ alg, previousStatus }) =>
    changeBy(admin, 'key.revoke', { tenantId, target: kid, details: { alg, previousStatus } }),
  );
}

/** A tenant's scheduled rotation, as the keys page shows it. */
export interface SigningKeySchedule {
  /** keyRotationDays; null: rotation on demand only. */
  rotationDays: number | null;
  /**
   * When the STS next rotates: the active key's activation + the period, or, while a key is
   * pending, that key's activation + the period. Null without a period. A date in the past means
   * the rotation is due at the STS's next lifecycle run (about 5 seconds when it runs).
   */
  nextRotationAt: Date | null;
}

/** The tenant's rotation period and the date of its next scheduled rotation (decision 0020). */
export async function signingKeySchedule(
  ctx: ConsoleContext,
  tenantId: string,
): Promise<SigningKeySchedule> {
  const [tenant, keys] = await Promise.all([
    ctx.db.tenants.get(tenantId),
    ctx.db.signingKeys.list(tenantId),
  ]);
  const pending = keys.find((k) => k.status === 'pending');
  const active = keys.find((k) => k.status === 'active');
  // The period counts from the activation of the key that will then be signing.
  const from = pending ? pending.activatesAt : (active?.activatedAt ?? null);
  const at = scheduledRotationAt(from?.getTime() ?? null, tenant.keyRotationDays);
  return {
    rotationDays: tenant.keyRotationDays,
    nextRotationAt: at === null ? null : new Date(at),
  };
}
