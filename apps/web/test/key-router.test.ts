import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;
beforeAll(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
  for (const id of ['acme', 'globex'])
    await t.as(owner).tenant.create({
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
});
afterAll(async () => {
  await t?.close();
});

const configVersion = async () => t.console.db.config.version();
/** Every key of the tenant, with its sealed private part: what the STS loads. */
const storedKeys = (tenantId: string) => t.console.db.signingKeys.listUsable(tenantId);
const rotations = async (tenantId: string) =>
  (await t.console.db.adminActions.list(tenantId, { limit: 100 })).items
    .filter((a) => a.action === 'key.rotate')
    .reverse();

describe('key router (real SQLite)', () => {
  it('lists no key for a tenant the STS has not loaded yet', async () => {
    expect(await t.as(owner).key.list({ tenantId: 'acme' })).toEqual([]);
  });

  it('rotates: a new active key, the previous one retiring; recorded and announced', async () => {
    const v0 = await configVersion();
    const first = await t.as(owner).key.rotate({ tenantId: 'acme' });
    expect(first.previousKid).toBeNull();
    expect(await configVersion()).toBeGreaterThan(v0);

    const v1 = await configVersion();
    const second = await t.as(owner).key.rotate({ tenantId: 'acme' });
    expect(second).toEqual({ kid: expect.any(String), previousKid: first.kid });
    expect(second.kid).not.toBe(first.kid);
    expect(await configVersion()).toBeGreaterThan(v1);

    const keys = await t.as(owner).key.list({ tenantId: 'acme' });
    expect(keys.map((k) => [k.kid, k.status, k.alg])).toEqual([
      [second.kid, 'active', 'ES256'],
      [first.kid, 'retiring', 'ES256'],
    ]);
    expect(keys[0]).toMatchObject({
      publicJwk: { kty: 'EC', crv: 'P-256' },
      createdAt: expect.any(Date),
      activatedAt: expect.any(Date),
      retiredAt: null,
    });

    const actions = await rotations('acme');
    expect(actions.map((a) => a.target)).toEqual([first.kid, second.kid]);
    expect(actions.every((a) => a.actorEmail === owner.email)).toBe(true);
    expect(actions[1]?.details).toEqual({
      alg: 'ES256',
      previousKid: first.kid,
    });
  });

  it('never lists a private key, in clear or encrypted', async () => {
    await t.as(owner).key.rotate({ tenantId: 'globex' });
    const keys = await t.as(owner).key.list({ tenantId: 'globex' });
    const rows = storedKeys('globex');
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      expect(key).not.toHaveProperty('encryptedPrivateKey');
      expect(key).not.toHaveProperty('privateJwk');
      expect(key.publicJwk).not.toHaveProperty('d');
    }
    const text = JSON.stringify(keys);
    expect(rows).toHaveLength(1);
    for (const row of rows) expect(text).not.toContain(row.sealedPrivateKey);
    expect(text).not.toContain('"d"');
  });

  it('answers NOT_FOUND for an unknown tenant', async () => {
    await expect(t.as(owner).key.rotate({ tenantId: 'nowhere' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(storedKeys('nowhere')).toEqual([]);
  });

  it('scopes tenant admins to their tenants and keeps viewers read-only', async () => {
    const acmeAdmin = await t.admin('tenant_admin', ['acme']);
    const viewer = await t.admin('viewer', ['globex']);
    const before = storedKeys('globex').length;

    await expect(t.as(acmeAdmin).key.list({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.as(acmeAdmin).key.rotate({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await t.as(viewer).key.list({ tenantId: 'globex' })).toHaveLength(before);
    await expect(t.as(viewer).key.rotate({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(t.as(null).key.list({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    expect(storedKeys('globex')).toHaveLength(before);
    // A tenant admin rotates the keys of its own tenant.
    await t.as(acmeAdmin).key.rotate({ tenantId: 'acme' });
    expect(await rotations('globex')).toHaveLength(1);
  });
});
