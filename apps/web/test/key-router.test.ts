import { randomBytes } from 'node:crypto';
import { ROTATE_PENDING_KEY } from '@sts/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;
beforeAll(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
});
afterAll(async () => {
  await t?.close();
});

/** A tenant of its own for each test, so that each passes alone and in any order. */
async function newTenant(): Promise<string> {
  const id = `t-${randomBytes(4).toString('hex')}`;
  await t.as(owner).tenant.create({
    id,
    displayName: id,
    accessTokenTtlSeconds: 300,
    signingAlg: 'ES256',
  });
  return id;
}

const configVersion = async () => t.console.db.config.version();
/** Every key of the tenant, with its sealed private part: what the STS loads. */
const storedKeys = (tenantId: string) => t.console.db.signingKeys.listUsable(tenantId);
const actionsOf = async (tenantId: string, action: string) =>
  (await t.console.db.adminActions.list(tenantId, { limit: 100 })).items
    .filter((a) => a.action === action)
    .reverse();

describe('key router (real database)', () => {
  it('lists no key for a tenant the STS has not loaded yet', async () => {
    const tenantId = await newTenant();
    expect(await t.as(owner).key.list({ tenantId })).toEqual([]);
  });

  it('rotates: a pending key that signs after the pre-publication delay; recorded and announced', async () => {
    const tenantId = await newTenant();
    const v0 = await configVersion();
    // No key yet (the STS has not loaded the tenant): the first one is active at once.
    const first = await t.as(owner).key.rotate({ tenantId });
    expect(first.previousKid).toBeNull();
    expect(await configVersion()).toBeGreaterThan(v0);

    const v1 = await configVersion();
    const before = Date.now();
    const second = await t.as(owner).key.rotate({ tenantId });
    expect(second).toEqual({
      kid: expect.any(String),
      previousKid: first.kid,
      activatesAt: expect.any(Date),
    });
    expect(second.kid).not.toBe(first.kid);
    // STS_KEY_PREPUBLISH_SECONDS's default: 300 s.
    expect(second.activatesAt.getTime()).toBeGreaterThanOrEqual(before + 300_000);
    expect(second.activatesAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(await configVersion()).toBeGreaterThan(v1);

    const keys = await t.as(owner).key.list({ tenantId });
    expect(keys.map((k) => [k.kid, k.status, k.alg])).toEqual([
      [second.kid, 'pending', 'ES256'],
      [first.kid, 'active', 'ES256'],
    ]);
    expect(keys[0]).toMatchObject({
      publicJwk: { kty: 'EC', crv: 'P-256' },
      createdAt: expect.any(Date),
      activatesAt: second.activatesAt,
      activatedAt: null,
      retiredAt: null,
    });

    // One pending key at a time.
    await expect(t.as(owner).key.rotate({ tenantId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: ROTATE_PENDING_KEY,
    });

    const actions = await actionsOf(tenantId, 'key.rotate');
    expect(actions.map((a) => a.target)).toEqual([first.kid, second.kid]);
    expect(actions.every((a) => a.actorEmail === owner.email)).toBe(true);
    expect(actions[1]?.details).toEqual({
      alg: 'ES256',
      previousKid: first.kid,
      activatesAt: second.activatesAt.toISOString(),
    });
  });

  it('revokes a pending key: it never signs and leaves what the STS loads', async () => {
    const tenantId = await newTenant();
    const first = await t.as(owner).key.rotate({ tenantId });
    const pending = await t.as(owner).key.rotate({ tenantId });
    const revoked = await t.as(owner).key.revoke({ tenantId, kid: pending.kid });
    expect(revoked).toEqual({ kid: pending.kid, alg: 'ES256', previousStatus: 'pending' });
    expect((await storedKeys(tenantId)).map((k) => [k.kid, k.status])).toEqual([
      [first.kid, 'active'],
    ]);
    // A new rotation may start over.
    const again = await t.as(owner).key.rotate({ tenantId });
    expect(again.previousKid).toBe(first.kid);
  });

  it('never lists a private key, in clear or encrypted', async () => {
    const tenantId = await newTenant();
    await t.as(owner).key.rotate({ tenantId });
    const keys = await t.as(owner).key.list({ tenantId });
    const rows = await storedKeys(tenantId);
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
    await expect(t.as(owner).key.revoke({ tenantId: 'nowhere', kid: 'any' })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect(await storedKeys('nowhere')).toEqual([]);
  });

  it('scopes tenant admins to their tenants and keeps viewers read-only', async () => {
    const [mine, theirs] = [await newTenant(), await newTenant()];
    const { kid: theirKid } = await t.as(owner).key.rotate({ tenantId: theirs });
    await t.as(owner).key.rotate({ tenantId: theirs });
    const tenantAdmin = await t.admin('tenant_admin', [mine]);
    const viewer = await t.admin('viewer', [theirs]);
    const before = await storedKeys(theirs);

    await expect(t.as(tenantAdmin).key.list({ tenantId: theirs })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.as(tenantAdmin).key.rotate({ tenantId: theirs })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      t.as(tenantAdmin).key.revoke({ tenantId: theirs, kid: theirKid }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.as(viewer).key.list({ tenantId: theirs })).toHaveLength(before.length);
    await expect(t.as(viewer).key.rotate({ tenantId: theirs })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      t.as(viewer).key.revoke({ tenantId: theirs, kid: theirKid }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.as(null).key.list({ tenantId: theirs })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    expect(await storedKeys(theirs)).toEqual(before);
    // A tenant admin rotates the keys of its own tenant.
    await t.as(tenantAdmin).key.rotate({ tenantId: mine });
    expect(await actionsOf(mine, 'key.rotate')).toHaveLength(1);
    expect(await actionsOf(theirs, 'key.rotate')).toHaveLength(2);
    expect(await actionsOf(theirs, 'key.revoke')).toEqual([]);
  });

  it('revokes a retiring key: out of what the STS loads, recorded and announced', async () => {
    const tenantId = await newTenant();
    const first = await t.as(owner).key.rotate({ tenantId });
    const second = await t.as(owner).key.rotate({ tenantId });
    // The STS's lifecycle, once the second key's time has come: it signs, the first retires.
    await t.console.db.signingKeys.advanceLifecycle(tenantId, {
      now: second.activatesAt.getTime(),
      clockSkewSeconds: 30,
    });
    const v0 = await configVersion();

    const revoked = await t.as(owner).key.revoke({ tenantId, kid: first.kid });
    expect(revoked).toEqual({ kid: first.kid, alg: 'ES256', previousStatus: 'retiring' });
    expect(await configVersion()).toBeGreaterThan(v0);
    expect((await storedKeys(tenantId)).map((k) => k.kid)).toEqual([second.kid]);
    const keys = await t.as(owner).key.list({ tenantId });
    expect(keys.map((k) => [k.kid, k.status])).toEqual([
      [second.kid, 'active'],
      [first.kid, 'revoked'],
    ]);
    expect(keys[1]?.retiredAt).toBeInstanceOf(Date);
    const [action, ...more] = await actionsOf(tenantId, 'key.revoke');
    expect(more).toEqual([]);
    expect(action).toMatchObject({
      actorEmail: owner.email,
      target: first.kid,
      details: { alg: 'ES256', previousStatus: 'retiring' },
    });

    // Revoked stays revoked.
    await expect(t.as(owner).key.revoke({ tenantId, kid: first.kid })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This signing key is revoked already',
    });
  });

  it('refuses to revoke the active key (rotate first) and a key of another tenant', async () => {
    const [tenantId, other] = [await newTenant(), await newTenant()];
    const { kid } = await t.as(owner).key.rotate({ tenantId });
    const { kid: otherKid } = await t.as(owner).key.rotate({ tenantId: other });
    await t.as(owner).key.rotate({ tenantId: other });
    const v0 = await configVersion();

    await expect(t.as(owner).key.revoke({ tenantId, kid })).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'The active signing key cannot be revoked: rotate first (a new key signs), then revoke this one',
    });
    await expect(t.as(owner).key.revoke({ tenantId, kid: otherKid })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await storedKeys(tenantId)).map((k) => k.kid)).toEqual([kid]);
    expect(await storedKeys(other)).toHaveLength(2);
    expect(await actionsOf(tenantId, 'key.revoke')).toEqual([]);
    expect(await configVersion()).toBe(v0);
  });
});
