/**
 * A fixed-window request counter per key (a source address, a client). Windows are aligned to
 * the clock (they start at multiples of `windowMs` since the epoch), so that every STS process
 * counts the same window: with a shared store, `sync()` (run every half second) reports what
 * this process counted and learns what the others did (decision 0025). `hit()` decides from
 * memory alone: on the token endpoint's path there is no database round trip, and each process
 * learns the others' counts at most one sync late. The clock is injected (tests).
 */
export interface RateLimit {
  /** Requests per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  clock: () => number;
  /** Keys held at most; past it, expired windows are dropped first, then the oldest. */
  maxKeys?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Where processes sharing a database meet: db's RateLimitStore for one limiter. */
export interface SharedCounts {
  report(
    windowStart: number,
    counts: ReadonlyMap<string, number>,
    atLeast: number,
  ): Promise<Map<string, number>>;
}

interface Window {
  start: number;
  /** Requests this process counted in the window. */
  count: number;
  /** Of which already reported to the shared store. */
  reported: number;
  /** Requests the other processes counted, as of the last sync. */
  others: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimit) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Counts one request of `key`, and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const { limit, windowMs, clock } = this.options;
    if (limit === 0) return { allowed: true };
    const now = clock();
    const start = now - (now % windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.prune(start);
      window = { start, count: 0, reported: 0, others: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count + window.others <= limit) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
    };
  }

  /**
   * Reports this process's counts of the current window to `shared` and takes in the totals it
   * answers: for the keys counted here, and for the keys near their limit anywhere (counted at
   * least half the limit), which this process then refuses from its first request.
   */
  async sync(shared: SharedCounts): Promise<void> {
    const { limit, windowMs, clock } = this.options;
    if (limit === 0) return;
    const now = clock();
    const start = now - (now % windowMs);
    const counts = new Map<string, number>();
    const reporting = new Map<string, Window>();
    for (const [key, window] of this.windows)
      if (window.start === start && window.count > window.reported) {
        counts.set(key, window.count - window.reported);
        reporting.set(key, window);
      }
    const totals = await shared.report(start, counts, Math.ceil(limit / 2));
    for (const [key, window] of reporting) window.reported += counts.get(key) ?? 0;
    for (const [key, total] of totals) {
      let window = this.windows.get(key);
      if (window && window.start !== start) continue;
      if (!window) {
        if (this.windows.size >= this.maxKeys) this.prune(start);
        window = { start, count: 0, reported: 0, others: 0 };
        this.windows.set(key, window);
      }
      window.others = Math.max(0, total - window.reported);
    }
  }

  /**
   * A window is (re)inserted when it starts, so the Map (insertion order) holds them oldest
   * first: drop from the front every expired one, and while still full the oldest live ones.
   * Each key is dropped once, so a flood of new keys costs constant time per request.
   */
  private prune(currentStart: number): void {
    for (const [key, window] of this.windows) {
      const expired = window.start !== currentStart;
      if (!expired && this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
