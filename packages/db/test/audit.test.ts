import { statSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../src/errors';
import { databaseLocation } from '../src/location';
import { openDatabase } from '../src/open';
import type { AuditRecord } from '../src/repositories/audit-log';
import { testDialect, useTempDatabase } from './temp-database';

const granted: AuditRecord = {
  tenantId: 'acme',
  clientId: 'gateway',
  subjectIssuer: 'https://idp.example.com',
  subjectSub: 'alice',
  actorChain: [{ iss: 'https://sts.example.com/t/acme', sub: 'gateway' }, { sub: 'batch' }],
  requestedAudiences: ['https://orders.example.com'],
  requestedScope: 'orders:read admin',
  grantedAudiences: ['https://orders.example.com'],
  grantedScope: 'orders:read',
  decision: 'granted',
  ruleId: 'orders',
  jti: 'jti-1',
  trace: [
    { step: 'rule:orders', check: 'scope', outcome: 'pass', message: 'narrowed to orders:read' },
  ],
};

const denied: AuditRecord = {
  tenantId: 'acme',
  actorChain: [],
  requestedAudiences: [],
  grantedAudiences: [],
  decision: 'denied',
  errorCode: 'invalid_request',
  reason: 'subject_token.signature',
  errorDetail: 'subject_token: signature verification failed',
  trace: [],
};

describe('audit', () => {
  const temp = useTempDatabase();

  it('writes records that read back whole, newest first, per tenant', async () => {
    temp.now = Date.parse('2026-03-01T10:00:00.000Z');
    await temp.db.audit.write(granted);
    temp.now += 1000;
    await Promise.all([
      temp.db.audit.write(denied),
      temp.db.audit.write({ ...denied, tenantId: 'globex' }),
    ]);

    const page = await temp.db.audit.query('acme', {}, { limit: 10 });
    expect(page.items.map((e) => e.decision)).toEqual(['denied', 'granted']);
    const [newest, oldest] = await Promise.all(
      page.items.map((e) => temp.db.audit.get('acme', e.id)),
    );
    expect(newest).toEqual({
      ...denied,
      endpoint: 'token',
      id: expect.any(String),
      createdAt: new Date('2026-03-01T10:00:01.000Z'),
    });
    expect(oldest).toEqual({
      ...granted,
      endpoint: 'token',
      id: expect.any(String),
      createdAt: new Date('2026-03-01T10:00:00.000Z'),
    });
    expect((await temp.db.audit.query('globex', {}, { limit: 10 })).items).toHaveLength(1);
  });

  it('gives each record a ULID that sorts by time', async () => {
    temp.now = Date.parse('2026-03-01T10:00:00.000Z');
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 5; i++, temp.now += 1) writes.push(temp.db.audit.write(denied));
    await Promise.all(writes);

    const ids = (
      await temp.query<{ id: string }>('SELECT id FROM audit_events ORDER BY created_at')
    ).map((r) => r.id);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('stores readable rows: snake_case columns, JSON text', async () => {
    await temp.db.audit.write(granted);
    await temp.db.audit.write(denied);
    const rows = await temp.query(
      'SELECT decision, rule_id, actor_chain, granted_scope, error_code, reason FROM audit_events ORDER BY id',
    );
    expect(rows).toEqual([
      {
        decision: 'granted',
        rule_id: 'orders',
        actor_chain: '[{"iss":"https://sts.example.com/t/acme","sub":"gateway"},{"sub":"batch"}]',
        granted_scope: 'orders:read',
        error_code: null,
        reason: null,
      },
      {
        decision: 'denied',
        rule_id: null,
        actor_chain: '[]',
        granted_scope: null,
        error_code: 'invalid_request',
        reason: 'subject_token.signature',
      },
    ]);
  });

  it('commits every one of many concurrent writes, sharing commits (group commit)', async () => {
    const commits: number[] = [];
    const db = await temp.open({ onAuditCommit: (size) => commits.push(size) });
    const writes = Array.from({ length: 300 }, (_, i) =>
      db.audit.write({ ...denied, jti: `jti-${i}`, tenantId: i % 2 ? 'acme' : 'globex' }),
    );
    await Promise.all(writes);

    const rows = await temp.rows('audit_events');
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.jti)).size).toBe(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(300);
    // Written in the same turn of the event loop: far fewer commits than records.
    expect(commits.reduce((a, b) => a + b, 0)).toBe(300);
    expect(commits.length).toBeLessThan(300);
    expect(Math.max(...commits)).toBeGreaterThan(1);
    const page = await temp.db.audit.query('acme', {}, { limit: 200 });
    expect(page.items).toHaveLength(150);
  });

  it('deletes records older than a cutoff, oldest first, at most `limit` at a time', async () => {
    const t0 = Date.parse('2026-03-01T10:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      temp.now = t0 + i * 60_000;
      await temp.db.audit.write({ ...denied, jti: `j${i}`, tenantId: i % 2 ? 'acme' : 'globex' });
    }
    const left = async () => (await temp.rows('audit_events')).map((r) => r.jti).sort();
    // Older than the fourth record: j0, j1 and j2; two at a time.
    expect(await temp.db.audit.deleteOlderThan(t0 + 3 * 60_000, 2)).toBe(2);
    expect(await left()).toEqual(['j2', 'j3', 'j4']);
    expect(await temp.db.audit.deleteOlderThan(t0 + 3 * 60_000, 2)).toBe(1);
    expect(await temp.db.audit.deleteOlderThan(t0 + 3 * 60_000, 2)).toBe(0);
    expect(await left()).toEqual(['j3', 'j4']);
    // The cutoff itself is kept.
    expect(await temp.db.audit.deleteOlderThan(t0 + 4 * 60_000, 100)).toBe(1);
    expect(await left()).toEqual(['j4']);
  });

  it('rejects a write on a closed handle, storing nothing', async () => {
    const db = await temp.open();
    await db.close();
    // Not DatabaseUnavailableError (the driver's own error): the STS answers any failed audit
    // write with temporarily_unavailable, and no token.
    await expect(db.audit.write(granted)).rejects.toThrow();
    expect(await temp.rows('audit_events')).toEqual([]);
  });

  it('commits what was written before close', async () => {
    const db = await temp.open();
    const writes = [db.audit.write(granted), db.audit.write(denied)];
    await db.close();
    await Promise.all(writes);
    expect((await temp.rows('audit_events')).map((r) => r.decision)).toEqual(['granted', 'denied']);
  });
});

