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
import { type AdminChange, recordChange } from '../internal/changes';
import { bumpConfigVersion } from '../internal/config-changes';
import type { Handles } from '../internal/handles';
import { rowDate, rowDateOrNull, rowNumber, type Sql, value } from '../internal/sql';
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
  createdAt: Date;
}

/** A key to store: its kid (the RFC 7638 thumbprint), public JWK and sealed private JWK. */
export type NewSigningKey = Omit<SealedSigningKey, 'status' | 'createdAt'>;

/** Makes a new key of `alg` (synchronously: it runs inside the write transaction). */
export type MakeSigningKey = (alg: SigningAlg) => NewSigningKey;

export interface SigningKeyRepository {
  /** Every key of the tenant: active first, then retiring and retired, newest first within each. */
  list(tenantId: string): Promise<SigningKeyRecord[]>;
  /** The pending, active and retiring keys, sealed; the active one first, then newest first. */
  listUsable(tenantId: string): Promise<SealedSigningKey[]>;
  /** listUsable of several tenants in one query, by tenant id (a tenant with none is absent). */
  listUsableOf(tenantIds: readonly string[]): Promise<Map<string, SealedSigningKey[]>>;
  /**
   * Those of the tenants whose signingAlg has no active key (ensureActive would make one), in
   * one query: the start-up of many tenants skips ensureActive's write transaction for the rest.
   */
  needingActiveKey(tenantIds: readonly string[]): Promise<{ tenantId: string; alg: SigningAlg }[]>;
  /**
   * The tenants (all of them, or those of `tenantIds`) with lifecycle transitions due at `now`,
   * in one read: advanceLifecycle then runs only for them. With `scheduled`, a rotation due by a
   * tenant's keyRotationDays counts (the STS passes advanceLifecycle a way to make the key).
   */
  dueLifecycle(
    options: { now: number; clockSkewSeconds: number; scheduled?: boolean },
    tenantIds?: readonly string[],
  ): Promise<string[]>;
  /**
   * Makes a key of `alg` active unless the tenant has one (its other active keys start retiring,
   * as when the tenant's signingAlg changed). True when a key was made. NotFoundError for an
   * unknown tenant.
   */
  ensureActive(tenantId: string, alg: SigningAlg, make: MakeSigningKey): Promise<boolean>;
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
  ): Promise<Rotation>;
  /**
   * Applies the lifecycle transitions due at `now` (core's planKeyLifecycle) in one write
   * transaction, each update conditional on the status read, so that two STS processes running
   * it at once apply each transition once. A retiring key's retirement date is the time it
   * stopped signing + the tenant's token lifetime + `clockSkewSeconds`. Activations, retirements,
   * discards and scheduled rotations are recorded as admin actions of "system"; anything applied bumps
   * config_version. Returns what was applied (nothing for a tenant that no longer exists).
   */
  advanceLifecycle(
    tenantId: string,
    options: {
      now: number;
      clockSkewSeconds: number;
      /**
       * Scheduled rotation: when the tenant has a `keyRotationDays` and its active key has signed
       * that long, a new key made with `make`, pending for `prepublishMs` (as `rotate` makes
       * one), recorded as key.rotate of "system". Without it, no scheduled rotation.
       */
      rotation?: { make: MakeSigningKey; prepublishMs: number };
    },
  ): Promise<KeyTransition[]>;
  /**
   * Withdraws a pending or retiring key at once: it leaves the JWKS and verifies nothing from the next
   * reload on (running STS processes: about a second). The active key cannot be revoked (rotate
   * first) and a revoked key stays revoked: ConflictError. NotFoundError for a key the tenant
   * does not have. `change` is recorded in the same transaction.
   */
  revoke(
    tenantId: string,
    kid: string,
    change: (revoked: Revocation) => AdminChange,
  ): Promise<Revocation>;
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

const DAY_MS = 86_400_000;

const STATUS_ORDER: Record<SigningKeyStatus, number> = {
  pending: 0,
  active: 1,
  retiring: 2,
  retired: 3,
  revoked: 4,
};

