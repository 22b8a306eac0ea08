import type { ConfigChanges } from '@sts/db';
import type { Logger } from './logger';
import type { ReloadFailure } from './tenant-registry';

export interface ConfigWatcherOptions {
  /** The configuration version (one cheap row). */
  readVersion(): Promise<number>;
  /** Which tenants changed after `since`, up to `version` (the change log). */
  changes(since: number, version: number): Promise<ConfigChanges>;
  /** Reloads these tenants, or every tenant; resolves to the tenants that failed. */
  reload(tenantIds?: readonly string[]): Promise<ReloadFailure[]>;
  intervalMs: number;
  log: Logger;
}

/**
 * Polls the configuration version and reloads the tenants changed since the version this process
 * applied (decision 0022): how changes made by the console, or by another replica's start, reach
 * this process. Everything is loaded at start, and whenever the change log cannot say what
 * changed. A tenant that fails to load keeps its previous state and is tried again at each poll.
 * Polling runs beside the request path, never on it.
 */
export class ConfigWatcher {
  private timer: NodeJS.Timeout | undefined;
  /** The version whose changes are all in force in this process. */
  private version = 0;
  /** Tenants whose last reload failed. */
  private retry = new Set<string>();
  private running = false;

  constructor(private readonly options: ConfigWatcherOptions) {}

  /**
   * Loads every tenant, then polls. The version is read first: a change made during the load is
   * reloaded at the first poll rather than missed. A tenant that fails to load is logged and
   * tried again at each poll; the others are served (/readyz says which check fails).
   */
  async start(): Promise<void> {
    this.version = await this.options.readVersion();
    const failures = await this.options.reload();
    this.retry = new Set(failures.map((f) => f.tenantId));
    for (const { error } of failures) this.logFailure(error);
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The configuration version this process has applied: every change up to it is in force. */
  get appliedVersion(): number {
    return this.version;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const version = await this.options.readVersion();
      if (version === this.version && this.retry.size === 0) return;
      const changed =
        version === this.version
          ? { tenantIds: [] }
          : await this.options.changes(this.version, version);
      const failures =
        changed === 'everything'
          ? await this.options.reload()
          : await this.options.reload([...new Set([...this.retry, ...changed.tenantIds])]);
      this.version = version;
      this.retry = new Set(failures.map((f) => f.tenantId));
      for (const { error } of failures) this.logFailure(error);
    } catch (err) {
      this.logFailure(err);
    } finally {
      this.running = false;
    }
  }

  private logFailure(err: unknown): void {
    this.options.log.error(
      { err },
      'configuration reload failed (the previous configuration stays in force)',
    );
  }
}
