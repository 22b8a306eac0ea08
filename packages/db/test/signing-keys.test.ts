import { openPrivateJwk } from '@sts/crypto';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors';
import { addTenant, change, kek, makeKey } from './fixtures';
import { useTempDatabase } from './temp-database';

describe('signing keys', () => {
  const temp = useTempDatabase();

  it('ensureActive makes one active key, once, and stores what it is given (sealed)', async () => {
    await addTenant(temp.db, 'acme');
    const version = temp.db.config.version();
    expect(temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'))).toBe(true);
    const [key, ...more] = temp.db.signingKeys.listUsable('acme');
    if (!key) throw new Error('no key');
    expect(more).toEqual([]);
    expect(key).toMatchObject({ alg: 'ES256', status: 'active', publicJwk: { kid: key.kid } });
    expect(key.publicJwk).not.toHaveProperty('d');
    const privateJwk = openPrivateJwk(kek, 'signing_keys', 'acme', key.kid, key.sealedPrivateKey);
    const row = temp.raw
      .prepare('SELECT encrypted_private_key FROM signing_keys WHERE id = ?')
      .pluck()
      .get(key.kid) as string;
    expect(row).toBe(key.sealedPrivateKey);
    expect(row).not.toContain(String(privateJwk.d));
    expect(temp.db.config.version()).toBe(version + 1);

    expect(temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'))).toBe(false);
    expect(temp.db.signingKeys.listUsable('acme')).toEqual([key]);
    expect(temp.db.config.version()).toBe(version + 1);
  });

  it('ensureActive for a new alg starts retiring the active key of the old one', async () => {
    await addTenant(temp.db, 'acme');
    temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    const [old] = temp.db.signingKeys.listUsable('acme');
    temp.now += 1000;
    temp.db.signingKeys.ensureActive('acme', 'EdDSA', makeKey('acme'));
    const keys = temp.db.signingKeys.listUsable('acme');
    expect(keys.map((k) => [k.alg, k.status])).toEqual([
      ['EdDSA', 'active'],
      ['ES256', 'retiring'],
    ]);
    expect(keys[1]?.kid).toBe(old?.kid);
  });

  it('rotate makes a new active key of the tenant’s alg; the old ones keep verifying', async () => {
    await addTenant(temp.db, 'acme', 'ES384');
    temp.db.signingKeys.ensureActive('acme', 'ES384', makeKey('acme'));
    const [first] = temp.db.signingKeys.listUsable('acme');
    temp.now += 1000;
    const second = temp.db.signingKeys.rotate('acme', makeKey('acme'));
    temp.now += 1000;
    const third = temp.db.signingKeys.rotate('acme', makeKey('acme'));
    expect(second.previousKid).toBe(first?.kid);
    expect(third).toMatchObject({ alg: 'ES384', previousKid: second.kid });

    const keys = temp.db.signingKeys.listUsable('acme');
    expect(keys.map((k) => [k.kid, k.status])).toEqual([
      [third.kid, 'active'],
      [second.kid, 'retiring'],
      [first?.kid, 'retiring'],
    ]);
  });

  it('records a rotation by an admin in the same transaction', async () => {
    await addTenant(temp.db, 'acme');
    const version = temp.db.config.version();
    const rotated = temp.db.signingKeys.rotate('acme', makeKey('acme'), ({ kid, alg }) =>
      change('key.rotate', { tenantId: 'acme', target: kid, details: { alg } }),
    );
    const { items } = await temp.db.adminActions.list('acme', { limit: 10 });
    expect(items[0]).toMatchObject({
      action: 'key.rotate',
      actorEmail: 'owner@example.test',
      target: rotated.kid,
      details: { alg: 'ES256' },
    });
    expect(temp.db.config.version()).toBe(version + 1);
    expect(rotated.previousKid).toBeNull();

    // A key maker that fails leaves nothing behind: no key, no record.
    expect(() =>
      temp.db.signingKeys.rotate(
        'acme',
        () => {
          throw new Error('no entropy');
        },
        () => change('key.rotate', { tenantId: 'acme' }),
      ),
    ).toThrow('no entropy');
    expect((await temp.db.adminActions.list('acme', { limit: 10 })).items).toHaveLength(2);
    expect(temp.db.signingKeys.listUsable('acme')).toHaveLength(1);
  });

  it('lists every status for the console, active first, then retiring, then retired', async () => {
    await addTenant(temp.db, 'acme', 'EdDSA');
    const kids: string[] = [];
    for (let i = 0; i < 3; i++) {
      temp.now += 1000;
      kids.push(temp.db.signingKeys.rotate('acme', makeKey('acme')).kid);
    }
    temp.raw
      .prepare(`UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE id = ?`)
      .run('2030-01-16T00:00:00.000+00:00', kids[0]);

    const listed = await temp.db.signingKeys.list('acme');
    expect(listed.map((k) => [k.kid, k.status])).toEqual([
      [kids[2], 'active'],
      [kids[1], 'retiring'],
      [kids[0], 'retired'],
    ]);
    for (const key of listed) {
      expect(Object.keys(key).sort()).toEqual(
        ['activatedAt', 'alg', 'createdAt', 'kid', 'publicJwk', 'retiredAt', 'status'].sort(),
      );
      expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(key.publicJwk).not.toHaveProperty('d');
    }
    expect(listed[2]?.retiredAt).toBeInstanceOf(Date);
    expect(await temp.db.signingKeys.list('other')).toEqual([]);
  });

  it('keeps tenants apart, and refuses unknown tenants', async () => {
    await addTenant(temp.db, 'acme');
    await addTenant(temp.db, 'globex');
    temp.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    temp.db.signingKeys.rotate('globex', makeKey('globex'));
    expect(temp.db.signingKeys.listUsable('acme')).toHaveLength(1);
    expect(temp.db.signingKeys.listUsable('globex')).toHaveLength(1);
    expect(() => temp.db.signingKeys.ensureActive('nobody', 'ES256', makeKey('nobody'))).toThrow(
      NotFoundError,
    );
    expect(() => temp.db.signingKeys.rotate('nobody', makeKey('nobody'))).toThrow(
      'tenant "nobody" does not exist',
    );
  });
});
