import type { JsonWebKey, KeyObject } from 'node:crypto';
import { SIGNING_ALGS, type SigningAlg } from '@sts/core';
import { decrypt, encrypt } from '../crypto/encryption';
import { generateKeyPair } from '../crypto/key-pair';
import { UnknownTenantError } from '../errors';
import type { Database } from '../open';
import { bumpConfigVersion, type Sqlite, sqlTimestamp, writeTransaction } from './sql';
import { oneOf, parseStoredJson } from './stored';

/**
 * A tenant's signing keys. `active` signs; `next` is reserved for publishing a key before it
 * signs; `retiring` only verifies (tokens signed before a rotation); `retired` is kept for the
 * record. Private JWKs are stored encrypted under the key-encryption key (deriveKeys), bound to
 * tenant and kid, and are decrypted only to be handed to the caller.
 */
export type SigningKeyStatus = 'active' | 'next' | 'retiring' | 'retired';

export interface SigningKeyMaterial {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retiring';
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/**
 * Creates an active key of `alg` unless the tenant has one (its other active keys start
 * retiring, as when the tenant's signingAlg changed). Returns the tenant's keys (loadKeys).
 */
export async function ensureActiveKey(
  db: Pick<Database, 'sqlite' | 'prisma'>,
  kek: KeyObject,
  tenantId: string,
  alg: SigningAlg,
): Promise<SigningKeyMaterial[]> {
  const { sqlite } = db;
  writeTransaction(sqlite, () => {
    tenantSigningAlg(sqlite, tenantId);
    const activeAlgs = sqlite
      .prepare(`SELECT "alg" FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'active'`)
      .pluck()
      .all(tenantId);
    if (!activeAlgs.includes(alg)) activateNewKey(sqlite, kek, tenantId, alg);
  });
  return loadKeys(db, kek, tenantId);
}

/**
 * Replaces the active key by a new one of the tenant's signingAlg; the old one starts retiring.
 * Returns the tenant's keys (loadKeys).
 */
export async function rotateKey(
  db: Pick<Database, 'sqlite' | 'prisma'>,
  kek: KeyObject,
  tenantId: string,
): Promise<SigningKeyMaterial[]> {
  const { sqlite } = db;
  writeTransaction(sqlite, () => {
    activateNewKey(sqlite, kek, tenantId, tenantSigningAlg(sqlite, tenantId));
  });
  return loadKeys(db, kek, tenantId);
}

/** The tenant's active and retiring keys, decrypted; the active one first, then newest first. */
export async function loadKeys(
  db: Pick<Database, 'prisma'>,
  kek: KeyObject,
  tenantId: string,
): Promise<SigningKeyMaterial[]> {
  const rows = await db.prisma.signingKey.findMany({
    where: { tenantId, status: { in: ['active', 'retiring'] } },
    orderBy: [{ activatedAt: 'desc' }, { createdAt: 'desc' }],
  });
  const keys = rows.map((row): SigningKeyMaterial => {
    const where = `tenant ${tenantId}, signing key ${row.id}`;
    return {
      kid: row.id,
      alg: oneOf(SIGNING_ALGS, row.alg, `${where}: alg`),
      status: oneOf(['active', 'retiring'], row.status, `${where}: status`),
      publicJwk: parseStoredJson(row.publicJwk, `${where}: public_jwk`) as JsonWebKey,
      privateJwk: JSON.parse(
        decrypt(kek, row.encryptedPrivateKey, privateKeyAad(tenantId, row.id)),
      ) as JsonWebKey,
    };
  });
  return keys.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'));
}

function tenantSigningAlg(sqlite: Sqlite, tenantId: string): SigningAlg {
  const alg = sqlite
    .prepare('SELECT "signing_alg" FROM "tenants" WHERE "id" = ?')
    .pluck()
    .get(tenantId) as string | undefined;
  if (alg === undefined) throw new UnknownTenantError(tenantId);
  return oneOf(SIGNING_ALGS, alg, `tenant ${tenantId}: signing_alg`);
}

/** Inside a write transaction: the new key signs from now on; the active ones start retiring. */
function activateNewKey(sqlite: Sqlite, kek: KeyObject, tenantId: string, alg: SigningAlg) {
  const now = sqlTimestamp(Date.now());
  const { kid, publicJwk, privateJwk } = generateKeyPair(alg);
  sqlite
    .prepare(
      `UPDATE "signing_keys" SET "status" = 'retiring' WHERE "tenant_id" = ? AND "status" = 'active'`,
    )
    .run(tenantId);
  sqlite
    .prepare(
      `INSERT INTO "signing_keys" ("id", "tenant_id", "alg", "status", "public_jwk", "encrypted_private_key", "created_at", "activated_at") VALUES (?, ?, ?, 'active', ?, ?, ?, ?)`,
    )
    .run(
      kid,
      tenantId,
      alg,
      JSON.stringify(publicJwk),
      encrypt(kek, JSON.stringify(privateJwk), privateKeyAad(tenantId, kid)),
      now,
      now,
    );
  // Replicas reload their key rings.
  bumpConfigVersion(sqlite);
}

/** Binds an encrypted private key to its row: copied to another tenant or kid, it does not decrypt. */
const privateKeyAad = (tenantId: string, kid: string) =>
  JSON.stringify(['signing_keys', tenantId, kid]);
