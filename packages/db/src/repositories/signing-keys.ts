import type { JsonWebKey } from 'node:crypto';
import {
  type KeyTransition,
  planKeyLifecycle,
  SIGNING_ALGS,
  SIGNING_KEY_STATUSES,
  type SigningAlg,
  type SigningKeyStatus,
} from '@sts/core';
import { ConflictError, NotFoundError } from '../errors';
import { type AdminChange, recordChangeSync } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { bumpConfigVersion, type Sqlite, sqlTimestamp, writeTransaction } from '../internal/sql';
import { oneOf, parseStoredJson } from '../internal/stored';

/**
 * A tenant's signing keys (decision 0020). `pending` is published in the JWKS and signs from its
 * `activatesAt`; `active` signs; `retiring` only verifies (tokens signed before a rotation) until
 * its `retireAfter`; `retired` is kept for the record; `revoked` was withdrawn by an admin (a
 * compromised key): out of the JWKS and of verification at once, for good. The dates move by
 * `advanceLifecycle` (core's planKeyLifecycle), which the STS runs. Private keys are stored
 * sealed (@sts/crypto's sealPrivateJwk): this package never sees them in clear.
 */
export { SIGNING_KEY_STATUSES, type SigningKeyStatus };

/** A key as the console lists it: public parts only. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlg;
  status: SigningKeyStatus;
  publicJwk: JsonWebKey;
  createdAt: Date;
  activatedAt: Date | null;
  /** A pending key: when it starts signing. */
  activatesAt: Date | null;
  /** When it stopped signing (another key became active). */
  stoppedSigningAt: Date | null;
  /** A retiring key: when it leaves the JWKS (its last token has expired). */
  retireAfter: Date | null;
  /** When it stopped verifying: retired, or revoked. */
  retiredAt: Date | null;
}