export function signingKeyRepository(h: Handles): SigningKeyRepository {
  const { sql, prisma } = h;
  const where = (tenantId: string, kid: string) => `tenant ${tenantId}, signing key ${kid}`;

  /** Inside a write transaction: the new key signs from now on; the active ones start retiring. */
  const activate = async (tx: Sql, tenantId: string, key: NewSigningKey) => {
    const now = new Date(h.clock());
    // Their retirement dates are set by the next advanceLifecycle (it knows the clock skew).
    await tx.run(
      `UPDATE "signing_keys" SET "status" = 'retiring', "stopped_signing_at" = ? WHERE "tenant_id" = ? AND "status" = 'active'`,
      [now, tenantId],
    );
    await tx.run(
      `INSERT INTO "signing_keys" ("id", "tenant_id", "alg", "status", "public_jwk", "encrypted_private_key", "created_at", "activated_at") VALUES (?, ?, ?, 'active', ?, ?, ?, ?)`,
      [key.kid, tenantId, key.alg, JSON.stringify(key.publicJwk), key.sealedPrivateKey, now, now],
    );
  };
  const activeKid = async (tx: Sql, tenantId: string) =>
    (await value<string>(
      tx,
      `SELECT "id" FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'active' ORDER BY "activated_at" DESC LIMIT 1`,
      [tenantId],
    )) ?? null;

  /**
   * Inside a write transaction, with an active key: a new key of the tenant's signingAlg,
   * published now and signing `prepublishMs` from `now`.
   */
  const insertPending = async (
    tx: Sql,
    tenantId: string,
    now: number,
    { make, prepublishMs }: { make: MakeSigningKey; prepublishMs: number },
  ): Promise<Rotation> => {
    const alg = await tenantSigningAlg(tx, tenantId);
    const previousKid = await activeKid(tx, tenantId);
    const key = make(alg);
    const at = new Date(now + prepublishMs);
    await tx.run(
      `INSERT INTO "signing_keys" ("id", "tenant_id", "alg", "status", "public_jwk", "encrypted_private_key", "created_at", "activates_at") VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)`,
      [
        key.kid,
        tenantId,
        key.alg,
        JSON.stringify(key.publicJwk),
        key.sealedPrivateKey,
        new Date(now),
        at,
      ],
    );
    return { kid: key.kid, alg, previousKid, activatesAt: at };
  };

  /** The lifecycle transitions due at `now` for the tenant's keys, as read through `from`. */
  const due = async (
    from: Sql,
    tenantId: string,
    now: number,
    clockSkewSeconds: number,
    scheduled: boolean,
  ) => (await dueByTenant(from, now, clockSkewSeconds, scheduled, [tenantId])).get(tenantId) ?? [];

  /**
   * The transitions due at `now`, by tenant, for the tenants of `tenantIds` (all when undefined);
   * a tenant with nothing due is absent. A tenant deleted since the caller listed it has no keys
   * left to move. `scheduled`: the rotations due by the tenants' keyRotationDays count.
   */
  const dueByTenant = async (
    from: Sql,
    now: number,
    clockSkewSeconds: number,
    scheduled: boolean,
    tenantIds?: readonly string[],
  ) => {
    const rows = await from.all<{
      tenant_id: string;
      ttl: unknown;
      rotation_days: unknown;
      id: string;
      status: string;
      activates_at: unknown;
      stopped_signing_at: unknown;
      retire_after: unknown;
      activated_at: unknown;
      created_at: unknown;
    }>(
      `SELECT k."tenant_id", t."access_token_ttl_seconds" AS "ttl", t."key_rotation_days" AS "rotation_days", k."id", k."status", k."activates_at", k."stopped_signing_at", k."retire_after", k."activated_at", k."created_at"
       FROM "signing_keys" k JOIN "tenants" t ON t."id" = k."tenant_id"
       WHERE k."status" IN ('pending', 'active', 'retiring')${tenantIds ? ` AND k."tenant_id" IN ${placeholders(tenantIds)}` : ''}`,
      tenantIds ?? [],
    );
    const plans = new Map<string, KeyTransition[]>();
    for (const [tenantId, keys] of groupBy(rows, (r) => r.tenant_id)) {
      const rotationDays = keys[0]?.rotation_days == null ? null : rowNumber(keys[0].rotation_days);
      const plan = planKeyLifecycle(
        keys.map((r) => ({
          kid: r.id,
          status: oneOf(SIGNING_KEY_STATUSES, r.status, `${where(tenantId, r.id)}: status`),
          activatesAt: epoch(r.activates_at),
          stoppedSigningAt: epoch(r.stopped_signing_at),
          retireAfter: epoch(r.retire_after),
          // Every active key has an activation date; created_at covers one that might not.
          activatedAt: epoch(r.activated_at) ?? epoch(r.created_at),
        })),
        now,
        {
          verifyWindowMs: (rowNumber(keys[0]?.ttl) + clockSkewSeconds) * 1000,
          rotationPeriodMs: scheduled && rotationDays ? rotationDays * DAY_MS : null,
        },
      );
      if (plan.length > 0) plans.set(tenantId, plan);
    }
    return plans;
  };

  const usableKey = (row: UsableRow): SealedSigningKey => ({
    kid: row.id,
    alg: oneOf(SIGNING_ALGS, row.alg, `${where(row.tenant_id, row.id)}: alg`),
    status: oneOf(
      ['pending', 'active', 'retiring'],
      row.status,
      `${where(row.tenant_id, row.id)}: status`,
    ),
    publicJwk: parseStoredJson(
      row.public_jwk,
      `${where(row.tenant_id, row.id)}: public_jwk`,
    ) as JsonWebKey,
    sealedPrivateKey: row.encrypted_private_key,
    createdAt: rowDate(row.created_at),
  });
  const listUsableOf = async (tenantIds: readonly string[]) => {
    if (tenantIds.length === 0) return new Map<string, SealedSigningKey[]>();
    const rows = await sql.all<UsableRow>(
      `SELECT "tenant_id", "id", "alg", "status", "public_jwk", "encrypted_private_key", "created_at" FROM "signing_keys"
       WHERE "tenant_id" IN ${placeholders(tenantIds)} AND "status" IN ('pending', 'active', 'retiring')
       ORDER BY "tenant_id", CASE WHEN "status" = 'active' THEN 0 ELSE 1 END, "activated_at" DESC NULLS LAST, "created_at" DESC`,
      tenantIds,
    );
    const keys = new Map<string, SealedSigningKey[]>();
    for (const [tenantId, group] of groupBy(rows, (r) => r.tenant_id))
      keys.set(tenantId, group.map(usableKey));
    return keys;
  };

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
    async listUsable(tenantId) {
      return (await listUsableOf([tenantId])).get(tenantId) ?? [];
    },
    listUsableOf,
    async needingActiveKey(tenantIds) {
      if (tenantIds.length === 0) return [];
      const rows = await sql.all<{ id: string; signing_alg: string }>(
        `SELECT t."id", t."signing_alg" FROM "tenants" t
         WHERE t."id" IN ${placeholders(tenantIds)} AND NOT EXISTS (
           SELECT 1 FROM "signing_keys" k
           WHERE k."tenant_id" = t."id" AND k."status" = 'active' AND k."alg" = t."signing_alg")`,
        tenantIds,
      );
      return rows.map((row) => ({
        tenantId: row.id,
        alg: oneOf(SIGNING_ALGS, row.signing_alg, `tenant ${row.id}: signing_alg`),
      }));
    },
    async dueLifecycle({ now, clockSkewSeconds, scheduled = false }, tenantIds) {
      if (tenantIds?.length === 0) return [];
      return [...(await dueByTenant(sql, now, clockSkewSeconds, scheduled, tenantIds)).keys()];
    },
    ensureActive(tenantId, alg, make) {
      return sql.write(async (tx) => {
        await tenantSigningAlg(tx, tenantId);
        const active = await tx.all<{ alg: string }>(
          `SELECT "alg" FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'active'`,
          [tenantId],
        );
        if (active.some((row) => row.alg === alg)) return false;
        await activate(tx, tenantId, make(alg));
        // Replicas reload their key rings.
        await bumpConfigVersion(tx, tenantId);
        return true;
      });
    },
    rotate(tenantId, make, { prepublishMs }, change) {
      return sql.write(async (tx) => {
        const alg = await tenantSigningAlg(tx, tenantId);
        const pending = await tx.get(
          `SELECT 1 FROM "signing_keys" WHERE "tenant_id" = ? AND "status" = 'pending'`,
          [tenantId],
        );
        if (pending) throw new ConflictError('signing_key', undefined, ROTATE_PENDING_KEY);
        const now = h.clock();
        let rotation: Rotation;
        if ((await activeKid(tx, tenantId)) === null) {
          const key = make(alg);
          await activate(tx, tenantId, key);
          rotation = { kid: key.kid, alg, previousKid: null, activatesAt: new Date(now) };
        } else rotation = await insertPending(tx, tenantId, now, { make, prepublishMs });
        if (change) await recordChange(tx, h, change(rotation), tenantId);
        else await bumpConfigVersion(tx, tenantId);
        return rotation;
      });
    },
    async advanceLifecycle(tenantId, { now, clockSkewSeconds, rotation }) {
      const scheduled = rotation !== undefined;
      // Most runs find nothing due: a plain read then, without taking the write lock that the
      // console's changes (and every other process) would have to wait for.
      if ((await due(sql, tenantId, now, clockSkewSeconds, scheduled)).length === 0) return [];
      return sql.write(async (tx) => {
        // Planned again under the write lock: a process that rotated first left a pending key,
        // and the plan then holds no second rotation.
        const plan = await due(tx, tenantId, now, clockSkewSeconds, scheduled);
        const rotations = new Map<KeyTransition, Rotation>();
        const at = new Date(now);
        // Each update names the status it expects: a transition another process applied first
        // changes no row here and is not applied (nor recorded) twice.
        const update = async (text: string, ...params: (string | Date | null)[]) =>
          (await tx.run(text, params)) > 0;
        const applied: KeyTransition[] = [];
        for (const t of plan) {
          let ok = false;
          switch (t.type) {
            case 'activate':
              ok = await update(
                `UPDATE "signing_keys" SET "status" = 'active', "activated_at" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'pending'`,
                at,
                tenantId,
                t.kid,
              );
              if (ok)
                for (const previous of t.previousKids)
                  await update(
                    `UPDATE "signing_keys" SET "status" = 'retiring', "stopped_signing_at" = ?, "retire_after" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'active'`,
                    at,
                    new Date(t.retireAfter),
                    tenantId,
                    previous,
                  );
              break;
            case 'schedule_retirement':
              ok = await update(
                `UPDATE "signing_keys" SET "stopped_signing_at" = ?, "retire_after" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = 'retiring' AND "retire_after" IS NULL`,
                new Date(t.stoppedSigningAt),
                new Date(t.retireAfter),
                tenantId,
                t.kid,
              );
              break;
            case 'retire':
            case 'discard':
              ok = await update(
                `UPDATE "signing_keys" SET "status" = 'retired', "retired_at" = ? WHERE "tenant_id" = ? AND "id" = ? AND "status" = ?`,
                at,
                tenantId,
                t.kid,
                t.type === 'retire' ? 'retiring' : 'pending',
              );
              break;
            case 'rotate':
              if (rotation) {
                const made = await insertPending(tx, tenantId, now, rotation);
                const done = { ...t, kid: made.kid };
                rotations.set(done, made);
                applied.push(done);
              }
          }
          if (ok) applied.push(t);
        }
        // Each record bumps config_version (replicas and the console see the new statuses);
        // a retirement date alone bumps it too.
        let recorded = false;
        for (const t of applied) {
          if (t.type === 'schedule_retirement') continue;
          recorded = true;
          const rotated = rotations.get(t);
          const details =
            t.type === 'activate'
              ? {
                  previousKids: t.previousKids,
                  previousRetireAfter: new Date(t.retireAfter).toISOString(),
                }
              : rotated
                ? {
                    scheduled: true,
                    alg: rotated.alg,
                    previousKid: rotated.previousKid,
                    activatesAt: rotated.activatesAt.toISOString(),
                  }
                : {};
          await recordChange(
            tx,
            h,
            { actor: SYSTEM_ACTOR, action: `key.${t.type}`, tenantId, target: t.kid, details },
            tenantId,
          );
        }
        if (applied.length > 0 && !recorded) await bumpConfigVersion(tx, tenantId);
        return applied;
      });
    },
    revoke(tenantId, kid, change) {
      return sql.write(async (tx) => {
        const row = await tx.get<{ alg: string; status: string }>(
          `SELECT "alg", "status" FROM "signing_keys" WHERE "tenant_id" = ? AND "id" = ?`,
          [tenantId, kid],
        );
        if (!row) throw new NotFoundError('signing_key', kid);
        const status = oneOf(SIGNING_KEY_STATUSES, row.status, `${where(tenantId, kid)}: status`);
        if (status === 'active')
          throw new ConflictError('signing_key', undefined, REVOKE_ACTIVE_KEY);
        if (status === 'revoked')
          throw new ConflictError('signing_key', undefined, REVOKE_REVOKED_KEY);
        await tx.run(
          `UPDATE "signing_keys" SET "status" = 'revoked', "retired_at" = ? WHERE "tenant_id" = ? AND "id" = ?`,
          [new Date(h.clock()), tenantId, kid],
        );
        const revocation: Revocation = {
          kid,
          alg: oneOf(SIGNING_ALGS, row.alg, `${where(tenantId, kid)}: alg`),
          previousStatus: status,
        };
        // Also bumps config_version: every STS process reloads its key rings.
        await recordChange(tx, h, change(revocation), tenantId);
        return revocation;
      });
    },
  };
}

async function tenantSigningAlg(tx: Sql, tenantId: string): Promise<SigningAlg> {
  const alg = await value<string>(tx, 'SELECT "signing_alg" FROM "tenants" WHERE "id" = ?', [
    tenantId,
  ]);
  if (alg === undefined) throw new NotFoundError('tenant', tenantId);
  return oneOf(SIGNING_ALGS, alg, `tenant ${tenantId}: signing_alg`);
}

/** A stored timestamp (either dialect's form) in epoch milliseconds. */
function epoch(stored: unknown): number | null {
  return rowDateOrNull(stored)?.getTime() ?? null;
}

interface UsableRow {
  tenant_id: string;
  id: string;
  alg: string;
  status: string;
  public_jwk: string;
  encrypted_private_key: string;
  created_at: unknown;
}

/** `(?, ?, …)`, one placeholder per value. */
const placeholders = (values: readonly unknown[]) => `(${values.map(() => '?').join(', ')})`;

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
