import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
beforeAll(async () => {
  t = await routerTestDb();
});
afterAll(async () => {
  await t?.close();
});

const settings = (id: string) => ({
  id,
  displayName: `Tenant ${id}`,
  accessTokenTtlSeconds: 300,
  signingAlg: 'ES256' as const,
});

describe('tenant router (real database)', () => {
  it('refuses signed-out callers', async () => {
    await expect(t.as(null).tenant.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets an owner create, list, update and delete tenants, recording each action', async () => {
    const owner = await t.admin('owner');
    await t.as(owner).tenant.create(settings('alpha'));
    await expect(t.as(owner).tenant.create(settings('alpha'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await t.as(owner).tenant.list()).map((x) => x.id)).toContain('alpha');
    const got = await t.as(owner).tenant.get({ tenantId: 'alpha' });
    expect(got).toMatchObject({
      id: 'alpha',
      source: 'console',
      issuer: expect.stringMatching(/\/t\/alpha$/),
    });
    await t.as(owner).tenant.update({
      tenantId: 'alpha',
      displayName: 'Alpha',
      accessTokenTtlSeconds: 120,
      signingAlg: 'ES256',
    });
    expect((await t.as(owner).tenant.get({ tenantId: 'alpha' })).displayName).toBe('Alpha');
    await expect(
      t.as(owner).tenant.delete({ tenantId: 'alpha', confirmTenantId: 'wrong' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await t.as(owner).tenant.delete({ tenantId: 'alpha', confirmTenantId: 'alpha' });
    await expect(t.as(owner).tenant.get({ tenantId: 'alpha' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const actions = (await t.console.db.adminActions.list('alpha', { limit: 10 })).items.reverse();
    expect(actions.map((a) => a.action)).toEqual([
      'tenant.create',
      'tenant.update',
      'tenant.delete',
    ]);
    expect(actions.every((a) => a.actorEmail === owner.email)).toBe(true);
  });

  it('validates input with the STS configuration rules and saves nothing on bad input', async () => {
    const owner = await t.admin('owner');
    await expect(
      t.as(owner).tenant.create({ ...settings('Bad Id'), id: 'Bad Id' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await t.console.db.tenants.list(['Bad Id'])).toEqual([]);
  });

  it('scopes tenant admins and viewers to their tenants; viewers cannot write', async () => {
    const owner = await t.admin('owner');
    await t.as(owner).tenant.create(settings('mine'));
    await t.as(owner).tenant.create(settings('theirs'));
    const admin = await t.admin('tenant_admin', ['mine']);
    const viewer = await t.admin('viewer', ['mine']);

    expect((await t.as(admin).tenant.list()).map((x) => x.id)).toEqual(['mine']);
    await expect(t.as(admin).tenant.get({ tenantId: 'theirs' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      t.as(admin).tenant.update({
        tenantId: 'theirs',
        displayName: 'x',
        accessTokenTtlSeconds: 60,
        signingAlg: 'ES256',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.as(admin).tenant.update({
      tenantId: 'mine',
      displayName: 'Mine',
      accessTokenTtlSeconds: 60,
      signingAlg: 'ES256',
    });
    await expect(t.as(admin).tenant.create(settings('new'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    expect((await t.as(viewer).tenant.get({ tenantId: 'mine' })).displayName).toBe('Mine');
    await expect(
      t.as(viewer).tenant.update({
        tenantId: 'mine',
        displayName: 'Hacked',
        accessTokenTtlSeconds: 60,
        signingAlg: 'ES256',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      t.as(viewer).tenant.delete({ tenantId: 'mine', confirmTenantId: 'mine' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await t.as(owner).tenant.get({ tenantId: 'mine' })).displayName).toBe('Mine');
  });
});
