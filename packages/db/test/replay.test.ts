import { describe, expect, it } from 'vitest';
import { useTempDatabase } from './temp-database';

describe('replay store', () => {
  const temp = useTempDatabase();
  // The time the database opens at (useTempDatabase), so its first prune is a minute away.
  const start = Date.UTC(2030, 0, 15, 12, 0, 0);

  it('accepts a jti once, until it expires', async () => {
    temp.now = start;
    const { replay } = temp.db;
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(false);
    temp.now = start + 59_999;
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
    temp.now = start + 60_000;
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(true);
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 120_000)).toBe(false);
  });

  it('scopes a jti to its tenant and issuer', async () => {
    temp.now = start;
    const { replay } = temp.db;
    expect(await replay.markUsed('acme', 'gateway', 'j1', start + 60_000)).toBe(true);
    expect(await replay.markUsed('acme', 'batch', 'j1', start + 60_000)).toBe(true);
    expect(await replay.markUsed('globex', 'gateway', 'j1', start + 60_000)).toBe(true);
  });

  it('is shared by every connection to the database (replicas, restarts)', async () => {
    temp.now = start;
    expect(await temp.db.replay.markUsed('acme', 'gateway', 'j1', start + 1000)).toBe(true);
    const other = await temp.open();
    expect(await other.replay.markUsed('acme', 'gateway', 'j1', start + 1000)).toBe(false);
    expect(await other.replay.markUsed('acme', 'gateway', 'j2', start + 1000)).toBe(true);
    expect(await temp.db.replay.markUsed('acme', 'gateway', 'j2', start + 1000)).toBe(false);
    await other.close();
  });

  it('lets exactly one of many concurrent uses of a jti through, across handles', async () => {
    temp.now = start;
    const other = await temp.open();
    const uses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : temp.db).replay.markUsed('acme', 'gateway', 'once', start + 60_000),
      ),
    );
    expect(uses.filter(Boolean)).toHaveLength(1);
    expect(await temp.rows('used_jtis')).toHaveLength(1);
  });

  it('prunes expired entries, by itself every minute', async () => {
    temp.now = start;
    const { replay } = temp.db;
    const jtis = async () => (await temp.rows('used_jtis')).map((r) => r.jti).sort();
    await replay.markUsed('acme', 'gateway', 'short', start + 1000);
    await replay.markUsed('acme', 'gateway', 'long', start + 120_000);

    temp.now = start + 30_000;
    await replay.markUsed('acme', 'gateway', 'other', start + 120_000);
    expect(await jtis()).toEqual(['long', 'other', 'short']);

    temp.now = start + 60_000;
    await replay.markUsed('acme', 'gateway', 'another', start + 120_000);
    expect(await jtis()).toEqual(['another', 'long', 'other']);

    temp.now = start + 120_000;
    expect(await replay.prune()).toBe(3);
    expect(await jtis()).toEqual([]);
  });
});
