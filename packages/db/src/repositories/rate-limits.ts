import type { Handles } from '../internal/handles';
import { rowNumber } from '../internal/sql';

/**
 * Rate limit counts shared by every STS process on the database (decision 0025): each process
 * counts in memory and reports what it counted, every half second; what the others counted comes
 * back with the report. Fixed windows, aligned to the epoch, so that every process counts the
 * same window.
 */
export interface RateLimitStore {
  /**
   * Adds this process's `counts` (key → requests since its last report) to the window of
   * `limiter` starting at `windowStart`; returns the totals over every process, for these keys
   * and for every other key of the window counted `atLeast` times (the keys near their limit,
   * which this process must know about before its first request of them).
   */
  report(
    limiter: string,
    windowStart: number,
    counts: ReadonlyMap<string, number>,
    atLeast: number,
  ): Promise<Map<string, number>>;
  /** Deletes the windows that started before `windowStart`; returns how many rows. */
  prune(windowStart: number): Promise<number>;
}

export function rateLimitStore({ sql }: Handles): RateLimitStore {
  return {
    async report(limiter, windowStart, counts, atLeast) {
      const totals = new Map<string, number>();
      if (counts.size > 0)
        await sql.write(async (tx) => {
          for (const [key, count] of counts) {
            const row = await tx.get<{ count: unknown }>(
              `INSERT INTO "rate_limit_counts" ("limiter", "key", "window_start", "count") VALUES (?, ?, ?, ?)
               ON CONFLICT ("limiter", "key", "window_start") DO UPDATE SET "count" = "rate_limit_counts"."count" + excluded."count"
               RETURNING "count"`,
              [limiter, key, windowStart, count],
            );
            totals.set(key, rowNumber(row?.count));
          }
        });
      const hot = await sql.all<{ key: string; count: unknown }>(
        `SELECT "key", "count" FROM "rate_limit_counts" WHERE "limiter" = ? AND "window_start" = ? AND "count" >= ?`,
        [limiter, windowStart, atLeast],
      );
      for (const row of hot) if (!totals.has(row.key)) totals.set(row.key, rowNumber(row.count));
      return totals;
    },
    prune: (windowStart) =>
      sql.run('DELETE FROM "rate_limit_counts" WHERE "window_start" < ?', [windowStart]),
  };
}
