import type { JsonWebKey } from 'node:crypto';
import { SIGNING_ALGS, type SigningAlg } from '@sts/core';
import { ConflictError, NotFoundError } from '../errors';
import { type AdminChange, recordChangeSync } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { bumpConfigVersion, type Sqlite, sqlTimestamp, writeTransaction } from '../internal/sql';
import { oneOf, parseStoredJson } from '../internal/stored';

/**
 * A tenant's signing keys. `active` signs; `retiring` only verifies (tokens signed before a
 * rotation); `retired` is kept for the record; `revoked` was withdrawn by an admin (a compromised
 * key): out of the JWKS and of verification at once, for good. Private keys are stored sealed
 * (@sts/crypto's sealPrivateJwk): this package never sees them in clear.
 */
export const SIGNING_KEY_STATUSES = ['active', 'retiring', 'retired', 'revoked'] as const;
export type SigningKeyStatus = (typeof SIGNING_KEY_STATUSES)[number];

/** A key as the console lists it: public parts only. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlg;
  status: SigningKeyStatus;
  publicJwk: JsonWebKey;
  createdAt: Date;
  activatedAt: Date | null;
  /** When it stopped verifying: retired, or revoked. */
  retiredAt: Date | null;
}

/** A key that signs or verifies, with its private part sealed: what the STS loads. */
export interface SealedSigningKey {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retiring';
  publicJwk: JsonWebKey;
  sealedPrivateKey: string;
}

/** A key to store: its kid (the RFC 7638 thumbprint), public JWK and sealed private JWK. */
export type NewSigningKey = Omit<SealedSigningKey, 'status'>;

/** Makes a new key of `alg` (synchronously: it runs inside the write transaction). */
export type MakeSigningKey = (alg: SigningAlg) => NewSigningKey;

export interface SigningKeyRepository {
  /** Every key of the tenant: active first, then retiring and retired, newest first within each. */
  list(tenantId: string): Promise<SigningKeyRecord[]>;
  /** The active and retiring keys, sealed; the active one first, then newest first. */
  listUsable(tenantId: string): SealedSigningKey[];
  /**
   * Makes a key of `alg` active unless the tenant has one (its other active keys start retiring,
   * as when the tenant's signingAlg changed). True when a key was made. NotFoundError for an
   * unknown tenant.
   */
  ensureActive(tenantId: string, alg: SigningAlg, make: MakeSigningKey): boolean;
  /**
   * Replaces the active key by a new one of the tenant's signingAlg; the previous one starts
   * retiring. With `change`, the admin action it returns for the rotation is recorded in the same
   * transaction.
   */
  rotate(
    tenantId: string,
    make: MakeSigningKey,
    change?: (rotated: Rotation) => AdminChange,
  ): Rotation;
  /**
   * Withdraws a retiring key at once: it leaves the JWKS and verifies nothing from the next
   * reload on (running STS processes: about a second). The active key cannot be revoked (rotate
   * first) and a revoked key stays revoked: ConflictError. NotFoundError for a key the tenant
   * does not have. `change` is recorded in the same transaction.
   */
  revoke(tenantId: string, kid: string, change: (revoked: Revocation) => AdminChange): Revocation;
}

/** What a revocation did: the key and the status it had. */
export interface Revocation {
  kid: string;
  alg: SigningAlg;
  previousStatus: 'retiring' | 'retired';
}

/** Why a revocation is refused, in words the console shows. */
export const REVOKE_ACTIVE_KEY =
  'The active signing key cannot be revoked: rotate first (a new key signs), then revoke this one';
export const REVOKE_REVOKED_KEY = 'This signing key is revoked already';

/** What a rotation did. */
export interface Rotation {
  kid: string;
  alg: SigningAlg;
  previousKid: string | null;
}

const STATUS_ORDER: Record<SigningKeyStatus, number> = {
  active: 0,
  retiring: 1,
  retired: 2,
  revoked: 3,
};

