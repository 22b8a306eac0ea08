/**
 * A configuration change does not stall the tenants it does not touch (decision 0022). With 1,000
 * tenants (5 clients, 2 trusted issuers, 5 rules each), an unrelated tenant's JWKS (served from
 * the registry like every tenant route) is requested back to back, in alternating windows: quiet,
 * then while a console (another process, as in production) changes another tenant twice per poll
 * interval (each change reloaded by the STS). Medians and 90th percentiles over all windows of each kind are compared, so a noisy
 * machine slows both kinds alike. Before decision 0022 each change rebuilt all 1,000 tenants
 * (about 1.5 s of stalled requests per change).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { forkConsoleWriter } from './helpers/console-writer';
import {
  keepAlive,
  manyTenantsConfig,
  quantile,
  sampleLatency,
  tenantId,
} from './helpers/many-tenants';
import { startTestSts, type TestSts } from './helpers/sts';

const TENANTS = 1000;
const POLL_MS = 100;
const WINDOW_MS = 400;
const ROUNDS = 10;

let sts: TestSts;

beforeAll(async () => {
  sts = await startTestSts(
    manyTenantsConfig(TENANTS),
    { STS_CONFIG_POLL_MS: String(POLL_MS) },
    { keyLifecycleTimer: false },
  );
}, 120_000);

afterAll(async () => {
  await sts?.stop();
});

describe(`${TENANTS} tenants`, () => {
  it('requests to one tenant are as fast while another one changes', async () => {
    expect(sts.app.registry.size).toBe(TENANTS);
    const url = `${sts.issuer(tenantId(7))}/jwks.json`;
    const changed = tenantId(500);
    const writer = forkConsoleWriter({
      databaseUrl: sts.databaseUrl,
      dir: sts.dir,
      tenantId: changed,
      intervalMs: POLL_MS / 2,
    });
    onTestFinished(() => writer.close());
    const agent = keepAlive();
    await sampleLatency(url, 200, agent); // warm-up
    const quiet: number[] = [];
    const during: number[] = [];
    const reloadsBefore = sts.app.registry.loadCount(changed);
    for (let round = 0; round < ROUNDS; round++) {
      quiet.push(...(await sampleLatency(url, WINDOW_MS, agent)));
      await writer.start();
      during.push(...(await sampleLatency(url, WINDOW_MS, agent)));
      const displayName = await writer.stop();
      // The next quiet window starts once the last change is in force.
      await vi.waitFor(
        () => expect(sts.app.registry.get(changed)?.tenant.displayName).toBe(displayName),
        { timeout: 10_000, interval: 10 },
      );
    }
    agent.destroy();

    const figures = {
      quiet: { n: quiet.length, p50: quantile(quiet, 0.5), p90: quantile(quiet, 0.9) },
      during: { n: during.length, p50: quantile(during, 0.5), p90: quantile(during, 0.9) },
    };
    console.log(`JWKS latency (ms), ${TENANTS} tenants:`, JSON.stringify(figures));
    // The changes were applied, in several reloads per window.
    expect(sts.app.registry.loadCount(changed) - reloadsBefore).toBeGreaterThanOrEqual(ROUNDS * 2);
    expect(figures.during.p50).toBeLessThanOrEqual(2 * figures.quiet.p50);
    expect(figures.during.p90).toBeLessThanOrEqual(2 * figures.quiet.p90);
  }, 60_000);
});
