import { ADMIN_ROLES, createTenant, INVALID_INVITATION, MIN_PASSWORD_LENGTH } from '@sts/console';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES as FORM_ADMIN_ROLES } from '~/server/trpc/routers/admin/admin.schema';
import {
  MIN_PASSWORD_LENGTH as FORM_MIN_PASSWORD_LENGTH,
  INVITATION_UNUSABLE,
} from '~/server/trpc/routers/invitation/invitation.schema';
import { CONSOLE_URL, type RouterTestDb, routerTestDb } from './helpers/context';

const DAY = 24 * 60 * 60 * 1000;
let clock = Date.UTC(2030, 0, 15, 12, 0, 0);

let t: RouterTestDb;
beforeAll(async () => {
  t = await routerTestDb({ clock: () => clock });
});
afterAll(async () => {
  await t?.close();
});

/** A new tenant per test (tests share the database). */
let n = 0;
async function tenant() {
  const id = `acme-${++n}`;
  await createTenant(t.console, await t.admin('owner'), {
    id,
    displayName: id,
    accessTokenTtlSeconds: 300,
    signingAlg: 'ES256',
  });
  return id;
}

const uniqueEmail = (name: string) => `${name}-${++n}@example.test`;
const tokenOf = (link: string) => link.slice(`${CONSOLE_URL}/invite/`.length);

