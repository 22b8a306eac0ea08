import type { KeyTransition } from '@sts/core';
import type { Logger } from './logger';

/**
 * Runs the signing key lifecycle (decision 0020) for every tenant: pending keys start signing at
 * their activation time, the keys they replace start retiring, retiring keys leave the JWKS when
 * the last token they signed has expired. It runs at start, on a timer, and at each load of the
 * configuration; several replicas may run it at once (the store applies each transition once).
 * What it applies bumps config_version; this process reloads the tenants it changed at once.
 */
export interface KeyLifecycleOptions {
  /** The tenants with transitions due at `now` (one read for all of them). */
  due(now: number): Promise<string[]>;
  /** Applies the transitions due at `now` for one tenant; returns them. */
  advance(tenantId: string, now: number): Promise<KeyTransition[]>;
  /** Reloads the in-memory key rings of these tenants after a change. */
  reload(tenantIds: readonly string[]): Promise<unknown>;
  clock: () => number;
  intervalMs: number;
  log: Logger;
}

export class KeyLifecycle {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<KeyTransition[]> | undefined;

  constructor(private readonly options: KeyLifecycleOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((err) =>
        this.options.log.error({ err }, 'signing key lifecycle failed'),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress (whose failure its run already logged). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Applies what is due now for every tenant and reloads the tenants it changed. */
  runOnce(): Promise<KeyTransition[]> {
    this.running ??= this.step().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async step(): Promise<KeyTransition[]> {
    const now = this.options.clock();
    const applied: KeyTransition[] = [];
    const changed: string[] = [];
    for (const id of await this.options.due(now)) {
      const transitions = await this.options.advance(id, now);
      applied.push(...transitions);
      if (transitions.length > 0) changed.push(id);
    }
    if (changed.length > 0) await this.options.reload(changed);
    return applied;
  }
}
