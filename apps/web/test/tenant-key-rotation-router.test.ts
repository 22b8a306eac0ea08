/**
 * The tenant's scheduled key rotation period (keyRotationDays) through the console's tRPC
 * router on a real database: set, validated, cleared, and the keys page's schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

const DAY_MS = 86_400_000;
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
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

describe('tenant key rotation period (real database)', () => {
  it('is off by default, set in the settings, shown with the next rotation date, and cleared', async () => {
    const owner = await t.admin('owner');
    const tenantId = unique('rot');
    await t.as(owner).tenant.create(settings(tenantId));
    expect((await t.as(owner).tenant.get({ tenantId })).keyRotationDays).toBeNull();
    // The first key is active at once.
    await t.as(owner).key.rotate({ tenantId });
    expect(await t.as(owner).key.schedule({ tenantId })).toEqual({
      rotationDays: null,
      nextRotationAt: null,
    });

    const { id: _, ...rest } = settings(tenantId);
    await t.as(owner).tenant.update({ tenantId, ...rest, keyRotationDays: 30 });
    expect((await t.as(owner).tenant.get({ tenantId })).keyRotationDays).toBe(30);
    const [active] = await t.console.db.signingKeys.list(tenantId);
    const schedule = await t.as(owner).key.schedule({ tenantId });
    expect(schedule.rotationDays).toBe(30);
    expect(schedule.nextRotationAt?.getTime()).toBe(
      (active?.activatedAt?.getTime() ?? Number.NaN) + 30 * DAY_MS,
    );
    const [action] = (await t.console.db.adminActions.list(tenantId, { limit: 1 })).items;
    expect(action).toMatchObject({ action: 'tenant.update', details: { keyRotationDays: 30 } });

    // Omitted: off again.
    await t.as(owner).tenant.update({ tenantId, ...rest });
    expect((await t.as(owner).tenant.get({ tenantId })).keyRotationDays).toBeNull();
  });

  it('refuses a period outside 1 to 3650 days, and viewers', async () => {
    const owner = await t.admin('owner');
    const tenantId = unique('bad');
    await t.as(owner).tenant.create(settings(tenantId));
    const { id: _, ...rest } = settings(tenantId);
    for (const keyRotationDays of [0, 3651, 1.5])
      await expect(
        t.as(owner).tenant.update({ tenantId, ...rest, keyRotationDays }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const viewer = await t.admin('viewer', [tenantId]);
    await expect(
      t.as(viewer).tenant.update({ tenantId, ...rest, keyRotationDays: 7 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.as(viewer).key.schedule({ tenantId })).rotationDays).toBeNull();
  });
});