export function signingKeyRepository(h: Handles): SigningKeyRepository {
  const { sqlite, prisma } = h;
  const where = (tenantId: string, kid: string) => `tenant ${tenantId}, signing key ${kid}`;

  /** Inside a write transaction: the new key signs from now on; the active ones start retiring. */
  const activate = (tenantId: string, key: NewSigningKey) => {
    const now = sqlTimestamp(h.clock());
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
        key.kid,
        tenantId,
        key.alg,
        JSON.stringify(key.publicJwk),
        key.sealedPrivateKey,
        now,
        now,
      );
  };
  const activeKid = (tenantId: string) =>
    (sqlite
      .prepare(
        `SELECT "id" FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'active' ORDER BY "activated_at" DESC LIMIT 1`,
      )
      .pluck()
      .get(tenantId) as string | undefined) ?? null;

  return {
    async list(tenantId) {
      const rows = await prisma.signingKey.findMany({
        where: { tenantId },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        select: {
          id: true,
          alg: true,
          status: true,
          publicJwk: true,
          createdAt: true,
          activatedAt: true,
          retiredAt: true,
        },
      });
      return rows
        .map(({ id, publicJwk, ...row }) => ({
          ...row,
          kid: id,
          alg: oneOf(SIGNING_ALGS, row.alg, `${where(tenantId, id)}: alg`),
          status: oneOf(SIGNING_KEY_STATUSES, row.status, `${where(tenantId, id)}: status`),
          publicJwk: parseStoredJson(publicJwk, `${where(tenantId, id)}: public_jwk`) as JsonWebKey,
        }))
        .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    },
    listUsable(tenantId) {
      const rows = sqlite
        .prepare(
          `SELECT "id", "alg", "status", "public_jwk", "encrypted_private_key" FROM "signing_keys"
           WHERE "tenant_id" = ? AND "status" IN ('active', 'retiring')
           ORDER BY "status" = 'active' DESC, "activated_at" DESC, "created_at" DESC`,
        )
        .all(tenantId) as {
        id: string;
        alg: string;
        status: string;
        public_jwk: string;
        encrypted_private_key: string;
      }[];
      return rows.map((row) => ({
        kid: row.id,
        alg: oneOf(SIGNING_ALGS, row.alg, `${where(tenantId, row.id)}: alg`),
        status: oneOf(['active', 'retiring'], row.status, `${where(tenantId, row.id)}: status`),
        publicJwk: parseStoredJson(
          row.public_jwk,
          `${where(tenantId, row.id)}: public_jwk`,
        ) as JsonWebKey,
        sealedPrivateKey: row.encrypted_private_key,
      }));
    },
    ensureActive(tenantId, alg, make) {
      return writeTransaction(sqlite, () => {
        tenantSigningAlg(sqlite, tenantId);
        const activeAlgs = sqlite
          .prepare(`SELECT "alg" FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'active'`)
          .pluck()
          .all(tenantId);
        if (activeAlgs.includes(alg)) return false;
        activate(tenantId, make(alg));
        // Replicas reload their key rings.
        bumpConfigVersion(sqlite);
        return true;
      });
    },
    rotate(tenantId, make, change) {
      return writeTransaction(sqlite, () => {
        const alg = tenantSigningAlg(sqlite, tenantId);
        const previousKid = activeKid(tenantId);
        const key = make(alg);
        activate(tenantId, key);
        const rotation = { kid: key.kid, alg, previousKid };
        if (change) recordChangeSync(h, change(rotation));
        else bumpConfigVersion(sqlite);
        return rotation;
      });
    },
    revoke(tenantId, kid, change) {
      return writeTransaction(sqlite, () => {
        const row = sqlite
          .prepare(`SELECT "alg", "status" FROM "signing_keys" WHERE "tenant_id" = ? AND "id" = ?`)
          .get(tenantId, kid) as { alg: string; status: string } | undefined;
        if (!row) throw new NotFoundError('signing_key', kid);
        const status = oneOf(SIGNING_KEY_STATUSES, row.status, `${where(tenantId, kid)}: status`);
        if (status === 'active')
          throw new ConflictError('signing_key', undefined, REVOKE_ACTIVE_KEY);
        if (status === 'revoked')
          throw new ConflictError('signing_key', undefined, REVOKE_REVOKED_KEY);
        sqlite
          .prepare(
            `UPDATE "signing_keys" SET "status" = 'revoked', "retired_at" = ? WHERE "tenant_id" = ? AND "id" = ?`,
          )
          .run(sqlTimestamp(h.clock()), tenantId, kid);
        const revocation: Revocation = {
          kid,
          alg: oneOf(SIGNING_ALGS, row.alg, `${where(tenantId, kid)}: alg`),
          previousStatus: status,
        };
        // Also bumps config_version: every STS process reloads its key rings.
        recordChangeSync(h, change(revocation));
        return revocation;
      });
    },
  };
}

function tenantSigningAlg(sqlite: Sqlite, tenantId: string): SigningAlg {
  const alg = sqlite
    .prepare('SELECT "signing_alg" FROM "tenants" WHERE "id" = ?')
    .pluck()
    .get(tenantId) as string | undefined;
  if (alg === undefined) throw new NotFoundError('tenant', tenantId);
  return oneOf(SIGNING_ALGS, alg, `tenant ${tenantId}: signing_alg`);
}