describe('admin router (real database)', () => {
  it('is for owners only: FORBIDDEN for tenant admins and viewers, UNAUTHORIZED signed out', async () => {
    const acme = await tenant();
    const owner = await t.admin('owner');
    const target = await t.admin('viewer', [acme]);
    const calls = {
      list: (api: ReturnType<RouterTestDb['as']>) => api.admin.list(),
      actions: (api: ReturnType<RouterTestDb['as']>) => api.admin.actions({}),
      invite: (api: ReturnType<RouterTestDb['as']>) =>
        api.admin.invite({
          email: uniqueEmail('x'),
          role: 'owner',
          tenantIds: [],
          delivery: 'link',
        }),
      renewInvitation: (api: ReturnType<RouterTestDb['as']>) =>
        api.admin.renewInvitation({ adminId: target.id }),
      update: (api: ReturnType<RouterTestDb['as']>) =>
        api.admin.update({ adminId: target.id, role: 'owner', tenantIds: [] }),
      setEnabled: (api: ReturnType<RouterTestDb['as']>) =>
        api.admin.setEnabled({ adminId: target.id, enabled: false }),
      remove: (api: ReturnType<RouterTestDb['as']>) => api.admin.remove({ adminId: target.id }),
      signOutEverywhere: (api: ReturnType<RouterTestDb['as']>) =>
        api.admin.signOutEverywhere({ adminId: target.id }),
    };
    const tenantAdmin = await t.admin('tenant_admin', [acme]);
    const viewer = await t.admin('viewer', [acme]);
    for (const [name, call] of Object.entries(calls)) {
      await expect(call(t.as(null)), name).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(call(t.as(tenantAdmin)), name).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(call(t.as(viewer)), name).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    // Nothing changed.
    const listed = await t.as(owner).admin.list();
    expect(listed.find((a) => a.id === target.id)).toMatchObject({
      role: 'viewer',
      status: 'active',
    });
  });

  it("signs out everywhere: any admin their own sessions, an owner another admin's", async () => {
    const acme = await tenant();
    const owner = await t.admin('owner');
    const viewer = await t.admin('viewer', [acme]);
    const signedIn = new Date(clock);
    clock += 1000;
    await expect(t.as(null).account.signOutEverywhere()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await t.as(viewer).account.signOutEverywhere();
    // The request context (createContext) reads the session's admin with its sign-in time.
    expect(await t.console.db.admins.findSession(viewer.id, signedIn)).toBeNull();
    expect(await t.console.db.admins.findSession(owner.id, signedIn)).not.toBeNull();
    clock += 1000;
    const again = new Date(clock);
    clock += 1000;
    await t.as(owner).admin.signOutEverywhere({ adminId: viewer.id });
    expect(await t.console.db.admins.findSession(viewer.id, again)).toBeNull();
    expect(await t.console.db.admins.findSession(viewer.id, new Date(clock + 1))).not.toBeNull();
    await expect(
      t.as(owner).admin.signOutEverywhere({ adminId: 'no-such-admin' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const actions = (await t.as(owner).admin.actions({})).items.filter(
      (a) => a.target === viewer.email,
    );
    expect(actions.map((a) => [a.action, a.actorEmail])).toEqual([
      ['admin.sign_out_everywhere', owner.email],
      ['admin.sign_out_everywhere', viewer.email],
    ]);
  });

  it('lets an owner invite with a link, which the invitee uses once, signed out', async () => {
    const acme = await tenant();
    const owner = await t.admin('owner');
    const email = uniqueEmail('vera');
    const invited = await t.as(owner).admin.invite({
      email,
      role: 'viewer',
      tenantIds: [acme],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error('expected a link');
    expect(invited.link).toMatch(new RegExp(`^${CONSOLE_URL}/invite/[\\w-]{43}$`));
    expect(invited.expiresAt).toEqual(new Date(clock + 7 * DAY));
    const listed = (await t.as(owner).admin.list()).find((a) => a.email === email);
    expect(listed).toMatchObject({ role: 'viewer', tenantIds: [acme], status: 'invited' });
    expect(JSON.stringify(await t.as(owner).admin.list())).not.toMatch(/scrypt|sha256/);

    const token = tokenOf(invited.link);
    const guest = t.as(null).invitation;
    expect(await guest.check({ token })).toEqual({ email });
    await expect(
      guest.accept({ token, password: 'long enough pw', confirmPassword: 'long enough pX' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      guest.accept({ token, password: 'short', confirmPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await guest.accept({ token, password: 'long enough pw', confirmPassword: 'long enough pw' }),
    ).toEqual({ email });
    expect(await guest.check({ token })).toBeNull();
    await expect(
      guest.accept({ token, password: 'another password', confirmPassword: 'another password' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: INVALID_INVITATION });
    expect((await t.as(owner).admin.list()).find((a) => a.email === email)?.status).toBe('active');

    const actions = (await t.as(owner).admin.actions({})).items.filter((a) => a.target === email);
    expect(actions.map((a) => [a.action, a.actorEmail])).toEqual([
      ['admin.accept_invitation', email],
      ['admin.invite', owner.email],
    ]);
    expect(JSON.stringify(actions)).not.toContain(token);
    expect(JSON.stringify(actions)).not.toContain('long enough pw');
  });

  it('answers an expired, replaced or unknown link alike, signed in or not', async () => {
    const owner = await t.admin('owner');
    const invited = await t.as(owner).admin.invite({
      email: uniqueEmail('late'),
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error();
    const renewed = await t.as(owner).admin.renewInvitation({ adminId: invited.admin.id });
    const guest = t.as(null).invitation;
    expect(await guest.check({ token: tokenOf(invited.link) })).toBeNull();
    expect(await guest.check({ token: 'unknown' })).toBeNull();
    const start = clock;
    clock += 7 * DAY;
    try {
      expect(await guest.check({ token: tokenOf(renewed.link) })).toBeNull();
      for (const token of [tokenOf(renewed.link), tokenOf(invited.link), 'unknown'])
        await expect(
          t.as(owner).invitation.accept({
            token,
            password: 'long enough pw',
            confirmPassword: 'long enough pw',
          }),
        ).rejects.toMatchObject({ code: 'NOT_FOUND', message: INVALID_INVITATION });
    } finally {
      clock = start;
    }
  });

  it('gives an initial password once; validates input', async () => {
    const owner = await t.admin('owner');
    const acme = await tenant();
    const invited = await t.as(owner).admin.invite({
      email: uniqueEmail('pat'),
      name: ' Pat ',
      role: 'tenant_admin',
      tenantIds: [acme],
      delivery: 'password',
    });
    if (invited.delivery !== 'password') throw new Error();
    expect(invited.password.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
    expect(invited.admin).toMatchObject({ name: 'Pat', role: 'tenant_admin', tenantIds: [acme] });
    // The pages' copies of the services' rules.
    expect(FORM_MIN_PASSWORD_LENGTH).toBe(MIN_PASSWORD_LENGTH);
    expect(INVITATION_UNUSABLE).toBe(INVALID_INVITATION);
    expect(FORM_ADMIN_ROLES).toEqual(ADMIN_ROLES);

    const bad = [
      { email: 'not an e-mail', role: 'owner', tenantIds: [], delivery: 'link' },
      { email: uniqueEmail('v'), role: 'viewer', tenantIds: [], delivery: 'link' },
      { email: uniqueEmail('v'), role: 'admin', tenantIds: [], delivery: 'link' },
      { email: uniqueEmail('v'), role: 'owner', tenantIds: [], delivery: 'email' },
    ];
    for (const input of bad)
      await expect(
        t
          .as(owner)
          .admin.invite(input as Parameters<ReturnType<RouterTestDb['as']>['admin']['invite']>[0]),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      t.as(owner).admin.invite({
        email: invited.admin.email.toUpperCase(),
        role: 'owner',
        tenantIds: [],
        delivery: 'link',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      t.as(owner).admin.invite({
        email: uniqueEmail('v'),
        role: 'viewer',
        tenantIds: ['no-such-tenant'],
        delivery: 'link',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('changes role and tenants, disables, enables and removes, effective at the next request', async () => {
    const acme = await tenant();
    const beta = await tenant();
    const owner = await t.admin('owner');
    const viewer = await t.admin('viewer', [acme]);
    expect((await t.as(viewer).tenant.list()).map((x) => x.id)).toEqual([acme]);

    await t.as(owner).admin.update({ adminId: viewer.id, role: 'tenant_admin', tenantIds: [beta] });
    // The request context reads the admin fresh, as createContext does.
    const fresh = async () => (await t.console.db.admins.find(viewer.id)) ?? null;
    const now = await fresh();
    expect(now).toMatchObject({ role: 'tenant_admin', tenantIds: [beta] });
    expect((await t.as(now).tenant.list()).map((x) => x.id)).toEqual([beta]);

    await t.as(owner).admin.setEnabled({ adminId: viewer.id, enabled: false });
    expect(await fresh()).toBeNull();
    await t.as(owner).admin.setEnabled({ adminId: viewer.id, enabled: true });
    expect(await fresh()).not.toBeNull();
    await t.as(owner).admin.remove({ adminId: viewer.id });
    expect(await fresh()).toBeNull();
    await expect(t.as(owner).admin.remove({ adminId: viewer.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const actions = (await t.as(owner).admin.actions({})).items.filter(
      (a) => a.target === viewer.email,
    );
    expect(actions.map((a) => a.action)).toEqual([
      'admin.remove',
      'admin.enable',
      'admin.disable',
      'admin.update',
    ]);
    // Console-wide: not in any tenant's activity.
    const tenantActions = await t.as(owner).audit.adminActions({ tenantId: acme });
    expect(tenantActions.items.every((a) => !a.action.startsWith('admin.'))).toBe(true);
  });

  it('refuses an owner removing, demoting or disabling themselves, with a clear message', async () => {
    const owner = await t.admin('owner');
    const acme = await tenant();
    await expect(
      t.as(owner).admin.update({ adminId: owner.id, role: 'viewer', tenantIds: [acme] }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot change your own role: ask another owner',
    });
    await expect(
      t.as(owner).admin.setEnabled({ adminId: owner.id, enabled: false }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot disable yourself: ask another owner',
    });
    await expect(t.as(owner).admin.remove({ adminId: owner.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot remove yourself: ask another owner',
    });
    expect(await t.console.db.admins.find(owner.id)).toMatchObject({ role: 'owner' });
  });
});
