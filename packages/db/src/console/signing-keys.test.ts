import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../crypto/derive';
import { rotateKey } from '../repositories/signing-keys';
import { useTempDatabase } from '../test/temp-database';
import { createAdminUser } from './admin-users';
import { listSigningKeys, rotateSigningKey } from './signing-keys';

const t = useTempDatabase();
const kek = deriveKeys(createSecretKey(randomBytes(32))).keyEncryptionKey;

async function addTenant(id: string) {
  await t.db.prisma.tenant.create({
    data: {
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'EdDSA',
      source: 'console',
    },
  });
}

describe('console signing keys', () => {
  it('lists every status, active first, then next, retiring, retired; public parts only', async () => {
    await addTenant('acme');
    const kids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const keys = await rotateKey(t.db, kek, 'acme');
      kids.push(keys[0]?.kid ?? '');
    }
    // kids[3] is active, the others retiring; make one retired and one next, as the STS may.
    await t.db.prisma.signingKey.update({
      where: { id: kids[0] },
      data: { status: 'retired', retiredAt: new Date() },
    });
    await t.db.prisma.signingKey.update({ where: { id: kids[2] }, data: { status: 'next' } });

    const listed = await listSigningKeys(t.db.prisma, 'acme');
    expect(listed.map((k) => [k.kid, k.status])).toEqual([
      [kids[3], 'active'],
      [kids[2], 'next'],
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
    expect(listed[3]?.retiredAt).toBeInstanceOf(Date);
    expect(await listSigningKeys(t.db.prisma, 'other')).toEqual([]);
  });

  it('rotates and records key.rotate with the new kid (null for an unknown tenant)', async () => {
    await addTenant('globex');
    const admin = await createAdminUser(t.db.prisma, { email: 'o@example.test', role: 'owner' });
    const first = await rotateSigningKey(t.db, admin, kek, 'globex');
    const second = await rotateSigningKey(t.db, admin, kek, 'globex');
    expect(second?.previousKid).toBe(first?.kid);
    const actions = await t.db.prisma.adminAction.findMany({ orderBy: { id: 'asc' } });
    expect(actions.map((a) => [a.action, a.target])).toEqual([
      ['key.rotate', first?.kid],
      ['key.rotate', second?.kid],
    ]);
    expect(await rotateSigningKey(t.db, admin, kek, 'nowhere')).toBeNull();
  });
});