/** A key that signs or verifies, with its private part sealed: what the STS loads. */
export interface SealedSigningKey {
  kid: string;
  alg: SigningAlg;
  status: 'pending' | 'active' | 'retiring';
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
  /** The pending, active and retiring keys, sealed; the active one first, then newest first. */
  listUsable(tenantId: string): SealedSigningKey[];
  /**
   * Makes a key of `alg` active unless the tenant has one (its other active keys start retiring,
   * as when the tenant's signingAlg changed). True when a key was made. NotFoundError for an
   * unknown tenant.
   */
  ensureActive(tenantId: string, alg: SigningAlg, make: MakeSigningKey): boolean;
  /**
   * Adds a new key of the tenant's signingAlg, pending: published now, signing `prepublishMs`
   * after its creation (advanceLifecycle makes it active and the previous one retiring). A tenant
   * with no active key yet gets an active one at once (nothing could verify an older one).
   * ConflictError while another key is pending. With `change`, the admin action it returns for
   * the rotation is recorded in the same transaction.
   */
  rotate(
    tenantId: string,
    make: MakeSigningKey,
    options: { prepublishMs: number },
    change?: (rotated: Rotation) => AdminChange,
  ): Rotation;
  /**
   * Applies the lifecycle transitions due at `now` (core's planKeyLifecycle) in one write
   * transaction, each update conditional on the status read, so that two STS processes running
   * it at once apply each transition once. A retiring key's retirement date is the time it
   * stopped signing + the tenant's token lifetime + `clockSkewSeconds`. Activations, retirements
   * and discards are recorded as admin actions of "system"; anything applied bumps
   * config_version. Returns what was applied (nothing for a tenant that no longer exists).
   */
  advanceLifecycle(
    tenantId: string,
    options: { now: number; clockSkewSeconds: number },
  ): KeyTransition[];
  /**
   * Withdraws a pending or retiring key at once: it leaves the JWKS and verifies nothing from the next
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
  previousStatus: 'pending' | 'retiring' | 'retired';
}

/** Why a revocation is refused, in words the console shows. */
export const REVOKE_ACTIVE_KEY =
  'The active signing key cannot be revoked: rotate first (a new key signs), then revoke this one';
export const REVOKE_REVOKED_KEY = 'This signing key is revoked already';
/** Why a rotation is refused, in words the console shows. */
export const ROTATE_PENDING_KEY =
  'A new signing key is already pending: it starts signing at its activation time (revoke it to start over)';

/** What a rotation did. */
export interface Rotation {
  kid: string;
  alg: SigningAlg;
  /** The key that signs until the new one activates. */
  previousKid: string | null;
  /** When the new key starts signing (now, for a tenant that had no active key). */
  activatesAt: Date;
}

/** Who records the lifecycle's own transitions in admin_actions. */
export const SYSTEM_ACTOR = { id: null, email: 'system' } as const;

const STATUS_ORDER: Record<SigningKeyStatus, number> = {
  pending: 0,
  active: 1,
  retiring: 2,
  retired: 3,
  revoked: 4,
};

export function signingKeyRepository(h: Handles): SigningKeyRepository {
  const { sqlite, prisma } = h;
  const where = (tenantId: string, kid: string) => `tenant ${tenantId}, signing key ${kid}`;

  /** Inside a write transaction: the new key signs from now on; the active ones start retiring. */
  const activate = (tenantId: string, key: NewSigningKey) => {
    const now = sqlTimestamp(h.clock());
    // Their retirement dates are set by the next advanceLifecycle (it knows the clock skew).
    sqlite
      .prepare(
        `UPDATE "signing_keys" SET "status" = 'retiring', "stopped_signing_at" = ? WHERE "tenant_id" = ? AND "status" = 'active'`,
      )
      .run(now, tenantId);
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
          activatesAt: true,
          stoppedSigningAt: true,
          retireAfter: true,
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
           WHERE "tenant_id" = ? AND "status" IN ('pending', 'active', 'retiring')
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
        status: oneOf(
          ['pending', 'active', 'retiring'],
          row.status,
          `${where(tenantId, row.id)}: status`,
        ),
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
    rotate(tenantId, make, { prepublishMs }, change) {
      return writeTransaction(sqlite, () => {
        const alg = tenantSigningAlg(sqlite, tenantId);
        const pending = sqlite
          .prepare(`SELECT 1 FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'pending'`)
          .get(tenantId);
        if (pending) throw new ConflictError('signing_key', undefined, ROTATE_PENDING_KEY);
        const previousKid = activeKid(tenantId);
        const key = make(alg);
        const now = h.clock();
        const at = previousKid === null ? now : now + prepublishMs;
        if (previousKid === null) activate(tenantId, key);
        else
          sqlite
            .prepare(
              `INSERT INTO "signing_keys" ("id", "tenant_id", "alg", "status", "public_jwk", "encrypted_private_key", "created_at", "activates_at") VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)`,
            )
            .run(
              key.kid,
              tenantId,
              key.alg,
              JSON.stringify(key.publicJwk),
              key.sealedPrivateKey,
              sqlTimestamp(now),
              sqlTimestamp(at),
            );
        const rotation = { kid: key.kid, alg, previousKid, activatesAt: new Date(at) };
        if (change) recordChangeSync(h, change(rotation));
        else bumpConfigVersion(sqlite);
        return rotation;
      });
    },
    advanceLifecycle(tenantId, { now, clockSkewSeconds }) {
      const due = () => {
        const ttl = sqlite
          .prepare('SELECT "access_token_ttl_seconds" FROM "tenants" WHERE "id" = ?')
          .pluck()
          .get(tenantId) as number | undefined;
        // A tenant deleted since the caller listed it has no keys left to move.
        if (ttl === undefined) return [];
        const rows = sqlite
          .prepare(
            `SELECT "id", "status", "activates_at", "stopped_signing_at", "retire_after" FROM "signing_keys"
         WHERE "tenant_id" = ? AND "status" IN ('pending', 'active', 'retiring')`,
          )
          .all(tenantId) as {
          id: string;
          status: string;
          activates_at: string | null;
          stopped_signing_at: string | null;
          retire_after: string | null;
        }[];
        return planKeyLifecycle(
          rows.map((r) => ({
            kid: r.id,
            status: oneOf(SIGNING_KEY_STATUSES, r.status, `${where(tenantId, r.id)}: status`),
            activatesAt: epoch(r.activates_at),
            stoppedSigningAt: epoch(r.stopped_signing_at),
            retireAfter: epoch(r.retire_after),
          })),
          now,
          { verifyWindowMs: (ttl + clockSkewSeconds) * 1000 },
        );
      };
      // Most runs find nothing due: a plain read then, without taking the write lock that the
      // console's changes (and every other process) would have to wait for.
      if (due().length === 0) return [];
      return writeTransaction(sqlite, () => {
        const plan = due();
        const at = sqlTimestamp(now);
        // Each update names the status it expects: a transition another process applied first
        // changes no row here and is not applied (nor recorded) twice.
        const update = (sql: string, ...params: (string | null)[]) =>
          sqlite.prepare(sql).run(...params).changes > 0;
        const applied = plan.filter((t) => {
          switch (t.type) {
            case 'activate': {
              const ok = update(
                `UPDATE "signing_keys" SET "status" = 'active', "activated_at" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'pending'`,
                at,
                tenantId,
                t.kid,
              );
              if (ok)
                for (const previous of t.previousKids)
                  update(
                    `UPDATE "signing_keys" SET "status" = 'retiring', "stopped_signing_at" = ?, "retire_after" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'active'`,
                    at,
                    sqlTimestamp(t.retireAfter),
                    tenantId,
                    previous,
                  );
              return ok;
            }
            case 'schedule_retirement':
              return update(
                `UPDATE "signing_keys" SET "stopped_signing_at" = ?, "retire_after" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'retiring' AND "retire_after" IS NULL`,
                sqlTimestamp(t.stoppedSigningAt),
                sqlTimestamp(t.retireAfter),
                tenantId,
                t.kid,
              );
            case 'retire':
            case 'discard':
              return update(
                `UPDATE "signing_keys" SET "status" = 'retired', "retired_at" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = ?`,
                at,
                tenantId,
                t.kid,
                t.type === 'retire' ? 'retiring' : 'pending',
              );
          }
          return false;
        });
        // Each record bumps config_version (replicas and the console see the new statuses);
        // a retirement date alone bumps it too.
        let recorded = false;
        for (const t of applied) {
          if (t.type === 'schedule_retirement') continue;
          recorded = true;
          const details =
            t.type === 'activate'
              ? {
                  previousKids: t.previousKids,
                  previousRetireAfter: new Date(t.retireAfter).toISOString(),
                }
              : {};
          recordChangeSync(h, {
            actor: SYSTEM_ACTOR,
            action: `key.${t.type}`,
            tenantId,
            target: t.kid,
            details,
          });
        }
        if (applied.length > 0 && !recorded) bumpConfigVersion(sqlite);
        return applied;
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

/** A stored timestamp (ISO 8601, as sqlTimestamp writes it) in epoch milliseconds. */
function epoch(stored: string | null): number | null {
  return stored === null ? null : Date.parse(stored);
}
