import { describe, expect, it } from 'vitest';
import { inviteAdmin } from '../src/admin-users';
import {
  bootstrapFirstAdmin,
  createAdmin,
  sessionAdmin,
  signInWithPassword,
  signInWithSso,
  ssoIdentitiesOf,
  unlinkSso,
} from '../src/admins';
import { AppError } from '../src/errors';
import { useConsole } from './helpers';

const t = useConsole();
const PASSWORD = 'a long enough password';
const ISSUER = 'https://idp.example.test';

/** A verified profile from the provider for subject `sub`. */
const sso = (sub: string) => ({
  issuer: ISSUER,
  subject: sub,
  email: `${sub}@example.test`,
  emailVerified: true as unknown,
  name: sub,
});

const actions = async (action: string) =>
  (await t.ctx.db.adminActions.list(null, { limit: 100 })).items.filter((a) => a.action === action);

describe('admins', () => {
  it('signs in by e-mail (any case) and password; refuses wrong, unknown and disabled', async () => {
    await t.tenant('acme');
    const created = await createAdmin(t.ctx, {
      email: 'Ada@Example.test',
      password: PASSWORD,
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(created).toMatchObject({
      email: 'ada@example.test',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(await signInWithPassword(t.ctx, 'ADA@example.test', PASSWORD)).toEqual(created);
    expect(await signInWithPassword(t.ctx, 'ada@example.test', 'wrong password!!')).toBeNull();
    expect(await signInWithPassword(t.ctx, 'nobody@example.test', PASSWORD)).toBeNull();
    const stored = await t.ctx.db.admins.findByEmail('ada@example.test');
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(PASSWORD);

    await t.ctx.db.admins.setDisabled(created.id, true, (admin) => ({
      actor: admin,
      action: 'admin.disable',
    }));
    expect(await signInWithPassword(t.ctx, 'ada@example.test', PASSWORD)).toBeNull();
    expect(await sessionAdmin(t.ctx, created.id, t.now)).toBeNull();
  });

  it('refuses short passwords with a message for people', async () => {
    const attempt = createAdmin(t.ctx, {
      email: 'b@example.test',
      password: 'short',
      role: 'owner',
    });
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toThrow('An admin password needs at least 12 characters');
  });

  it('creates single-sign-on admins only when told to, and finds them again by iss + sub', async () => {
    expect(await signInWithSso(t.ctx, sso('alice'))).toEqual({ ok: false, reason: 'not_linked' });
    const created = await signInWithSso(t.ctx, { ...sso('alice'), autoCreateRole: 'viewer' });
    if (!created.ok) throw new Error(created.reason);
    expect(created.admin).toMatchObject({ email: 'alice@example.test', role: 'viewer' });
    expect(await signInWithSso(t.ctx, sso('alice'))).toEqual(created);
    // Linked at creation, and recorded.
    expect(await ssoIdentitiesOf(t.ctx, created.admin.id)).toEqual([
      { issuer: ISSUER, subject: 'alice', email: 'alice@example.test', linkedAt: expect.any(Date) },
    ]);
    expect(await actions('admin.sso_link')).toEqual([
      expect.objectContaining({
        actorEmail: 'alice@example.test',
        target: 'alice@example.test',
        details: { issuer: ISSUER, subject: 'alice', via: 'created' },
      }),
    ]);
    // The same e-mail address from another subject is not the same admin.
    expect(await signInWithSso(t.ctx, { ...sso('mallory'), email: 'alice@example.test' })).toEqual({
      ok: false,
      reason: 'not_linked',
    });
    // No password: password sign-in never works for it.
    expect(await signInWithPassword(t.ctx, 'alice@example.test', '')).toBeNull();
  });

  it('refuses an e-mail address the provider has not verified: absent, a string, false', async () => {
    for (const emailVerified of [undefined, 'true', 'false', false, 1, null])
      expect(
        await signInWithSso(t.ctx, { ...sso('bob'), emailVerified, autoCreateRole: 'owner' }),
      ).toEqual({ ok: false, reason: 'email_unverified' });
    expect(
      await signInWithSso(t.ctx, { ...sso('bob'), email: undefined, autoCreateRole: 'owner' }),
    ).toEqual({ ok: false, reason: 'email_unverified' });
    expect(await t.ctx.db.admins.count()).toBe(0);
  });

  it('never signs into an existing password admin by e-mail; links only when they ask', async () => {
    const owner = await createAdmin(t.ctx, {
      email: 'owner@example.test',
      password: PASSWORD,
      role: 'owner',
    });
    const asOwner = {
      ...sso('owner-at-idp'),
      email: 'owner@example.test',
      autoCreateRole: 'owner' as const,
    };
    expect(await signInWithSso(t.ctx, asOwner)).toEqual({ ok: false, reason: 'not_linked' });
    expect(await ssoIdentitiesOf(t.ctx, owner.id)).toEqual([]);

    // The owner, signed in with their password, links it.
    expect(await signInWithSso(t.ctx, { ...asOwner, linkTo: owner })).toEqual({
      ok: true,
      admin: owner,
    });
    expect(await signInWithSso(t.ctx, asOwner)).toEqual({ ok: true, admin: owner });
    // Another admin cannot take the same identity.
    const other = await createAdmin(t.ctx, {
      email: 'other@example.test',
      password: PASSWORD,
      role: 'viewer',
    });
    expect(await signInWithSso(t.ctx, { ...asOwner, linkTo: other })).toEqual({
      ok: false,
      reason: 'link_conflict',
    });
    // Nor link a second identity of the same provider.
    expect(await signInWithSso(t.ctx, { ...sso('second'), linkTo: owner })).toEqual({
      ok: false,
      reason: 'link_conflict',
    });
    expect(await actions('admin.sso_link')).toEqual([
      expect.objectContaining({
        actorEmail: 'owner@example.test',
        details: { issuer: ISSUER, subject: 'owner-at-idp', via: 'self' },
      }),
    ]);

    // Unlinked (recorded): SSO no longer signs in.
    await unlinkSso(t.ctx, owner, owner.id, ISSUER);
    expect(await signInWithSso(t.ctx, asOwner)).toEqual({ ok: false, reason: 'not_linked' });
    expect(await actions('admin.sso_unlink')).toEqual([
      expect.objectContaining({
        actorEmail: 'owner@example.test',
        target: 'owner@example.test',
        details: { issuer: ISSUER, subject: 'owner-at-idp' },
      }),
    ]);
    await expect(unlinkSso(t.ctx, owner, owner.id, ISSUER)).rejects.toMatchObject({
      entity: 'sso_identity',
    });
  });

  it('links an admin an owner invited for single sign-on, once, by verified e-mail', async () => {
    const owner = await createAdmin(t.ctx, {
      email: 'owner@example.test',
      password: PASSWORD,
      role: 'owner',
    });
    await t.tenant('acme');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: 'Carol@Example.test',
      role: 'viewer',
      tenantIds: ['acme'],
      delivery: 'sso',
    });
    expect(invited.delivery).toBe('sso');
    expect(await t.ctx.db.admins.get(invited.admin.id)).toMatchObject({
      status: 'invited',
      ssoInvited: true,
      hasPassword: false,
    });
    const carol = { ...sso('carol'), email: 'carol@example.test' };
    expect(await signInWithSso(t.ctx, { ...carol, emailVerified: 'true' })).toEqual({
      ok: false,
      reason: 'email_unverified',
    });
    expect(await signInWithSso(t.ctx, carol)).toEqual({ ok: true, admin: invited.admin });
    expect(await t.ctx.db.admins.get(invited.admin.id)).toMatchObject({
      status: 'active',
      ssoInvited: false,
      ssoIdentities: [expect.objectContaining({ subject: 'carol' })],
    });
    // Once: another subject with the same address is refused from now on.
    expect(await signInWithSso(t.ctx, { ...carol, subject: 'carol-2' })).toEqual({
      ok: false,
      reason: 'not_linked',
    });
    // An admin without a password keeps their only way in.
    await expect(unlinkSso(t.ctx, owner, invited.admin.id, ISSUER)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // Disabled: refused.
    await t.ctx.db.admins.setDisabled(invited.admin.id, true, (admin) => ({
      actor: owner,
      action: 'admin.disable',
      target: admin.email,
    }));
    expect(await signInWithSso(t.ctx, carol)).toEqual({ ok: false, reason: 'disabled' });
  });

  it('creates the first owner once; the demo resets its password at every start', async () => {
    const first = { email: 'owner@example.test', password: PASSWORD, demo: false };
    expect(await bootstrapFirstAdmin(t.ctx, first)).toBe(true);
    expect(await bootstrapFirstAdmin(t.ctx, { ...first, password: 'another password 1' })).toBe(
      false,
    );
    expect(await signInWithPassword(t.ctx, first.email, PASSWORD)).not.toBeNull();
    const owner = await signInWithPassword(t.ctx, first.email, PASSWORD);
    const signedIn = t.now;
    t.now += 1000;
    // A demo start with the same password changes nothing: the owner's session stays.
    await bootstrapFirstAdmin(t.ctx, { ...first, demo: true });
    expect(await sessionAdmin(t.ctx, owner?.id ?? '', signedIn)).toMatchObject({ role: 'owner' });
    // A new password ends the sessions signed in before it.
    t.now += 1000;
    await bootstrapFirstAdmin(t.ctx, { ...first, password: 'another password 1', demo: true });
    expect(await signInWithPassword(t.ctx, first.email, 'another password 1')).toMatchObject({
      role: 'owner',
    });
    expect(await sessionAdmin(t.ctx, owner?.id ?? '', signedIn)).toBeNull();
  });
});
