import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

describe('admins', () => {
  it('stores an admin with e-mail lower-cased, role and tenants; finds by e-mail and id', async () => {
    await addTenant(t.db, 'acme');
    const created = await t.db.admins.create({
      email: ' Ada@Example.test ',
      name: 'Ada',
      passwordHash: 'scrypt$hash',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(created).toEqual({
      id: expect.any(String),
      email: 'ada@example.test',
      name: 'Ada',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(await t.db.admins.findByEmail('ADA@example.test')).toEqual({
      ...created,
      passwordHash: 'scrypt$hash',
      disabled: false,
      ssoInvited: false,
    });
    expect(await t.db.admins.find(created.id)).toEqual(created);
    expect(await t.db.admins.findByEmail('nobody@example.test')).toBeNull();
    expect(await t.db.admins.count()).toBe(1);
  });

  it('refuses a taken e-mail address', async () => {
    await t.db.admins.create({ email: 'a@example.test', passwordHash: null, role: 'owner' });
    await expect(
      t.db.admins.create({ email: 'A@EXAMPLE.TEST', passwordHash: null, role: 'viewer' }),
    ).rejects.toThrow(ConflictError);
  });

  it('a disabled admin is not found by id (sessions end), but is by e-mail', async () => {
    const admin = await t.db.admins.create({
      email: 'b@example.test',
      passwordHash: null,
      role: 'viewer',
    });
    await t.db.admins.setDisabled(admin.id, true, () => change('admin.disable'));
    expect(await t.db.admins.find(admin.id)).toBeNull();
    expect(await t.db.admins.findByEmail('b@example.test')).toMatchObject({ disabled: true });
    await expect(
      t.db.admins.setDisabled('no-such-id', true, () => change('admin.disable')),
    ).rejects.toThrow(NotFoundError);
  });

  it('resets the demo owner password, enabling it as an owner', async () => {
    const admin = await t.db.admins.create({
      email: 'c@example.test',
      passwordHash: 'old',
      role: 'viewer',
    });
    await t.db.admins.setDisabled(admin.id, true, () => change('admin.disable'));
    await t.db.admins.resetOwnerPassword('C@example.test', 'new');
    expect(await t.db.admins.findByEmail('c@example.test')).toMatchObject({
      passwordHash: 'new',
      role: 'owner',
      disabled: false,
    });
  });
});

const DAY = 24 * 60 * 60 * 1000;
const byOwner = (action: string) => () => change(action);

describe('admin management', () => {
  const owner = (email = 'owner@example.test') =>
    t.db.admins.create({ email, passwordHash: 'scrypt$owner', role: 'owner' });
  const actions = async () => (await t.db.adminActions.list(null, { limit: 50 })).items;

  it('invites with a link: the admin is "invited", found by the hash until it expires', async () => {
    await addTenant(t.db, 'acme');
    const expiresAt = new Date(t.now + 7 * DAY);
    const invited = await t.db.admins.create(
      {
        email: 'New@Example.test',
        passwordHash: null,
        role: 'viewer',
        tenantIds: ['acme'],
        invitation: { tokenHash: 'sha256$hash-1', expiresAt },
      },
      change('admin.invite', { target: 'new@example.test' }),
    );
    expect(await t.db.admins.get(invited.id)).toEqual({
      ...invited,
      email: 'new@example.test',
      status: 'invited',
      invitationExpiresAt: expiresAt,
      hasPassword: false,
      ssoInvited: false,
      ssoIdentities: [],
      sessionsValidAfter: null,
      createdAt: new Date(t.now),
    });
    expect(await t.db.admins.findInvitation('sha256$hash-1', new Date(t.now))).toEqual(invited);
    expect(await t.db.admins.findInvitation('sha256$other', new Date(t.now))).toBeNull();
    expect(await t.db.admins.findInvitation('sha256$hash-1', expiresAt)).toBeNull();
    // Recorded in the same transaction, console-wide (no tenant).
    expect((await actions()).map((a) => [a.action, a.target])).toEqual([
      ['admin.invite', 'new@example.test'],
    ]);
    expect(await t.db.adminActions.list('acme', { limit: 50 })).toMatchObject({
      items: [{ action: 'tenant.create' }],
    });
  });

  it('refuses an unknown tenant and a taken e-mail, storing and recording nothing', async () => {
    await owner();
    await expect(
      t.db.admins.create(
        { email: 'x@example.test', passwordHash: null, role: 'viewer', tenantIds: ['nope'] },
        change('admin.invite'),
      ),
    ).rejects.toThrow(new NotFoundError('tenant', 'nope'));
    await expect(
      t.db.admins.create(
        { email: 'OWNER@example.test', passwordHash: null, role: 'viewer' },
        change('admin.invite'),
      ),
    ).rejects.toThrow(ConflictError);
    expect((await t.db.admins.list()).map((a) => a.email)).toEqual(['owner@example.test']);
    expect(await actions()).toEqual([]);
  });

  it('accepts an invitation once: sets the password, ends the invitation, records it', async () => {
    const invited = await t.db.admins.create({
      email: 'new@example.test',
      passwordHash: null,
      role: 'viewer',
      invitation: { tokenHash: 'sha256$hash', expiresAt: new Date(t.now + DAY) },
    });
    const accepted = await t.db.admins.acceptInvitation(
      'sha256$hash',
      'scrypt$new',
      new Date(t.now),
      (admin) => ({ actor: admin, action: 'admin.accept_invitation', target: admin.email }),
    );
    expect(accepted).toEqual(invited);
    expect(await t.db.admins.findByEmail('new@example.test')).toMatchObject({
      passwordHash: 'scrypt$new',
    });
    expect(await t.db.admins.get(invited.id)).toMatchObject({
      status: 'active',
      invitationExpiresAt: null,
      hasPassword: true,
    });
    expect(await actions()).toMatchObject([
      { action: 'admin.accept_invitation', actorEmail: 'new@example.test' },
    ]);
    // Single use: the second attempt changes nothing.
    expect(
      await t.db.admins.acceptInvitation('sha256$hash', 'scrypt$again', new Date(t.now), () =>
        change('admin.accept_invitation'),
      ),
    ).toBeNull();
    expect((await t.db.admins.findByEmail('new@example.test'))?.passwordHash).toBe('scrypt$new');
    expect(await actions()).toHaveLength(1);
  });

  it('refuses an expired invitation and that of a disabled admin, changing nothing', async () => {
    await owner();
    const invited = await t.db.admins.create({
      email: 'new@example.test',
      passwordHash: null,
      role: 'viewer',
      invitation: { tokenHash: 'sha256$hash', expiresAt: new Date(t.now + DAY) },
    });
    const accept = (at: number) =>
      t.db.admins.acceptInvitation('sha256$hash', 'scrypt$new', new Date(at), () =>
        change('admin.accept_invitation'),
      );
    expect(await accept(t.now + DAY)).toBeNull();
    await t.db.admins.setDisabled(invited.id, true, byOwner('admin.disable'));
    expect(await accept(t.now)).toBeNull();
    expect(await t.db.admins.get(invited.id)).toMatchObject({
      status: 'disabled',
      hasPassword: false,
    });
    expect((await actions()).map((a) => a.action)).toEqual(['admin.disable']);
  });

  it('renews a pending invitation (the old hash stops working), only while pending', async () => {
    const invited = await t.db.admins.create({
      email: 'new@example.test',
      passwordHash: null,
      role: 'viewer',
      invitation: { tokenHash: 'sha256$old', expiresAt: new Date(t.now + DAY) },
    });
    t.now += 2 * DAY;
    const expiresAt = new Date(t.now + 7 * DAY);
    await t.db.admins.renewInvitation(
      invited.id,
      { tokenHash: 'sha256$new', expiresAt },
      byOwner('admin.invite'),
    );
    expect(await t.db.admins.findInvitation('sha256$old', new Date(t.now - 2 * DAY))).toBeNull();
    expect(await t.db.admins.findInvitation('sha256$new', new Date(t.now))).toEqual(invited);
    expect((await t.db.admins.get(invited.id)).invitationExpiresAt).toEqual(expiresAt);

    const active = await owner();
    await expect(
      t.db.admins.renewInvitation(
        active.id,
        { tokenHash: 'sha256$x', expiresAt },
        byOwner('admin.invite'),
      ),
    ).rejects.toThrow(/no pending invitation/);
    await expect(
      t.db.admins.renewInvitation('nobody', { tokenHash: 'sha256$y', expiresAt }, byOwner('x')),
    ).rejects.toThrow(NotFoundError);
    expect((await actions()).map((a) => a.action)).toEqual(['admin.invite']);
  });

  it('changes role and tenants, recording the admin as it was before', async () => {
    await addTenant(t.db, 'acme');
    await addTenant(t.db, 'beta');
    await owner();
    const admin = await t.db.admins.create({
      email: 'a@example.test',
      passwordHash: 'scrypt$a',
      role: 'viewer',
      tenantIds: ['acme'],
    });
    await t.db.admins.setAccess(
      admin.id,
      { role: 'tenant_admin', tenantIds: ['beta', 'acme'] },
      (before) => change('admin.update', { target: before.email, details: { from: before.role } }),
    );
    expect(await t.db.admins.find(admin.id)).toMatchObject({
      role: 'tenant_admin',
      tenantIds: ['acme', 'beta'],
    });
    expect(await actions()).toMatchObject([
      { action: 'admin.update', target: 'a@example.test', details: { from: 'viewer' } },
    ]);
    await expect(
      t.db.admins.setAccess(admin.id, { role: 'viewer', tenantIds: ['gone'] }, byOwner('x')),
    ).rejects.toThrow(new NotFoundError('tenant', 'gone'));
    expect(await t.db.admins.find(admin.id)).toMatchObject({ tenantIds: ['acme', 'beta'] });
  });

  it('removes an admin with their tenants and invitation; the record stays', async () => {
    await addTenant(t.db, 'acme');
    await owner();
    const invited = await t.db.admins.create({
      email: 'new@example.test',
      passwordHash: null,
      role: 'viewer',
      tenantIds: ['acme'],
      invitation: { tokenHash: 'sha256$hash', expiresAt: new Date(t.now + DAY) },
    });
    await t.db.admins.remove(invited.id, (before) =>
      change('admin.remove', { target: before.email }),
    );
    await expect(t.db.admins.get(invited.id)).rejects.toThrow(NotFoundError);
    expect(await t.value('SELECT COUNT(*) FROM admin_memberships')).toBe(0);
    expect(await t.value('SELECT COUNT(*) FROM admin_invitations')).toBe(0);
    expect(await actions()).toMatchObject([{ action: 'admin.remove', target: 'new@example.test' }]);
    await expect(t.db.admins.remove(invited.id, byOwner('admin.remove'))).rejects.toThrow(
      NotFoundError,
    );
  });

  it('never leaves the console without an enabled owner who can sign in', async () => {
    const only = await owner();
    // An invited owner and a disabled one do not count.
    await t.db.admins.create({
      email: 'invited@example.test',
      passwordHash: null,
      role: 'owner',
      invitation: { tokenHash: 'sha256$hash', expiresAt: new Date(t.now + DAY) },
    });
    const disabled = await owner('disabled@example.test');
    await t.db.admins.setDisabled(disabled.id, true, byOwner('admin.disable'));
    const refused = /at least one enabled owner/;

    await expect(
      t.db.admins.setAccess(only.id, { role: 'viewer', tenantIds: [] }, byOwner('admin.update')),
    ).rejects.toThrow(refused);
    await expect(t.db.admins.setDisabled(only.id, true, byOwner('admin.disable'))).rejects.toThrow(
      refused,
    );
    await expect(t.db.admins.remove(only.id, byOwner('admin.remove'))).rejects.toThrow(refused);
    expect(await t.db.admins.get(only.id)).toMatchObject({ role: 'owner', status: 'active' });
    expect((await actions()).map((a) => a.action)).toEqual(['admin.disable']);

    // With a second owner who can sign in, the first may go.
    await t.db.admins.setDisabled(disabled.id, false, byOwner('admin.enable'));
    await t.db.admins.setAccess(
      only.id,
      { role: 'viewer', tenantIds: [] },
      byOwner('admin.update'),
    );
    expect(await t.db.admins.find(only.id)).toMatchObject({ role: 'viewer' });
  });

  it('lists every admin by e-mail with status, never a hash', async () => {
    await addTenant(t.db, 'acme');
    await owner('b@example.test');
    const c = await t.db.admins.create({
      email: 'c@example.test',
      passwordHash: 'scrypt$c',
      role: 'viewer',
      tenantIds: ['acme'],
    });
    await t.db.admins.setDisabled(c.id, true, byOwner('admin.disable'));
    await t.db.admins.create({
      email: 'a@example.test',
      passwordHash: null,
      role: 'tenant_admin',
      tenantIds: ['acme'],
      invitation: { tokenHash: 'sha256$secret-hash', expiresAt: new Date(t.now + DAY) },
    });
    const listed = await t.db.admins.list();
    expect(listed.map((a) => [a.email, a.role, a.status, a.tenantIds])).toEqual([
      ['a@example.test', 'tenant_admin', 'invited', ['acme']],
      ['b@example.test', 'owner', 'active', []],
      ['c@example.test', 'viewer', 'disabled', ['acme']],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|sha256/);
  });
});

describe('single-sign-on identities (iss + sub)', () => {
  const ISSUER = 'https://idp.example.test';
  const identity = (subject: string) => ({ issuer: ISSUER, subject, email: `${subject}@x.test` });
  const linked = (admin: { email: string }) => change('admin.sso_link', { target: admin.email });

  it('links one identity per provider to one admin, finds by it, unlinks, and cascades', async () => {
    const owner = await t.db.admins.create({ email: 'o@x.test', passwordHash: 'h', role: 'owner' });
    const viewer = await t.db.admins.create({
      email: 'v@x.test',
      passwordHash: 'h',
      role: 'viewer',
    });
    expect(await t.db.admins.findBySsoIdentity(ISSUER, 'alice')).toBeNull();

    await t.db.admins.linkSsoIdentity(viewer.id, identity('alice'), linked);
    expect(await t.db.admins.findBySsoIdentity(ISSUER, 'alice')).toMatchObject({
      id: viewer.id,
      disabled: false,
    });
    // Another issuer's "alice" is someone else.
    expect(await t.db.admins.findBySsoIdentity('https://other.example.test', 'alice')).toBeNull();
    await expect(
      t.db.admins.linkSsoIdentity(owner.id, identity('alice'), linked),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      t.db.admins.linkSsoIdentity(viewer.id, identity('alice-2'), linked),
    ).rejects.toThrow('unlink it first');
    expect(await t.db.admins.ssoIdentities(viewer.id)).toEqual([
      { ...identity('alice'), linkedAt: new Date(t.now) },
    ]);

    await t.db.admins.unlinkSsoIdentity(viewer.id, ISSUER, (a) =>
      change('admin.sso_unlink', { target: a.email }),
    );
    expect(await t.db.admins.findBySsoIdentity(ISSUER, 'alice')).toBeNull();
    await expect(
      t.db.admins.unlinkSsoIdentity(viewer.id, ISSUER, (a) => change('x', { target: a.email })),
    ).rejects.toBeInstanceOf(NotFoundError);

    await t.db.admins.linkSsoIdentity(viewer.id, identity('alice'), linked);
    await t.db.admins.remove(viewer.id, (a) => change('admin.remove', { target: a.email }));
    expect(await t.db.admins.findBySsoIdentity(ISSUER, 'alice')).toBeNull();
  });

  it('an owner invited to SSO does not count as an owner who can sign in until linked', async () => {
    const owner = await t.db.admins.create({ email: 'o@x.test', passwordHash: 'h', role: 'owner' });
    const invited = await t.db.admins.create({
      email: 'sso@x.test',
      passwordHash: null,
      role: 'owner',
      ssoInvited: true,
    });
    expect((await t.db.admins.get(invited.id)).status).toBe('invited');
    await expect(
      t.db.admins.setDisabled(owner.id, true, (a) => change('admin.disable', { target: a.email })),
    ).rejects.toBeInstanceOf(ConflictError);
    await t.db.admins.linkSsoIdentity(invited.id, identity('boss'), linked);
    expect(await t.db.admins.get(invited.id)).toMatchObject({
      status: 'active',
      ssoInvited: false,
    });
    await t.db.admins.setDisabled(owner.id, true, (a) =>
      change('admin.disable', { target: a.email }),
    );
  });
});