describe.skipIf(testDialect !== 'sqlite')(
  'audit on a SQLite file locked by another process',
  () => {
    const temp = useTempDatabase();

    it('rejects a write with DatabaseUnavailableError once the busy timeout passes', async () => {
      if (temp.location.dialect !== 'sqlite') throw new Error('SQLite only');
      const other = new BetterSqlite3(temp.location.path);
      try {
        // Another process holds the write lock past the busy timeout (5 s).
        other.exec('BEGIN IMMEDIATE');
        other.prepare('UPDATE "config_version" SET "version" = "version"').run();
        await expect(temp.db.audit.write(denied)).rejects.toThrow(DatabaseUnavailableError);
        other.exec('ROLLBACK');
        // Nothing was written; the next write works.
        expect(await temp.rows('audit_events')).toEqual([]);
        await temp.db.audit.write(granted);
        expect(await temp.rows('audit_events')).toHaveLength(1);
      } finally {
        other.close();
      }
    });

    it('keeps the WAL bounded with automatic checkpoints off: the writer thread checkpoints', async () => {
      if (temp.location.dialect !== 'sqlite') throw new Error('SQLite only');
      const message = 'x'.repeat(1500); // a trace about the size of a real exchange's
      const record = (i: number): AuditRecord => ({
        ...granted,
        jti: `jti-${i}`,
        trace: [{ step: 'subject_token', check: 'validated', outcome: 'pass', message }],
      });
      // ~6,000 records, ~12 MB of rows, in batches as concurrent requests make them.
      for (let batch = 0; batch < 60; batch++)
        await Promise.all(
          Array.from({ length: 100 }, (_, i) => temp.db.audit.write(record(batch * 100 + i))),
        );
      const wal = statSync(`${temp.location.path}-wal`).size;
      expect(wal).toBeLessThan(6 * 1024 * 1024);
      expect(await temp.rows('audit_events')).toHaveLength(6000);
    });
  },
);

/** A TCP proxy to the PostgreSQL server of `url`, whose `cut` makes the server unreachable. */
async function proxy(url: string): Promise<{ url: string; cut(): Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);
  return {
    url: proxied.toString(),
    cut: async () => {
      const closed = new Promise((done) => server.close(done));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe.skipIf(testDialect !== 'postgresql')('audit when PostgreSQL becomes unreachable', () => {
  const temp = useTempDatabase();

  it('rejects a write with DatabaseUnavailableError, and ping answers false', async () => {
    const link = await proxy(temp.url);
    const db = await openDatabase(databaseLocation({ databaseUrl: link.url }, temp.dir), {
      clock: () => temp.now,
    });
    try {
      await db.audit.write(granted);
      expect(await db.ping()).toBe(true);
      await link.cut();
      await expect(db.audit.write(denied)).rejects.toThrow(DatabaseUnavailableError);
      expect(await db.ping()).toBe(false);
    } finally {
      await db.close();
    }
    // Only the record written while the server answered is stored.
    expect((await temp.rows('audit_events')).map((r) => r.decision)).toEqual(['granted']);
  });
});
