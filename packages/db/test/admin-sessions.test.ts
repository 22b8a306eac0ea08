import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors';
import { change } from './fixtures';
import { storedTimestamp, useTempDatabase } from './temp-database';

/**
 * An admin's `sessions_valid_after` (decision 0017): a session signed in at or before it is signed
 * out. It is set when the admin is disabled, gets a new password, has an SSO identity unlinked,
 * or signs out everywhere, and never moves back.
 */
const t = useTempDatabase();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const addOwner = () =>
  t.db.admins.create({ email: 'owner@example.test', passwordHash: 'scrypt$o', role: 'owner' });
const addViewer = (email = 'viewer@example.test') =>
  t.db.admins.create({ email, passwordHash: 'scrypt$v', role: 'viewer' });
/** The column as stored, read through a second connection. */
const stored = (id: string) =>
  t.value('SELECT "sessions_valid_after" FROM "admin_users" WHERE "id" = ?', [id]);
const at = (ms: number) => new Date(ms);

describe('sessions valid after', () => {
  it('is unset for a new admin: any session of theirs is valid', async () => {
    const viewer = await addViewer();
    expect(await stored(viewer.id)).toBeNull();
    expect((await t.db.admins.get(viewer.id)).sessionsValidAfter).toBeNull();
    expect(await t.db.admins.findSession(viewer.id, at(0))).toEqual(viewer);
    expect(await t.db.admins.findSession('no-such-admin', at(t.now))).toBeNull();
  });

  it('disabling ends the sessions for good: enabling again does not bring them back', async () => {
    await addOwner();
    const viewer = await addViewer();
    const before = t.now;
    t.now += MINUTE;
    const disabledAt = t.now;
    await t.db.admins.setDisabled(viewer.id, true, () => change('admin.disable'));
    expect(await stored(viewer.id)).toEqual(storedTimestamp(disabledAt));
    expect(await t.db.admins.findSession(viewer.id, at(before))).toBeNull();

    t.now += MINUTE;
    await t.db.admins.setDisabled(viewer.id, false, () => change('admin.enable'));
    // Enabling does not move it; the old session stays signed out, a new sign-in works.
    expect((await t.db.admins.get(viewer.id)).sessionsValidAfter).toEqual(at(disabledAt));
    expect(await t.db.admins.findSession(viewer.id, at(before))).toBeNull();
    expect(await t.db.admins.findSession(viewer.id, at(t.now))).toEqual(viewer);
  });

  it('a session from the very instant they were ended counts as before it', async () => {
    const viewer = await addViewer();
    await t.db.admins.endSessions(viewer.id, () => change('admin.sign_out_everywhere'));
    expect(await t.db.admins.findSession(viewer.id, at(t.now))).toBeNull();
    expect(await t.db.admins.findSession(viewer.id, at(t.now + 1))).toEqual(viewer);
  });

  it('signs out everywhere: only that admin, recorded in the same transaction', async () => {
    const owner = await addOwner();
    const viewer = await addViewer();
    const signedIn = t.now;
    t.now += MINUTE;
    await t.db.admins.endSessions(viewer.id, (before) =>
      change('admin.sign_out_everywhere', { target: before.email }),
    );
    expect(await t.db.admins.findSession(viewer.id, at(signedIn))).toBeNull();
    expect(await t.db.admins.findSession(owner.id, at(signedIn))).toEqual(owner);
    expect(await stored(owner.id)).toBeNull();
    expect((await t.db.adminActions.list(null, { limit: 10 })).items).toMatchObject([
      { action: 'admin.sign_out_everywhere', target: 'viewer@example.test' },
    ]);
    // An unknown admin: NotFoundError, and nothing recorded.
    await expect(
      t.db.admins.endSessions('no-such-admin', () => change('admin.sign_out_everywhere')),
    ).rejects.toThrow(NotFoundError);
    expect((await t.db.adminActions.list(null, { limit: 10 })).items).toHaveLength(1);
  });

  it('a new password ends the sessions: an accepted invitation, the demo owner reset', async () => {
    const invited = await t.db.admins.create({
      email: 'new@example.test',
      passwordHash: null,
      role: 'viewer',
      invitation: { tokenHash: 'sha256$hash', expiresAt: new Date(t.now + DAY) },
    });
    t.now += MINUTE;
    await t.db.admins.acceptInvitation('sha256$hash', 'scrypt$new', at(t.now), (admin) =>
      change('admin.accept_invitation', { actor: admin }),
    );
    expect(await stored(invited.id)).toEqual(storedTimestamp(t.now));

    const owner = await addOwner();
    const signedIn = t.now;
    t.now += MINUTE;
    await t.db.admins.resetOwnerPassword('OWNER@example.test', 'scrypt$reset');
    expect((await t.db.admins.get(owner.id)).sessionsValidAfter).toEqual(at(t.now));
    expect(await t.db.admins.findSession(owner.id, at(signedIn))).toBeNull();
  });

  it('unlinking an SSO identity ends the sessions; linking one does not', async () => {
    const viewer = await addViewer();
    const identity = { issuer: 'https://idp.example.test', subject: 'alice', email: null };
    await t.db.admins.linkSsoIdentity(viewer.id, identity, () => change('admin.sso_link'));
    expect(await stored(viewer.id)).toBeNull();
    const signedIn = t.now;
    t.now += MINUTE;
    await t.db.admins.unlinkSsoIdentity(viewer.id, identity.issuer, () =>
      change('admin.sso_unlink'),
    );
    expect(await stored(viewer.id)).toEqual(storedTimestamp(t.now));
    expect(await t.db.admins.findSession(viewer.id, at(signedIn))).toBeNull();
    // Nothing to unlink: refused, and the time does not move.
    const ended = t.now;
    t.now += MINUTE;
    await expect(
      t.db.admins.unlinkSsoIdentity(viewer.id, identity.issuer, () => change('admin.sso_unlink')),
    ).rejects.toThrow(NotFoundError);
    expect(await stored(viewer.id)).toEqual(storedTimestamp(ended));
  });

  it('a demotion applies to older sessions at once; a removed admin re-invited is a new admin', async () => {
    await addOwner();
    const admin = await t.db.admins.create({
      email: 'twice@example.test',
      passwordHash: 'scrypt$t',
      role: 'owner',
    });
    const signedIn = t.now;
    t.now += MINUTE;
    await t.db.admins.setAccess(admin.id, { role: 'viewer', tenantIds: [] }, () =>
      change('admin.update'),
    );
    expect(await t.db.admins.findSession(admin.id, at(signedIn))).toMatchObject({
      role: 'viewer',
    });

    await t.db.admins.remove(admin.id, () => change('admin.remove'));
    const again = await t.db.admins.create({
      email: 'twice@example.test',
      passwordHash: 'scrypt$t2',
      role: 'owner',
    });
    expect(again.id).not.toBe(admin.id);
    // The old session names the removed admin's id: no admin, whatever its time.
    expect(await t.db.admins.findSession(admin.id, at(t.now + DAY))).toBeNull();
  });
});
