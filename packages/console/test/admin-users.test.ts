import { hashOneTimeToken } from '@sts/crypto';
import { storedRows } from '@sts/db/testing';
import { describe, expect, it } from 'vitest';
import {
  INVITATION_TTL_MS,
  inviteAdmin,
  listAdmins,
  removeAdmin,
  renewInvitation,
  setAdminEnabled,
  updateAdmin,
} from '../src/admin-users';
import { sessionAdmin, signInWithPassword, signOutEverywhere } from '../src/admins';
import { listConsoleAdminActions } from '../src/audit';
import { acceptInvitation, checkInvitation, INVALID_INVITATION } from '../src/invitations';
import { createTenant } from '../src/tenants';
import { CONSOLE_URL, useConsole } from './helpers';

const t = useConsole();
const PASSWORD = 'the invitee chose this';

/** The token at the end of an invitation link. */
const tokenOf = (link: string) => link.slice(`${CONSOLE_URL}/invite/`.length);

const consoleActions = async () =>
  (await listConsoleAdminActions(t.ctx, { limit: 100 })).items.reverse();

describe('inviting admins', () => {
  it('invites with a one-time link: invited until the password is set, then signs in', async () => {
    const owner = await t.tenant('acme');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: ' Vera@Example.test ',
      role: 'viewer',
      tenantIds: ['acme'],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error('expected a link');
    expect(invited.link).toMatch(new RegExp(`^${CONSOLE_URL}/invite/[\\w-]{43}$`));
    expect(invited.expiresAt).toEqual(new Date(t.now + INVITATION_TTL_MS));
    expect(invited.admin).toMatchObject({
      email: 'vera@example.test',
      role: 'viewer',
      tenantIds: ['acme'],
    });
    const token = tokenOf(invited.link);
    const listed = (await listAdmins(t.ctx)).find((a) => a.email === 'vera@example.test');
    expect(listed).toMatchObject({ status: 'invited', invitationExpiresAt: invited.expiresAt });
    // No password yet: nothing signs in.
    expect(await signInWithPassword(t.ctx, 'vera@example.test', '')).toBeNull();

    expect(await checkInvitation(t.ctx, token)).toEqual({ email: 'vera@example.test' });
    expect(await acceptInvitation(t.ctx, token, PASSWORD)).toEqual({ email: 'vera@example.test' });
    expect(await signInWithPassword(t.ctx, 'vera@example.test', PASSWORD)).toEqual(invited.admin);
    expect((await listAdmins(t.ctx)).find((a) => a.id === invited.admin.id)?.status).toBe('active');

    // Single use.
    expect(await checkInvitation(t.ctx, token)).toBeNull();
    await expect(acceptInvitation(t.ctx, token, 'another password 1')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: INVALID_INVITATION,
    });
    expect(await signInWithPassword(t.ctx, 'vera@example.test', PASSWORD)).not.toBeNull();

    expect((await consoleActions()).map((a) => [a.action, a.actorEmail, a.target])).toEqual([
      ['admin.invite', owner.email, 'vera@example.test'],
      ['admin.accept_invitation', 'vera@example.test', 'vera@example.test'],
    ]);
  });

  it('stores only the token hash and records no token, password or hash', async () => {
    const owner = await t.admin('owner');
    const byLink = await inviteAdmin(t.ctx, owner, {
      email: 'link@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    const byPassword = await inviteAdmin(t.ctx, owner, {
      email: 'pw@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'password',
    });
    if (byLink.delivery !== 'link' || byPassword.delivery !== 'password') throw new Error();
    const token = tokenOf(byLink.link);
    await acceptInvitation(t.ctx, token, PASSWORD);

    const stored = {
      users: await storedRows(t.dbUrl, 'admin_users'),
      invitations: await storedRows(t.dbUrl, 'admin_invitations'),
      actions: await storedRows(t.dbUrl, 'admin_actions'),
    };
    expect(stored.invitations).toEqual([]); // used: deleted
    const pending = await inviteAdmin(t.ctx, owner, {
      email: 'pending@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (pending.delivery !== 'link') throw new Error();
    const [invitation] = await storedRows(t.dbUrl, 'admin_invitations');
    expect(invitation?.token_hash).toBe(hashOneTimeToken(tokenOf(pending.link)));
    expect(JSON.stringify(invitation)).not.toContain(tokenOf(pending.link));
    const text = JSON.stringify([stored, await storedRows(t.dbUrl, 'admin_actions')]);
    for (const secret of [token, tokenOf(pending.link), PASSWORD, byPassword.password])
      expect(text).not.toContain(secret);
    // Admin actions and listings hold no hash either.
    const shown = JSON.stringify([
      await listAdmins(t.ctx),
      await storedRows(t.dbUrl, 'admin_actions'),
    ]);
    expect(shown).not.toMatch(/scrypt\$|sha256\$/);
  });

  it('expires links after 7 days: unusable, and nothing changes', async () => {
    const owner = await t.admin('owner');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: 'late@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error();
    const token = tokenOf(invited.link);
    t.now += INVITATION_TTL_MS - 1;
    expect(await checkInvitation(t.ctx, token)).toEqual({ email: 'late@example.test' });
    t.now += 1;
    expect(await checkInvitation(t.ctx, token)).toBeNull();
    await expect(acceptInvitation(t.ctx, token, PASSWORD)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: INVALID_INVITATION,
    });
    expect(await signInWithPassword(t.ctx, 'late@example.test', PASSWORD)).toBeNull();
    expect((await listAdmins(t.ctx)).find((a) => a.id === invited.admin.id)?.status).toBe(
      'invited',
    );
    // An unknown token gets the same answer.
    await expect(acceptInvitation(t.ctx, 'x'.repeat(43), PASSWORD)).rejects.toMatchObject({
      message: INVALID_INVITATION,
    });
    expect((await consoleActions()).map((a) => a.action)).toEqual(['admin.invite']);
  });

  it('a new link replaces the old one, which stops working', async () => {
    const owner = await t.admin('owner');
    const first = await inviteAdmin(t.ctx, owner, {
      email: 'again@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (first.delivery !== 'link') throw new Error();
    t.now += 1000;
    const second = await renewInvitation(t.ctx, owner, first.admin.id);
    expect(second.link).not.toBe(first.link);
    expect(second.expiresAt).toEqual(new Date(t.now + INVITATION_TTL_MS));
    expect(await checkInvitation(t.ctx, tokenOf(first.link))).toBeNull();
    await expect(acceptInvitation(t.ctx, tokenOf(first.link), PASSWORD)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await acceptInvitation(t.ctx, tokenOf(second.link), PASSWORD);
    // Used: no new link for an admin who has signed up.
    await expect(renewInvitation(t.ctx, owner, first.admin.id)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/no pending invitation/),
    });
    expect((await consoleActions()).map((a) => [a.action, a.details])).toEqual([
      ['admin.invite', { role: 'owner', tenantIds: [], delivery: 'link' }],
      ['admin.invite', { delivery: 'link', renewed: true }],
      ['admin.accept_invitation', {}],
    ]);
  });

  it('gives an initial password, shown once, that signs in at once', async () => {
    const owner = await t.tenant('acme');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: 'pat@example.test',
      name: 'Pat',
      role: 'tenant_admin',
      tenantIds: ['acme', 'acme'],
      delivery: 'password',
    });
    if (invited.delivery !== 'password') throw new Error();
    expect(invited.password).toMatch(/^[\w-]{24}$/);
    expect(await signInWithPassword(t.ctx, 'pat@example.test', invited.password)).toEqual({
      id: invited.admin.id,
      email: 'pat@example.test',
      name: 'Pat',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect((await listAdmins(t.ctx)).find((a) => a.id === invited.admin.id)?.status).toBe('active');
  });

  it('needs a tenant for tenant admins and viewers, gives none to owners, refuses taken e-mails', async () => {
    const owner = await t.tenant('acme');
    await expect(
      inviteAdmin(t.ctx, owner, {
        email: 'v@example.test',
        role: 'viewer',
        tenantIds: [],
        delivery: 'link',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: { tenantIds: expect.any(Array) },
    });
    await expect(
      inviteAdmin(t.ctx, owner, {
        email: 'v@example.test',
        role: 'viewer',
        tenantIds: ['nope'],
        delivery: 'link',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError', entity: 'tenant' });
    const o = await inviteAdmin(t.ctx, owner, {
      email: 'o@example.test',
      role: 'owner',
      tenantIds: ['acme'],
      delivery: 'link',
    });
    expect(o.admin.tenantIds).toEqual([]);
    await expect(
      inviteAdmin(t.ctx, owner, {
        email: 'O@example.test',
        role: 'viewer',
        tenantIds: ['acme'],
        delivery: 'password',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('refuses short passwords on the invitation page without using the link', async () => {
    const owner = await t.admin('owner');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: 'short@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error();
    await expect(acceptInvitation(t.ctx, tokenOf(invited.link), 'short')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: { password: ['at least 12 characters'] },
    });
    expect(await checkInvitation(t.ctx, tokenOf(invited.link))).not.toBeNull();
  });

  it('does not let a disabled admin use their link', async () => {
    const owner = await t.admin('owner');
    const invited = await inviteAdmin(t.ctx, owner, {
      email: 'off@example.test',
      role: 'owner',
      tenantIds: [],
      delivery: 'link',
    });
    if (invited.delivery !== 'link') throw new Error();
    await setAdminEnabled(t.ctx, owner, invited.admin.id, false);
    await expect(acceptInvitation(t.ctx, tokenOf(invited.link), PASSWORD)).rejects.toMatchObject({
      message: INVALID_INVITATION,
    });
    await setAdminEnabled(t.ctx, owner, invited.admin.id, true);
    await acceptInvitation(t.ctx, tokenOf(invited.link), PASSWORD);
  });
});

describe('changing admins', () => {
  it('changes role and tenants, effective at the next request (sessionAdmin), and records it', async () => {
    const owner = await t.tenant('acme');
    await t.tenant('beta');
    const viewer = await t.admin('viewer', ['acme']);
    await updateAdmin(t.ctx, owner, viewer.id, { role: 'tenant_admin', tenantIds: ['beta'] });
    expect(await sessionAdmin(t.ctx, viewer.id, t.now)).toMatchObject({
      role: 'tenant_admin',
      tenantIds: ['beta'],
    });
    await updateAdmin(t.ctx, owner, viewer.id, { role: 'owner', tenantIds: ['beta'] });
    expect(await sessionAdmin(t.ctx, viewer.id, t.now)).toMatchObject({
      role: 'owner',
      tenantIds: [],
    });
    const [first, second] = (await consoleActions()).filter((a) => a.action === 'admin.update');
    expect(first).toMatchObject({
      actorEmail: owner.email,
      target: viewer.email,
      details: {
        role: 'tenant_admin',
        tenantIds: ['beta'],
        previousRole: 'viewer',
        previousTenantIds: ['acme'],
      },
    });
    expect(second?.details).toMatchObject({ role: 'owner', tenantIds: [] });
  });

  it('disables (sessions end at the next request) and enables again', async () => {
    const owner = await t.admin('owner');
    const viewer = await t.admin('viewer');
    const signedInBefore = t.now;
    t.now += 1000;
    await setAdminEnabled(t.ctx, owner, viewer.id, false);
    expect(await sessionAdmin(t.ctx, viewer.id, signedInBefore)).toBeNull();
    expect(await signInWithPassword(t.ctx, viewer.email, 'test password 123')).toBeNull();
    expect((await listAdmins(t.ctx)).find((a) => a.id === viewer.id)?.status).toBe('disabled');
    t.now += 1000;
    await setAdminEnabled(t.ctx, owner, viewer.id, true);
    // The session from before the disable stays signed out; a new sign-in works.
    expect(await sessionAdmin(t.ctx, viewer.id, signedInBefore)).toBeNull();
    expect(await signInWithPassword(t.ctx, viewer.email, 'test password 123')).toMatchObject({
      id: viewer.id,
    });
    expect(await sessionAdmin(t.ctx, viewer.id, t.now)).toMatchObject({ id: viewer.id });
    expect((await consoleActions()).map((a) => [a.action, a.target])).toEqual([
      ['admin.disable', viewer.email],
      ['admin.enable', viewer.email],
    ]);
  });

  it('signs out everywhere: sessions from before end, later ones work, and it is recorded', async () => {
    const owner = await t.admin('owner');
    const viewer = await t.admin('viewer');
    const viewerSession = t.now;
    const ownerSession = t.now;
    t.now += 1000;
    await signOutEverywhere(t.ctx, viewer, viewer.id);
    expect(await sessionAdmin(t.ctx, viewer.id, viewerSession)).toBeNull();
    t.now += 1000;
    expect(await sessionAdmin(t.ctx, viewer.id, t.now)).toMatchObject({ id: viewer.id });
    // An owner for another admin: only that admin's sessions end.
    const again = t.now;
    t.now += 1000;
    await signOutEverywhere(t.ctx, owner, viewer.id);
    expect(await sessionAdmin(t.ctx, viewer.id, again)).toBeNull();
    expect(await sessionAdmin(t.ctx, owner.id, ownerSession)).toMatchObject({ id: owner.id });
    expect((await consoleActions()).map((a) => [a.action, a.actorEmail, a.target])).toEqual([
      ['admin.sign_out_everywhere', viewer.email, viewer.email],
      ['admin.sign_out_everywhere', owner.email, viewer.email],
    ]);
    await expect(signOutEverywhere(t.ctx, owner, 'no-such-admin')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('removes an admin: their session ends; the record stays', async () => {
    const owner = await t.admin('owner');
    const other = await t.admin('owner');
    await removeAdmin(t.ctx, owner, other.id);
    expect(await sessionAdmin(t.ctx, other.id, t.now)).toBeNull();
    expect((await listAdmins(t.ctx)).map((a) => a.id)).toEqual([owner.id]);
    expect(await consoleActions()).toMatchObject([
      { action: 'admin.remove', target: other.email, details: { role: 'owner' } },
    ]);
    await expect(removeAdmin(t.ctx, owner, other.id)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('refuses an owner removing, demoting or disabling themselves', async () => {
    const owner = await t.tenant('acme');
    await t.admin('owner'); // another owner exists: the refusal is about oneself
    await expect(
      updateAdmin(t.ctx, owner, owner.id, { role: 'viewer', tenantIds: ['acme'] }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot change your own role: ask another owner',
    });
    await expect(setAdminEnabled(t.ctx, owner, owner.id, false)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot disable yourself: ask another owner',
    });
    await expect(removeAdmin(t.ctx, owner, owner.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot remove yourself: ask another owner',
    });
    // Keeping one's own role is no demotion.
    await updateAdmin(t.ctx, owner, owner.id, { role: 'owner', tenantIds: [] });
    expect(await sessionAdmin(t.ctx, owner.id, t.now)).toMatchObject({ role: 'owner' });
    expect((await consoleActions()).map((a) => a.action)).toEqual(['admin.update']);
  });

  it('never leaves the console without an enabled owner, even from a stale view', async () => {
    const a = await t.admin('owner');
    const b = await t.admin('owner');
    await createTenant(t.ctx, b, {
      id: 'acme',
      displayName: 'acme',
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
    // B demotes A; A's page (and Admin object) still says owner, and A tries to demote B.
    await updateAdmin(t.ctx, b, a.id, { role: 'viewer', tenantIds: ['acme'] });
    const staleA = a;
    const lastOwner = /at least one enabled owner/;
    await expect(
      updateAdmin(t.ctx, staleA, b.id, { role: 'viewer', tenantIds: ['acme'] }),
    ).rejects.toThrow(lastOwner);
    await expect(setAdminEnabled(t.ctx, staleA, b.id, false)).rejects.toThrow(lastOwner);
    await expect(removeAdmin(t.ctx, staleA, b.id)).rejects.toThrow(lastOwner);
    expect(await sessionAdmin(t.ctx, b.id, t.now)).toMatchObject({ role: 'owner' });
  });
});
