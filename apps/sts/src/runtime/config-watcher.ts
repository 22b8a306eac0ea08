import type { Logger } from './logger';

/**
 * Polls the configuration version (one cheap row) and reloads the in-memory tenants when it
 * changes: how changes made by the console, or by another replica's start, reach this process.
 * Polling runs beside the request path, never on it.
 */
export class ConfigWatcher {
  private timer: NodeJS.Timeout | undefined;
  private version: number | undefined;
  private running = false;

  constructor(
    private readonly readVersion: () => Promise<number>,
    private readonly reload: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.version = await this.readVersion();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const version = await this.readVersion();
      if (version !== this.version) {
        await this.reload();
        this.version = version;
      }
    } catch (err) {
      this.log.error(
        { err },
        'configuration reload failed (the previous configuration stays in force)',
      );
    } finally {
      this.running = false;
    }
  }
}
