import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { addTenant, change } from './fixtures';
import { testDialect, useTempDatabase } from './temp-database';

const t = useTempDatabase();

/** Another process holds the write lock (a write transaction on config_version) until `release`. */
async function holdWriteLock(): Promise<{ release(): Promise<void> }> {
  const hold = 'UPDATE "config_version" SET "version" = "version"';
  if (t.location.dialect === 'sqlite') {
    const raw = new BetterSqlite3(t.location.path);
    raw.exec('BEGIN IMMEDIATE');
    raw.prepare(hold).run();
    return {
      async release() {
        raw.exec('COMMIT');
        raw.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  await client.query('BEGIN');
  expect((await client.query(hold)).rowCount).toBe(1);
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/**
 * The console and the STS write the same SQLite file. Prisma's transactions begin deferred, and
 * SQLite refuses a transaction that has read at once (SQLITE_BUSY, no waiting) when it wants to
 * write while another connection holds the write lock: an STS audit record or signing key at that
 * moment. Such a change is run again, not failed. On PostgreSQL the change waits for the lock.
 */
describe(`console changes while another process writes (${testDialect})`, () => {
  it.each([
    ['a moment', 150],
    ['longer than a second (an STS under load)', 2500],
  ])('wait for the write lock held %s instead of failing', async (_, holdMs) => {
    await addTenant(t.db, 'acme');
    // Another process (the STS) holds the write lock for a moment.
    const lock = await holdWriteLock();
    const released = new Promise<void>((done, fail) =>
      setTimeout(() => lock.release().then(done, fail), holdMs),
    );
    try {
      await t.db.clients.create(
        'acme',
        {
          clientId: 'gateway',
          allowTokenExchange: true,
          credentials: { authMethod: 'client_secret_basic', secretHash: 'hmac-sha256$one' },
        },
        change('client.create', { tenantId: 'acme', target: 'gateway' }),
      );
    } finally {
      await released;
    }
    expect((await t.db.clients.list('acme')).map((c) => c.clientId)).toEqual(['gateway']);
  });
});
