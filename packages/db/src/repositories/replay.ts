import type { Handles } from '../internal/handles';
import { sqlTimestamp } from '../internal/sql';

/**
 * Single use of `jti` values, for private_key_jwt client assertions (RFC 7523 §3, item 7: the
 * server MAY keep used jti values for as long as the JWT would be valid). Prepared statements,
 * not Prisma: it runs on the token endpoint's hot path.
 */
export interface ReplayStore {
  /**
   * Records the jti of `issuer` (the client_id for client assertions) until `expiresAtMs`.
   * True the first time, false while it is recorded; once expired it may be used again.
   */
  markUsed(tenantId: string, issuer: string, jti: string, expiresAtMs: number): boolean;
  /** Deletes expired entries; returns how many. markUsed calls it every minute. */
  prune(): number;
}

const PRUNE_INTERVAL_MS = 60_000;

export function replayStore({ sqlite, clock }: Handles): ReplayStore {
  // An entry that has expired is replaced: whether it was pruned yet does not matter.
  const insert = sqlite.prepare(
    `INSERT INTO "used_jtis" ("tenant_id", "issuer", "jti", "expires_at") VALUES (?, ?, ?, ?)
     ON CONFLICT ("tenant_id", "issuer", "jti") DO UPDATE SET "expires_at" = excluded."expires_at"
     WHERE "used_jtis"."expires_at" <= ?`,
  );
  const deleteExpired = sqlite.prepare('DELETE FROM "used_jtis" WHERE "expires_at" <= ?');
  let lastPrune = clock();

  const store: ReplayStore = {
    markUsed(tenantId, issuer, jti, expiresAtMs) {
      const now = clock();
      if (now - lastPrune >= PRUNE_INTERVAL_MS) store.prune();
      return (
        insert.run(tenantId, issuer, jti, sqlTimestamp(expiresAtMs), sqlTimestamp(now)).changes ===
        1
      );
    },
    prune() {
      lastPrune = clock();
      return deleteExpired.run(sqlTimestamp(lastPrune)).changes;
    },
  };
  return store;
}
