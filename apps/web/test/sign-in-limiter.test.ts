import { describe, expect, it } from 'vitest';
import { SignInLimiter, sourceAddress } from '~/server/sign-in-limiter';

const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

describe('SignInLimiter (injected clock)', () => {
  it('refuses an account after its failures, for the rest of the window; success clears it', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('Ada@example.test', `10.0.0.${i}`)).toEqual({ ok: true });
      limiter.failed('ada@example.test', `10.0.0.${i}`);
    }
    expect(limiter.check('ADA@example.test', '10.0.0.9')).toEqual({
      ok: false,
      retryAfterMs: 60_000,
    });
    now += 59_999;
    expect(limiter.check('ada@example.test', '10.0.0.9')).toEqual({ ok: false, retryAfterMs: 1 });
    now += 1;
    expect(limiter.check('ada@example.test', '10.0.0.9')).toEqual({ ok: true });
    limiter.failed('ada@example.test', '10.0.0.9');
    limiter.succeeded('ada@example.test');
    limiter.failed('ada@example.test', '10.0.0.9');
    limiter.failed('ada@example.test', '10.0.0.9');
    expect(limiter.check('ada@example.test', '10.0.0.9')).toEqual({ ok: true });
  });

  it('refuses an address after its failures, whatever the account', () => {
    const now = 5_000;
    const limiter = new SignInLimiter(limits, () => now);
    for (let i = 0; i < 5; i++) limiter.failed(`user${i}@example.test`, '192.0.2.1');
    expect(limiter.check('someone@example.test', '192.0.2.1')).toMatchObject({ ok: false });
    expect(limiter.check('someone@example.test', '192.0.2.2')).toEqual({ ok: true });
  });

  it('keeps a bounded number of counts', () => {
    let now = 0;
    const limiter = new SignInLimiter({ ...limits, perAddress: 1 }, () => now);
    for (let i = 0; i < 10_050; i++) limiter.failed('a@example.test', `addr-${i}`);
    now += 1;
    // The newest counts are kept, the oldest dropped.
    expect(limiter.check('b@example.test', 'addr-10049')).toMatchObject({ ok: false });
    expect(limiter.check('b@example.test', 'addr-0')).toEqual({ ok: true });
  });
});

describe('sourceAddress', () => {
  it('reads X-Forwarded-For from the right, past the trusted proxies', () => {
    expect(sourceAddress('203.0.113.9', 0)).toBe('203.0.113.9');
    expect(sourceAddress('198.51.100.1, 203.0.113.9', 0)).toBe('203.0.113.9');
    expect(sourceAddress('198.51.100.1, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(sourceAddress('198.51.100.1, 203.0.113.9, 10.0.0.2', 2)).toBe('203.0.113.9');
    expect(sourceAddress('203.0.113.9', 3)).toBe('203.0.113.9');
    expect(sourceAddress(undefined, 0)).toBe('unknown');
    expect(sourceAddress(' , ', 0)).toBe('unknown');
  });
});
