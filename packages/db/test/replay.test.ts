import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/open';
import { useTempDatabase } from './temp-database';

describe('replay store', () => {
  const temp = useTempDatabase();
  // The time the database opens at (useTempDatabase), so its first prune is a minute away.
  const start = Date.UTC(2030, 0, 15, 12, 0, 0);

  it('accepts a jti once, until it expires', () => {
    temp.now = start;
    const { replay } = temp.db;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(false);
    temp.now = start + 59_999;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
    temp.now = start + 60_000;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(true);
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
  });

  it('scopes a jti to its tenant and issuer', () => {
    temp.now = start;
    const { replay } = temp.db;
    expect(replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('acme', 'batch', 'j1', start + 60_000)).toBe(true);
    expect(replay.markUsed('globex', 'gateway', 'j1', start + 60_000)).toBe(true);
  });

  it('is shared by every connection to the database (replicas, restarts)', async () => {
    temp.now = start;
    expect(temp.db.replay.markUsed('acme', 'gateway', 'j1', start + 1000)).toBe(true);
    const other = await openDatabase(temp.path, { clock: () => start });
    expect(other.replay.markUsed('acme', 'gateway', 'j1', start + 1000)).toBe(false);
    await other.close();
  });

  it('prunes expired entries, by itself every minute', () => {
    temp.now = start;
    const { replay } = temp.db;
    const count = () => temp.raw.prepare('SELECT count(*) FROM used_jtis').pluck().get();
    replay.markUsed('acme', 'gateway', 'short', start + 1000);
    replay.markUsed('acme', 'gateway', 'long', start + 120_000);

    temp.now = start + 30_000;
    replay.markUsed('acme', 'gateway', 'other', start + 120_000);
    expect(count()).toBe(3);

    temp.now = start + 60_000;
    replay.markUsed('acme', 'gateway', 'another', start + 120_000);
    expect(temp.raw.prepare('SELECT jti FROM used_jtis ORDER BY jti').pluck().all()).toEqual([
      'another',
      'long',
      'other',
    ]);

    temp.now = start + 120_000;
    expect(replay.prune()).toBe(3);
    expect(count()).toBe(0);
  });
});
