import type { Handles } from '../internal/handles';

/**
 * Single use of `jti` values, for private_key_jwt client assertions (RFC 7523 §3, item 7: the
 * server MAY keep used jti values for as long as the JWT would be valid). One conditional insert
 * on a prepared statement (the token endpoint's hot path), so every STS process sharing the
 * database refuses a jti after its first use.
 */
export interface ReplayStore {
  /**
   * Records the jti of `issuer` (the client_id for client assertions) until `expiresAtMs`.
   * True the first time, false while it is recorded; once expired it may be used again.
   */
  markUsed(tenantId: string, issuer: string, jti: string, expiresAtMs: number): Promise<boolean>;
  /** Deletes expired entries; returns how many. markUsed calls it every minute. */
  prune(): Promise<number>;
}

const PRUNE_INTERVAL_MS = 60_000;

export function replayStore({ sql, clock }: Handles): ReplayStore {
  let lastPrune = clock();
  const store: ReplayStore = {
    async markUsed(tenantId, issuer, jti, expiresAtMs) {
      const now = clock();
      if (now - lastPrune >= PRUNE_INTERVAL_MS) await store.prune();
      // An entry that has expired is replaced: whether it was pruned yet does not matter.
      const inserted = await sql.run(
        `INSERT INTO "used_jtis" ("tenant_id", "issuer", "jti", "expires_at") VALUES (?, ?, ?, ?)
         ON CONFLICT ("tenant_id", "issuer", "jti") DO UPDATE SET "expires_at" = excluded."expires_at"
         WHERE "used_jtis"."expires_at" <= ?`,
        [tenantId, issuer, jti, new Date(expiresAtMs), new Date(now)],
      );
      return inserted === 1;
    },
    async prune() {
      lastPrune = clock();
      return sql.run('DELETE FROM "used_jtis" WHERE "expires_at" <= ?', [new Date(lastPrune)]);
    },
  };
  return store;
}
