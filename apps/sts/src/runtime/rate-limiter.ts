/**
 * A fixed-window request counter per key (a source address, a client), in memory and per
 * process: each key gets `limit` requests per window, the window starting at its first request.
 * With several replicas each counts its own share. The clock is injected (tests).
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

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimit) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Counts one request of `key`, and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const { limit, windowMs, clock } = this.options;
    if (limit === 0) return { allowed: true };
    const now = clock();
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= limit) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
    };
  }

  /**
   * A window is (re)inserted when it starts, so the Map (insertion order) holds them oldest
   * first: drop from the front every expired one, and while still full the oldest live ones.
   * Each key is dropped once, so a flood of new keys costs constant time per request.
   */
  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      const expired = now - window.start >= this.options.windowMs;
      if (!expired && this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
