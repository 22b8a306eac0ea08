import type { Logger } from './logger';

/**
 * Audit retention: records older than STS_AUDIT_RETENTION_DAYS are deleted by a background job,
 * in small batches with a yield to the event loop between them, so token requests (whose audit
 * writes share the database) are never held up for long. It runs at start and then every
 * `intervalMs`. Several replicas may run it at once: deleting is idempotent.
 */
export interface AuditRetentionOptions {
  retentionDays: number;
  /** Deletes at most `limit` records created before `cutoffMs`; returns how many. */
  deleteOlderThan(cutoffMs: number, limit: number): Promise<number>;
  clock: () => number;
  batchSize?: number;
  intervalMs?: number;
  /** Called with each batch's count (metrics). */
  onDeleted?: (count: number) => void;
  log: Logger;
}

const DAY_MS = 86_400_000;

export class AuditRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: AuditRetentionOptions) {}

  /** Starts the periodic job; nothing when retention is off (0 days). */
  start(): void {
    if (this.options.retentionDays === 0) return;
    const run = () => {
      this.runOnce().catch((err) => this.options.log.error({ err }, 'audit retention failed'));
    };
    run();
    this.timer = setInterval(run, this.options.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress (whose failure its run already logged). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every expired record, batch by batch; returns how many. One run at a time. */
  runOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    const { retentionDays, deleteOlderThan, clock, batchSize = 500, onDeleted } = this.options;
    if (retentionDays === 0) return 0;
    const cutoff = clock() - retentionDays * DAY_MS;
    let total = 0;
    for (;;) {
      const deleted = await deleteOlderThan(cutoff, batchSize);
      total += deleted;
      if (deleted > 0) onDeleted?.(deleted);
      if (deleted < batchSize) return total;
      await new Promise((ok) => setImmediate(ok));
    }
  }
}
