/** The rate limiter's window and its memory bound, with an injected clock. */
import { describe, expect, it } from 'vitest';
import { addressKey } from '../src/http/rate-limit';
import { RateLimiter } from '../src/runtime/rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` per window from the first request, then says when to retry', () => {
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
