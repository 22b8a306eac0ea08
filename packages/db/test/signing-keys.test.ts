import { openPrivateJwk } from '@sts/crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import type { Database } from '../src/open';
import {
  REVOKE_ACTIVE_KEY,
  REVOKE_REVOKED_KEY,
  ROTATE_PENDING_KEY,
} from '../src/repositories/signing-keys';
import { addTenant, change, kek, makeKey } from './fixtures';
import { storedTimestamp, testDialect, useTempDatabase } from './temp-database';

describe('signing keys', () => {
  const temp = useTempDatabase();

  it('ensureActive makes one active key, once, and stores what it is given (sealed)', async () => {
    await addTenant(temp.db, 'acme');
    const version = await temp.db.config.version();
    expect(await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'))).toBe(true);
    const [key, ...more] = await temp.db.signingKeys.listUsable('acme');
    if (!key) throw new Error('no key');
    expect(more).toEqual([]);
    expect(key).toMatchObject({ alg: 'ES256', status: 'active', publicJwk: { kid: key.kid } });
    expect(key.publicJwk).not.toHaveProperty('d');
    const privateJwk = openPrivateJwk(kek, 'signing_keys', 'acme', key.kid, key.sealedPrivateKey);
    const row = await temp.value<string>(
      'SELECT encrypted_private_key FROM signing_keys WHERE id = ?',
      [key.kid],
    );
    expect(row).toBe(key.sealedPrivateKey);
    expect(row).not.toContain(String(privateJwk.d));
    expect(await temp.db.config.version()).toBe(version + 1);

    expect(await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'))).toBe(false);
    expect(await temp.db.signingKeys.listUsable('acme')).toEqual([key]);
    expect(await temp.db.config.version()).toBe(version + 1);
  });

  it('ensureActive for a new alg starts retiring the active key of the old one', async () => {
    await addTenant(temp.db, 'acme');
    await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    const [old] = await temp.db.signingKeys.listUsable('acme');
    temp.now += 1000;
    await temp.db.signingKeys.ensureActive('acme', 'EdDSA', makeKey('acme'));
    const keys = await temp.db.signingKeys.listUsable('acme');
    expect(keys.map((k) => [k.alg, k.status])).toEqual([
      ['EdDSA', 'active'],
      ['ES256', 'retiring'],
    ]);
    expect(keys[1]?.kid).toBe(old?.kid);
  });

  it('rotate adds a pending key of the tenant’s alg; the lifecycle activates it, then retires the old one', async () => {
    await addTenant(temp.db, 'acme', 'ES384');
    await temp.db.signingKeys.ensureActive('acme', 'ES384', makeKey('acme'));
    const [first] = await temp.db.signingKeys.listUsable('acme');
    temp.now += 1000;
    const activatesAt = temp.now + 60_000;
    const second = await temp.db.signingKeys.rotate('acme', makeKey('acme'), {
      prepublishMs: 60_000,
    });
    expect(second).toMatchObject({ alg: 'ES384', previousKid: first?.kid });
    expect(second.activatesAt.getTime()).toBe(activatesAt);
    await expect(
      temp.db.signingKeys.rotate('acme', makeKey('acme'), { prepublishMs: 60_000 }),
    ).rejects.toThrow(ROTATE_PENDING_KEY);

    const advance = () =>
      temp.db.signingKeys.advanceLifecycle('acme', { now: temp.now, clockSkewSeconds: 30 });
    const statuses = async () =>
      (await temp.db.signingKeys.listUsable('acme')).map((k) => [k.kid, k.status]);
    expect(await advance()).toEqual([]);
    expect(await statuses()).toEqual([
      [first?.kid, 'active'],
      [second.kid, 'pending'],
    ]);

    temp.now = activatesAt;
    const version = await temp.db.config.version();
    // The tenant's tokens live 300 s (addTenant), plus 30 s of skew.
    const retireAfter = activatesAt + 330_000;
    expect(await advance()).toEqual([
      { type: 'activate', kid: second.kid, previousKids: [first?.kid], retireAfter },
    ]);
    expect(await temp.db.config.version()).toBe(version + 1);
    expect(await advance()).toEqual([]);
    expect(await statuses()).toEqual([
      [second.kid, 'active'],
      [first?.kid, 'retiring'],
    ]);
    const listed = await temp.db.signingKeys.list('acme');
    expect(listed.find((k) => k.kid === first?.kid)).toMatchObject({
      stoppedSigningAt: new Date(activatesAt),
      retireAfter: new Date(retireAfter),
    });
    expect(listed.find((k) => k.kid === second.kid)?.activatedAt).toEqual(new Date(activatesAt));

    temp.now = retireAfter - 1;
    expect(await advance()).toEqual([]);
    temp.now = retireAfter;
    expect(await advance()).toEqual([{ type: 'retire', kid: first?.kid }]);
    expect(await statuses()).toEqual([[second.kid, 'active']]);
    const { items } = await temp.db.adminActions.list('acme', { limit: 10 });
    expect(items.slice(0, 3).map((a) => [a.action, a.target, a.actorEmail])).toEqual([
      ['key.retire', first?.kid, 'system'],
      ['key.activate', second.kid, 'system'],
      ['tenant.create', null, 'owner@example.test'],
    ]);
  });

  it('two lifecycle runs over the same database apply each transition once', async () => {
    await addTenant(temp.db, 'acme');
    await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    const rotated = await temp.db.signingKeys.rotate('acme', makeKey('acme'), {
      prepublishMs: 1000,
    });
    temp.now += 1000;
    // A second process on the same file, as another STS replica.
    const other = await temp.open();
    try {
      const advance = (db: Database) =>
        db.signingKeys.advanceLifecycle('acme', { now: temp.now, clockSkewSeconds: 0 });
      // PostgreSQL: concurrently, as replicas do. SQLite: one after the other, as two handles in
      // one process would block each other's event loop (replicas are processes of their own).
      const runs =
        testDialect === 'postgresql'
          ? await Promise.all([advance(temp.db), advance(other)])
          : [await advance(temp.db), await advance(other)];
      expect(runs.flat().map((t) => t.type)).toEqual(['activate']);
      const active = (await temp.db.signingKeys.listUsable('acme')).filter(
        (k) => k.status === 'active',
      );
      expect(active.map((k) => k.kid)).toEqual([rotated.kid]);
      const { items } = await temp.db.adminActions.list('acme', { limit: 10 });
      expect(items.filter((a) => a.action === 'key.activate')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('a retiring key without a retirement date gets one from the time it stopped signing', async () => {
    await addTenant(temp.db, 'acme');
    await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    const [old] = await temp.db.signingKeys.listUsable('acme');
    const stopped = temp.now;
    // A change of signingAlg replaces the active key at once.
    await temp.db.signingKeys.ensureActive('acme', 'EdDSA', makeKey('acme'));
    temp.now += 10_000;
    expect(
      await temp.db.signingKeys.advanceLifecycle('acme', { now: temp.now, clockSkewSeconds: 30 }),
    ).toEqual([
      {
        type: 'schedule_retirement',
        kid: old?.kid,
        stoppedSigningAt: stopped,
        retireAfter: stopped + 330_000,
      },
    ]);
  });

  it('records a rotation by an admin in the same transaction', async () => {
    await addTenant(temp.db, 'acme');
    const version = await temp.db.config.version();
    const rotated = await temp.db.signingKeys.rotate(
      'acme',
      makeKey('acme'),
      { prepublishMs: 0 },
      ({ kid, alg }) => change('key.rotate', { tenantId: 'acme', target: kid, details: { alg } }),
    );
    const { items } = await temp.db.adminActions.list('acme', { limit: 10 });
    expect(items[0]).toMatchObject({
      action: 'key.rotate',
      actorEmail: 'owner@example.test',
      target: rotated.kid,
      details: { alg: 'ES256' },
    });
    expect(await temp.db.config.version()).toBe(version + 1);
    expect(rotated.previousKid).toBeNull();

    // A key maker that fails leaves nothing behind: no key, no record.
    await expect(
      temp.db.signingKeys.rotate(
        'acme',
        () => {
          throw new Error('no entropy');
        },
        { prepublishMs: 0 },
        () => change('key.rotate', { tenantId: 'acme' }),
      ),
    ).rejects.toThrow('no entropy');
    expect((await temp.db.adminActions.list('acme', { limit: 10 })).items).toHaveLength(2);
    expect(await temp.db.signingKeys.listUsable('acme')).toHaveLength(1);
  });

  it('lists every status for the console, pending first, then active, retiring, retired', async () => {
    await addTenant(temp.db, 'acme', 'EdDSA');
    const kids: string[] = [];
    for (let i = 0; i < 4; i++) {
      temp.now += 1000;
      kids.push(
        (await temp.db.signingKeys.rotate('acme', makeKey('acme'), { prepublishMs: 0 })).kid,
      );
      await temp.db.signingKeys.advanceLifecycle('acme', { now: temp.now, clockSkewSeconds: 0 });
    }
    kids.push(
      (await temp.db.signingKeys.rotate('acme', makeKey('acme'), { prepublishMs: 60_000 })).kid,
    );
    await temp.query(`UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE id = ?`, [
      storedTimestamp(Date.parse('2030-01-16T00:00:00.000Z')),
      kids[0],
    ]);

    const listed = await temp.db.signingKeys.list('acme');
    expect(listed.map((k) => [k.kid, k.status])).toEqual([
      [kids[4], 'pending'],
      [kids[3], 'active'],
      [kids[2], 'retiring'],
      [kids[1], 'retiring'],
      [kids[0], 'retired'],
    ]);
    for (const key of listed) {
      expect(Object.keys(key).sort()).toEqual(
        [
          'activatedAt',
          'activatesAt',
          'alg',
          'createdAt',
          'kid',
          'publicJwk',
          'retireAfter',
          'retiredAt',
          'status',
          'stoppedSigningAt',
        ].sort(),
      );
      expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(key.publicJwk).not.toHaveProperty('d');
    }
    expect(listed[4]?.retiredAt).toEqual(new Date('2030-01-16T00:00:00.000Z'));
    expect(await temp.db.signingKeys.list('other')).toEqual([]);
  });

  it('keeps tenants apart, and refuses unknown tenants', async () => {
    await addTenant(temp.db, 'acme');
    await addTenant(temp.db, 'globex');
    await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    await temp.db.signingKeys.rotate('globex', makeKey('globex'), { prepublishMs: 0 });
    expect(await temp.db.signingKeys.listUsable('acme')).toHaveLength(1);
    expect(await temp.db.signingKeys.listUsable('globex')).toHaveLength(1);
    await expect(
      temp.db.signingKeys.ensureActive('nobody', 'ES256', makeKey('nobody')),
    ).rejects.toThrow(NotFoundError);
    // The STS's lifecycle may run for a tenant the console just deleted: nothing to do.
    expect(
      await temp.db.signingKeys.advanceLifecycle('nobody', { now: temp.now, clockSkewSeconds: 30 }),
    ).toEqual([]);
    await expect(
      temp.db.signingKeys.rotate('nobody', makeKey('nobody'), { prepublishMs: 0 }),
    ).rejects.toThrow('tenant "nobody" does not exist');
  });

  it('revokes a pending or retiring key at once, recorded; never the active one, nor twice', async () => {
    await addTenant(temp.db, 'acme');
    await temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    const [active] = await temp.db.signingKeys.listUsable('acme');
    const pending = await temp.db.signingKeys.rotate('acme', makeKey('acme'), {
      prepublishMs: 60_000,
    });
    const version = await temp.db.config.version();
    temp.now += 1000;

    const revoked = await temp.db.signingKeys.revoke('acme', pending.kid, ({ kid }) =>
      change('key.revoke', { tenantId: 'acme', target: kid }),
    );
    expect(revoked).toEqual({ kid: pending.kid, alg: 'ES256', previousStatus: 'pending' });
    expect(await temp.db.config.version()).toBe(version + 1);
    expect((await temp.db.signingKeys.listUsable('acme')).map((k) => k.kid)).toEqual([active?.kid]);
    const listed = await temp.db.signingKeys.list('acme');
    expect(listed.find((k) => k.kid === pending.kid)).toMatchObject({
      status: 'revoked',
      retiredAt: new Date(temp.now),
    });
    const { items } = await temp.db.adminActions.list('acme', { limit: 1 });
    expect(items[0]).toMatchObject({ action: 'key.revoke', target: pending.kid });

    const byOwner = () => change('key.revoke', { tenantId: 'acme' });
    await expect(temp.db.signingKeys.revoke('acme', pending.kid, byOwner)).rejects.toThrow(
      REVOKE_REVOKED_KEY,
    );
    const refused = temp.db.signingKeys.revoke('acme', active?.kid ?? '', byOwner);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(REVOKE_ACTIVE_KEY);
    await expect(temp.db.signingKeys.revoke('acme', 'no-such-kid', byOwner)).rejects.toThrow(
      NotFoundError,
    );
    await addTenant(temp.db, 'globex');
    await expect(temp.db.signingKeys.revoke('globex', pending.kid, byOwner)).rejects.toThrow(
      NotFoundError,
    );
    // Refusals change nothing.
    expect(await temp.db.config.version()).toBe(version + 2);
    expect((await temp.db.adminActions.list('acme', { limit: 10 })).items[0]).toMatchObject({
      action: 'key.revoke',
      target: pending.kid,
    });
  });
});
