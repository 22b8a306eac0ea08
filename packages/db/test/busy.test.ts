import { describe, expect, it } from 'vitest';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

/**
 * The console and the STS write the same SQLite file. Prisma's transactions begin deferred, and
 * SQLite refuses a transaction that has read at once (SQLITE_BUSY, no waiting) when it wants to
 * write while another connection holds the write lock: an STS audit record or signing key at that
 * moment. Such a change is run again, not failed.
 */
describe('console changes while another process writes', () => {
  it.each([
    ['a moment', 150],
    ['longer than a second (an STS under load)', 2500],
  ])('wait for the write lock held %s instead of failing', async (_, holdMs) => {
    await addTenant(t.db, 'acme');
    // Another process (the STS) holds the write lock for a moment.
    t.raw.exec('BEGIN IMMEDIATE');
    t.raw.prepare('UPDATE "config_version" SET "version" = "version"').run();
    const released = new Promise<void>((done) =>
      setTimeout(() => {
        t.raw.exec('COMMIT');
        done();
      }, holdMs),
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
