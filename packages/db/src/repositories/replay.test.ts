import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test/temp-database';
import { createReplayStore } from './replay';

describe('replay store', () => {
  const temp = useTempDatabase();
  const start = Date.parse('2026-03-01T10:00:00.000Z');

  it('accepts a jti once, until it expires', () => {
    let now = start;
    const replay = createReplayStore(temp.db, { clock: () => now });
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(false);
    now = start + 59_999;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
    now = start + 60_000;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(true);
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
  });

  it('scopes a jti to its tenant and issuer', () => {
    const replay = createReplayStore(temp.db, { clock: () => start });
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('acme', 'batch', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('globex', 'gateway', 'j1', start + 60_000)).toBe(true);
  });

  it('is shared by every store on the database (replicas, restarts)', () => {
    const clock = () => start;
    expect(
      createReplayStore(temp.db, { clock }).markUsed('acme', 'gateway', 'j1', start + 1000),
    ).toBe(true);
    expect(
      createReplayStore(temp.db, { clock }).markUsed('acme', 'gateway', 'j1', start + 1000),
    ).toBe(false);
  });

  it('prunes expired entries, by itself every pruneIntervalMs', () => {
    let now = start;
    const replay = createReplayStore(temp.db, { clock: () => now, pruneIntervalMs: 10_000 });
    const count = () => temp.db.sqlite.prepare('SELECT count(*) FROM used_jtis').pluck().get();
    replay.markUsed('acme', 'gateway', 'short', start + 1000);
    replay.markUsed('acme', 'gateway', 'long', start + 60_000);

    now = start + 5000;
    replay.markUsed('acme', 'gateway', 'other', start + 60_000);
    expect(count()).toBe(3);

    now = start + 10_000;
    replay.markUsed('acme', 'gateway', 'another', start + 60_000);
    expect(count()).toBe(3);
    expect(temp.db.sqlite.prepare('SELECT jti FROM used_jtis ORDER BY jti').pluck().all()).toEqual([
      'another',
      'long',
      'other',
    ]);

    now = start + 60_000;
    expect(replay.prune()).toBe(3);
    expect(count()).toBe(0);
  });
});
