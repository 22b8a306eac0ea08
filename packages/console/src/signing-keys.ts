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

/**
 * Makes a new key of the tenant's signingAlg the active one; the previous active key starts
 * retiring (it still verifies tokens it signed). Recorded as key.rotate in the same transaction;
 * running STS processes sign with the new key within about a second.
 */
export async function rotateSigningKey(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
): Promise<Omit<Rotation, 'alg'>> {
  const { kid, previousKid } = ctx.db.signingKeys.rotate(
    tenantId,
    (alg) => sealedKeyPair(ctx.keys.keyEncryptionKey, 'signing_keys', tenantId, alg),
    ({ kid, alg, previousKid }) =>
      changeBy(admin, 'key.rotate', { tenantId, target: kid, details: { alg, previousKid } }),
  );
  return { kid, previousKid };
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
