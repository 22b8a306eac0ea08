import type { RateLimitStore } from '@sts/db';
import type { RateLimiter } from './rate-limiter';

/** How often each process reports its counts and learns the others' (decision 0025). */
const SYNC_INTERVAL_MS = 500;
/** How often windows that have ended are deleted from the store. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Shares the rate limits' counts with every STS process on the database: every half second,
 * each limiter reports what it counted and takes in the others' totals. A failed report (the
 * database unreachable) leaves each process counting alone until the next one succeeds.
 */
export class RateLimitSync {
  private timer: NodeJS.Timeout | undefined;
  /** The reports, one after the other: two at once would report the same counts twice. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private lastPrune = 0;
  private failing = false;

  constructor(
    private readonly options: {
      limiters: Record<string, RateLimiter>;
      store: RateLimitStore;
      windowMs: number;
      clock: () => number;
      onError: (err: unknown) => void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.queued === 0) void this.runOnce();
    }, SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.queue;
  }

  /** One report of every limiter, after any in progress (tests run it themselves). */
  runOnce(): Promise<void> {
    this.queued++;
    this.queue = this.queue
      .then(() => this.report())
      .finally(() => {
        this.queued--;
      });
    return this.queue;
  }

  private async report(): Promise<void> {
    const { limiters, store, windowMs, clock, onError } = this.options;
    try {
      for (const [name, limiter] of Object.entries(limiters))
        await limiter.sync({
          report: (windowStart, counts, atLeast) =>
            store.report(name, windowStart, counts, atLeast),
        });
      const now = clock();
      if (now - this.lastPrune >= PRUNE_INTERVAL_MS) {
        this.lastPrune = now;
        await store.prune(now - (now % windowMs) - windowMs);
      }
      this.failing = false;
    } catch (err) {
      // Said once per outage, not every half second.
      if (!this.failing) onError(err);
      this.failing = true;
    }
  }
}
