/**
 * The rate limiter's window and its memory bound, with an injected clock; and its counts shared
 * by two STS processes on one database (decision 0025).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKey } from '../src/http/rate-limit';
import { RateLimiter } from '../src/runtime/rate-limiter';
import { manualClock, nextMinute } from './helpers/clock';
import { post } from './helpers/http';
import { startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';

describe('RateLimiter', () => {
  it('allows `limit` per window (aligned to the clock), then says when the next one starts', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ limit: 2, windowMs: 10_000, clock: () => now });
    expect(limiter.hit('a')).toEqual({ allowed: true });
    now += 4_000;
    expect(limiter.hit('a')).toEqual({ allowed: true });
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(limiter.hit('b')).toEqual({ allowed: true });
    now += 6_000;
    expect(limiter.hit('a')).toEqual({ allowed: true });
  });

  it('holds at most maxKeys, dropping expired windows first, then the oldest', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, clock: () => now, maxKeys: 3 });
    limiter.hit('old');
    now = 2_000;
    limiter.hit('x');
    limiter.hit('y');
    limiter.hit('z'); // "old" has expired: dropped to make room
    expect(limiter.hit('x')).toMatchObject({ allowed: false });
    limiter.hit('w'); // full of live windows: the oldest ("x") goes
    expect(limiter.hit('x')).toEqual({ allowed: true });
    expect(limiter.hit('z')).toMatchObject({ allowed: false });
  });

  it('limit 0 is no limit', () => {
    const limiter = new RateLimiter({ limit: 0, windowMs: 1_000, clock: () => 0 });
    for (let i = 0; i < 100; i++) expect(limiter.hit('a')).toEqual({ allowed: true });
  });
});

describe('addressKey', () => {
  it('counts IPv4 per address and IPv6 per /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });
});

describe('rate limits shared by the STS processes of one database', () => {
  const config = {
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
        trustedIssuers: [],
        rules: [],
      },
    ],
  };
  let first: TestSts;
  let second: TestSts;
  const clock = manualClock(nextMinute());

  beforeAll(async () => {
    const env = { STS_RATE_LIMIT_PER_CLIENT: '20', STS_RATE_LIMIT_WINDOW_SECONDS: '60' };
    first = await startTestSts(config, env, { clock: clock.now });
    // A second process on the same database, as a replica runs.
    second = await startTestSts(
      config,
      {
        ...env,
        STS_DATABASE_URL: first.databaseUrl,
        STS_MASTER_KEY: first.masterKey,
      },
      { clock: clock.now },
    );
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  /** Authenticated requests of the client (refused by policy: no rule), by status. */
  async function send(sts: TestSts, n: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++)
      statuses.push(
        (
          await post(
            sts.token('acme'),
            { grant_type: TOKEN_EXCHANGE },
            { basic: ['gateway', SECRET] },
          )
        ).status,
      );
    return statuses;
  }

  it("one client's requests are counted over both: each refuses once the total is reached", async () => {
    expect(await send(first, 15)).toEqual(Array(15).fill(400));
    // Each process reports what it counted and learns the other's total (every half second).
    await first.rateLimitSync.runOnce();
    await second.rateLimitSync.runOnce();
    expect(await send(second, 8)).toEqual([...Array(5).fill(400), ...Array(3).fill(429)]);
    await second.rateLimitSync.runOnce();
    await first.rateLimitSync.runOnce();
    expect(await send(first, 1)).toEqual([429]);

    // The next window starts afresh everywhere.
    clock.advance(60_000);
    expect(await send(second, 1)).toEqual([400]);
    expect(await send(first, 1)).toEqual([400]);
  });
});
