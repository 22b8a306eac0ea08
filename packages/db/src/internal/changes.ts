import { bumpConfigVersion, bumpConfigVersionOps, type Touched } from './config-changes';
import type { Handles } from './handles';
import type { Sql } from './sql';
import { monotonicUlid } from './ulid';

/**
 * A change an admin makes, recorded in admin_actions in the same transaction as the change, which
 * also bumps config_version for the tenant it touched (running STS processes reload it). Never
 * holds a secret.
 */
export interface AdminChange {
  /** An admin; `id` null for the STS's own scheduled changes (actor email "system"). */
  actor: { id: string | null; email: string };
  /** e.g. "client.create", "rule.update", "key.rotate". */
  action: string;
  tenantId?: string;
  /** What was acted on, e.g. a client id or rule id. */
  target?: string;
  /** What changed; never a secret. */
  details?: Record<string, unknown>;
}

// Monotonic: records of the same millisecond still sort in write order.
const ulid = monotonicUlid();

/**
 * Records `change` inside the write transaction `tx` that makes it (see ./sql.ts), and tells STS
 * processes to reload the tenant it `touched` (null: every tenant).
 */
export async function recordChange(
  tx: Sql,
  h: Pick<Handles, 'clock'>,
  change: AdminChange,
  touched: Touched,
): Promise<void> {
  await recordAdminAction(tx, h, change);
  await bumpConfigVersion(tx, touched);
}

/**
 * Records `change` only: for changes to what the STS does not serve (admin accounts), which no
 * STS process needs to reload.
 */
export async function recordAdminAction(
  tx: Sql,
  { clock }: Pick<Handles, 'clock'>,
  change: AdminChange,
): Promise<void> {
  const now = clock();
  await tx.run(
    `INSERT INTO "admin_actions" ("id", "actor_id", "actor_email", "action", "tenant_id", "target", "details", "created_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      ulid(now),
      change.actor.id,
      change.actor.email,
      change.action,
      change.tenantId ?? null,
      change.target ?? null,
      JSON.stringify(change.details ?? {}),
      new Date(now),
    ],
  );
}

/**
 * The Prisma operations that record `change` and tell STS processes to reload the tenant it
 * `touched`, for a `$transaction([...])` with the change itself (the repositories whose changes
 * are single Prisma writes).
 */
export function changeOps({ prisma, clock }: Handles, change: AdminChange, touched: Touched) {
  const now = clock();
  return [
    prisma.adminAction.create({
      data: {
        id: ulid(now),
        actorId: change.actor.id,
        actorEmail: change.actor.email,
        action: change.action,
        tenantId: change.tenantId ?? null,
        target: change.target ?? null,
        details: JSON.stringify(change.details ?? {}),
        createdAt: new Date(now),
      },
    }),
    ...bumpConfigVersionOps(prisma, touched),
  ] as const;
}
