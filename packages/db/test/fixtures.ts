import { createSecretKey, randomBytes } from 'node:crypto';
import type { SigningAlg } from '@sts/core';
import { deriveKeys, sealedKeyPair } from '@sts/crypto';
import type { AdminChange } from '../src/internal/changes';
import type { Database } from '../src/open';

/** A key-encryption key for the tests' sealed keys. */
export const kek = deriveKeys(createSecretKey(randomBytes(32))).keyEncryptionKey;

/** The maker signingKeys.ensureActive and rotate take, as the STS and the console pass it. */
export const makeKey = (tenantId: string) => (alg: SigningAlg) =>
  sealedKeyPair(kek, 'signing_keys', tenantId, alg);

export const OWNER = { id: 'owner-1', email: 'owner@example.test' };

/** An admin change by OWNER. */
export const change = (action: string, over: Partial<AdminChange> = {}): AdminChange => ({
  actor: OWNER,
  action,
  ...over,
});

/** A console tenant. */
export async function addTenant(db: Database, id: string, signingAlg: SigningAlg = 'ES256') {
  await db.tenants.create(
    { id, displayName: id, accessTokenTtlSeconds: 300, signingAlg },
    change('tenant.create', { tenantId: id }),
  );
}
