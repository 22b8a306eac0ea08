import { describe, expect, it } from 'vitest';
import { type LifecycleKey, planKeyLifecycle } from '../src/keys/lifecycle';

/** Decision 0020: the lifecycle step, driven by the time it is given. */
const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;
/** A 300 s token lifetime plus 30 s of skew. */
const timings = { verifyWindowMs: 330_000 };

const key = (kid: string, status: LifecycleKey['status'], at: Partial<LifecycleKey> = {}) => ({
  kid,
  status,
  activatesAt: null,
  stoppedSigningAt: null,
  retireAfter: null,
  ...at,
});

describe('planKeyLifecycle', () => {
  it('leaves a pending key alone until its activation time, then activates it', () => {
    const keys = [key('old', 'active'), key('new', 'pending', { activatesAt: T0 + 5 * MIN })];
    expect(planKeyLifecycle(keys, T0, timings)).toEqual([]);
    expect(planKeyLifecycle(keys, T0 + 5 * MIN - 1, timings)).toEqual([]);
    expect(planKeyLifecycle(keys, T0 + 5 * MIN, timings)).toEqual([
      { type: 'activate', kid: 'new', previousKids: ['old'], retireAfter: T0 + 5 * MIN + 330_000 },
    ]);
  });

  it('retires a retiring key at its retire_after, not before', () => {
    const keys = [key('new', 'active'), key('old', 'retiring', { retireAfter: T0 + MIN })];
    expect(planKeyLifecycle(keys, T0 + MIN - 1, timings)).toEqual([]);
    expect(planKeyLifecycle(keys, T0 + MIN, timings)).toEqual([{ type: 'retire', kid: 'old' }]);
  });

  it('gives a retiring key without a date one: when it stopped signing + the window', () => {
    const stopped = key('old', 'retiring', { stoppedSigningAt: T0 });
    expect(planKeyLifecycle([stopped], T0 + MIN, timings)).toEqual([
      { type: 'schedule_retirement', kid: 'old', stoppedSigningAt: T0, retireAfter: T0 + 330_000 },
    ]);
    // Its window already over: retired at once.
    expect(planKeyLifecycle([stopped], T0 + 330_000, timings)).toEqual([
      { type: 'retire', kid: 'old' },
    ]);
    // Unknown stop (retired before these dates existed): counted from now.
    expect(planKeyLifecycle([key('older', 'retiring')], T0, timings)).toEqual([
      {
        type: 'schedule_retirement',
        kid: 'older',
        stoppedSigningAt: T0,
        retireAfter: T0 + 330_000,
      },
    ]);
  });

  it('activates only the latest due pending key; an overtaken one is discarded', () => {
    const keys = [
      key('a', 'active'),
      key('p1', 'pending', { activatesAt: T0 }),
      key('p2', 'pending', { activatesAt: T0 + MIN }),
    ];
    expect(planKeyLifecycle(keys, T0 + MIN, timings)).toEqual([
      { type: 'activate', kid: 'p2', previousKids: ['a'], retireAfter: T0 + MIN + 330_000 },
      { type: 'discard', kid: 'p1' },
    ]);
  });

  it('never touches retired or revoked keys, and is idempotent once applied', () => {
    const keys = [
      key('a', 'active'),
      key('r', 'retired', { retireAfter: T0 }),
      key('x', 'revoked', { activatesAt: T0 }),
    ];
    expect(planKeyLifecycle(keys, T0 + 1000 * MIN, timings)).toEqual([]);
  });
});

describe('planKeyLifecycle: scheduled rotation', () => {
  const DAY = 86_400_000;
  const withPeriod = { ...timings, rotationPeriodMs: 30 * DAY };

  it('plans a rotation once the active key has signed for the period, not before', () => {
    const keys = [key('old', 'active', { activatedAt: T0 })];
    expect(planKeyLifecycle(keys, T0 + 30 * DAY - 1, withPeriod)).toEqual([]);
    expect(planKeyLifecycle(keys, T0 + 30 * DAY, withPeriod)).toEqual([
      { type: 'rotate', previousKid: 'old', dueAt: T0 + 30 * DAY },
    ]);
    expect(planKeyLifecycle(keys, T0 + 300 * DAY, timings)).toEqual([]);
  });

  it('waits while a key is pending (one pending key at a time)', () => {
    const keys = [
      key('old', 'active', { activatedAt: T0 }),
      key('new', 'pending', { activatesAt: T0 + 31 * DAY }),
    ];
    expect(planKeyLifecycle(keys, T0 + 30 * DAY, withPeriod)).toEqual([]);
  });
});
