import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors';
import { type AdminChange, recordAdminAction } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { rowNumber, type Sql, value } from '../internal/sql';
import { oneOf } from '../internal/stored';

export const ADMIN_ROLES = ['owner', 'tenant_admin', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** A signed-in admin as the console's authorization checks see it. */
export interface Admin {
  id: string;
  email: string;
  name: string | null;
  role: AdminRole;
  /** Tenants a tenant admin or viewer may see; owners see every tenant. */
  tenantIds: string[];
}

/** An admin with what signing in needs. */
export interface AdminCredentials extends Admin {
  /** @sts/crypto hashPassword() output; null for single-sign-on admins. */
  passwordHash: string | null;
  disabled: boolean;
  /** Invited by an owner to sign in through single sign-on only, not linked yet. */
  ssoInvited: boolean;
}

/**
 * `disabled`: cannot sign in; `invited`: waits for its one-time link to be used (it cannot sign
 * in with a password yet); `active`: everyone else.
 */
export const ADMIN_STATUSES = ['active', 'invited', 'disabled'] as const;
export type AdminStatus = (typeof ADMIN_STATUSES)[number];

/**
 * An identity at the console's single-sign-on provider, linked to one admin: the provider's
 * `iss` and `sub` (decision 0014). `email` is what the provider released when it was linked.
 */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string | null;
}

export interface SsoIdentityRecord extends SsoIdentity {
  linkedAt: Date;
}

/** An admin as the owners' list shows it: never a password hash or an invitation's hash. */
export interface AdminRecord extends Admin {
  status: AdminStatus;
  /** Invited to sign in through single sign-on only; no identity linked yet. */
  ssoInvited: boolean;
  /** The single-sign-on identities linked to the admin. */
  ssoIdentities: SsoIdentityRecord[];
  /** When the pending invitation link stops working; null when there is none. */
  invitationExpiresAt: Date | null;
  /** False for single-sign-on admins and for admins still invited. */
  hasPassword: boolean;
  /** Sessions signed in before this instant are signed out; null when none has been ended. */
  sessionsValidAfter: Date | null;
  createdAt: Date;
}

/** A one-time invitation link, stored as its token's hash (@sts/crypto hashOneTimeToken). */
export interface NewInvitation {
  tokenHash: string;
  expiresAt: Date;
}

export interface NewAdmin {
  email: string;
  name?: string;
  passwordHash: string | null;
  role: AdminRole;
  tenantIds?: readonly string[];
  /** Invited with a one-time link: the admin is "invited" until the link is used. */
  invitation?: NewInvitation;
  /**
   * Invited to sign in through single sign-on only: "invited" until their first SSO sign-in with
   * this (verified) e-mail address links the provider's identity.
   */
  ssoInvited?: boolean;
  /** Created by their first SSO sign-in: the identity is linked in the same transaction. */
  ssoIdentity?: SsoIdentity;
}

/** What an admin may see and do: the role, and the tenants of a tenant admin or viewer. */
export interface AdminAccess {
  role: AdminRole;
  tenantIds: readonly string[];
}

/** The admin action a change records, made from the admin as it was before the change. */
export type AdminChangeOf = (admin: Admin) => AdminChange;

/**
 * E-mail addresses are compared lower-cased and trimmed. Changes that take an admin id fail with
 * NotFoundError for an unknown one, and with ConflictError when they would leave the console
 * without an enabled owner (one who can sign in: not disabled, not waiting on an invitation).
 */
export interface AdminRepository {
  /**
   * ConflictError when the e-mail address is taken, NotFoundError for an unknown tenant. With
   * `change` (an admin invites another), it is recorded in the same transaction.
   */
  create(admin: NewAdmin, change?: AdminChange | AdminChangeOf): Promise<Admin>;
  /** Every admin, by e-mail address. */
  list(): Promise<AdminRecord[]>;
  /** NotFoundError when there is no such admin. */
  get(id: string): Promise<AdminRecord>;
  /** The admin of this e-mail address, enabled or not, or null. */
  findByEmail(email: string): Promise<AdminCredentials | null>;
  /** The admin (enabled or not) an SSO identity is linked to, or null. */
  findBySsoIdentity(issuer: string, subject: string): Promise<AdminCredentials | null>;
  /** The SSO identities linked to the admin. */
  ssoIdentities(id: string): Promise<SsoIdentityRecord[]>;
  /**
   * Links an SSO identity to the admin and clears their SSO invitation. ConflictError when the
   * identity is linked to an admin already, or the admin has one of this issuer.
   */
  linkSsoIdentity(id: string, identity: SsoIdentity, change: AdminChangeOf): Promise<void>;
  /**
   * Unlinks the admin's identity of `issuer` and ends their sessions (one may have come through
   * it). NotFoundError when there is none.
   */
  unlinkSsoIdentity(id: string, issuer: string, change: AdminChangeOf): Promise<void>;
  /** The enabled admin with this id (read on every console request: role changes apply at once). */
  find(id: string): Promise<Admin | null>;
  /**
   * The enabled admin of a session signed in at `signedInAt`, or null when the admin is gone,
   * disabled, or their sessions were ended after it (`sessionsValidAfter`; decision 0017).
   */
  findSession(id: string, signedInAt: Date): Promise<Admin | null>;
  /**
   * Signs out every session of the admin signed in until now ("Sign out everywhere"), recording
   * `change` in the same transaction.
   */
  endSessions(id: string, change: AdminChangeOf): Promise<void>;
  count(): Promise<number>;
  /** Replaces the role and the tenants. NotFoundError for an unknown tenant. */
  setAccess(id: string, access: AdminAccess, change: AdminChangeOf): Promise<void>;
  /**
   * A disabled admin cannot sign in, and their open sessions stop working; disabling also ends
   * them for good (enabling the admin again does not bring them back).
   */
  setDisabled(id: string, disabled: boolean, change: AdminChangeOf): Promise<void>;
  /** Deletes the admin with their tenants and invitation (their admin actions stay). */
  remove(id: string, change: AdminChangeOf): Promise<void>;
  /**
   * Replaces the pending invitation of an invited admin: the old link stops working.
   * ConflictError when the admin has none (the link was used, or they were never invited).
   */
  renewInvitation(id: string, invitation: NewInvitation, change: AdminChangeOf): Promise<void>;
  /** The enabled admin a pending, unexpired invitation of this hash belongs to, or null. */
  findInvitation(tokenHash: string, now: Date): Promise<Admin | null>;
  /**
   * Uses the invitation: sets the password, deletes the invitation (a link works once) and ends
   * any session signed in before, recording `change` in the same transaction. Null, changing nothing, when there is no such
   * invitation, it expired, or its admin is disabled.
   */
  acceptInvitation(
    tokenHash: string,
    passwordHash: string,
    now: Date,
    change: AdminChangeOf,
  ): Promise<Admin | null>;
  /**
   * Sets the password of the admin of `email`, enabled, as an owner (the demo's printed one), and
   * ends their sessions signed in before.
   */
  resetOwnerPassword(email: string, passwordHash: string): Promise<void>;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

const NO_OWNER_LEFT =
  'The console needs at least one enabled owner who can sign in: make another admin an owner first';

interface AdminRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  passwordHash: string | null;
  disabled: boolean;
  ssoInvited: boolean;
  sessionsValidAfter: Date | null;
  createdAt: Date;
  memberships: { tenantId: string }[];
  invitation: { expiresAt: Date } | null;
  ssoIdentities: { issuer: string; subject: string; email: string | null; createdAt: Date }[];
}

const toAdmin = (u: Pick<AdminRow, 'id' | 'email' | 'name' | 'role' | 'memberships'>) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: oneOf(ADMIN_ROLES, u.role, `admin ${u.id}: role`),
  tenantIds: u.memberships.map((m) => m.tenantId),
});

const toRecord = (u: AdminRow): AdminRecord => ({
  ...toAdmin(u),
  status: u.disabled ? 'disabled' : u.invitation || u.ssoInvited ? 'invited' : 'active',
  invitationExpiresAt: u.invitation?.expiresAt ?? null,
  hasPassword: u.passwordHash !== null,
  ssoInvited: u.ssoInvited,
  ssoIdentities: u.ssoIdentities.map(toIdentity),
  sessionsValidAfter: u.sessionsValidAfter,
  createdAt: u.createdAt,
});

const toIdentity = (i: AdminRow['ssoIdentities'][number]): SsoIdentityRecord => ({
  issuer: i.issuer,
  subject: i.subject,
  email: i.email,
  linkedAt: i.createdAt,
});

const RECORD_COLUMNS = {
  id: true,
  email: true,
  name: true,
  role: true,
  passwordHash: true,
  disabled: true,
  ssoInvited: true,
  sessionsValidAfter: true,
  createdAt: true,
  memberships: { select: { tenantId: true }, orderBy: { tenantId: 'asc' } },
  invitation: { select: { expiresAt: true } },
  ssoIdentities: {
    select: { issuer: true, subject: true, email: true, createdAt: true },
    orderBy: { issuer: 'asc' },
  },
} as const;

export function adminRepository(h: Handles): AdminRepository {
  const { prisma, sql } = h;

  /** Owners who can sign in: enabled and not waiting on an invitation (a link, or SSO). */
  const ownersWhoCanSignIn = `SELECT u."id" FROM "admin_users" u WHERE u."role" = 'owner' AND NOT u."disabled"
       AND NOT u."sso_invited" AND NOT EXISTS (SELECT 1 FROM "admin_invitations" i WHERE i."user_id" = u."id")`;
  const upsertInvitation = (tx: Sql, id: string, invitation: NewInvitation, now: Date) =>
    tx.run(
      `INSERT INTO "admin_invitations" ("user_id", "token_hash", "expires_at", "created_at") VALUES (?, ?, ?, ?)
       ON CONFLICT ("user_id") DO UPDATE SET "token_hash" = excluded."token_hash", "expires_at" = excluded."expires_at", "created_at" = excluded."created_at"`,
      [id, invitation.tokenHash, invitation.expiresAt, now],
    );
  const invitedAdmin = (from: Sql, tokenHash: string, now: Date) =>
    value<string>(
      from,
      `SELECT u."id" FROM "admin_invitations" i JOIN "admin_users" u ON u."id" = i."user_id"
       WHERE i."token_hash" = ? AND i."expires_at" > ? AND NOT u."disabled"`,
      [tokenHash, now],
    );
  const endSessions = (tx: Sql, id: string, now: Date) =>
    tx.run('UPDATE "admin_users" SET "sessions_valid_after" = ?, "updated_at" = ? WHERE "id" = ?', [
      now,
      now,
      id,
    ]);
  /** Inside a write transaction: links `identity` to admin `id`, or ConflictError. */
  const link = async (tx: Sql, id: string, identity: SsoIdentity, now: Date) => {
    const owner = await value<string>(
      tx,
      'SELECT "user_id" FROM "admin_sso_identities" WHERE "issuer" = ? AND "subject" = ?',
      [identity.issuer, identity.subject],
    );
    if (owner !== undefined)
      throw new ConflictError(
        'admin',
        undefined,
        owner === id
          ? 'This single sign-on identity is linked to this admin already'
          : 'This single sign-on identity is linked to another admin',
      );
    if (
      await tx.get('SELECT 1 FROM "admin_sso_identities" WHERE "user_id" = ? AND "issuer" = ?', [
        id,
        identity.issuer,
      ])
    )
      throw new ConflictError(
        'admin',
        undefined,
        'This admin has a single sign-on identity of this provider already: unlink it first',
      );
    await tx.run(
      'INSERT INTO "admin_sso_identities" ("issuer", "subject", "user_id", "email", "created_at") VALUES (?, ?, ?, ?, ?)',
      [identity.issuer, identity.subject, id, identity.email, now],
    );
    await tx.run('UPDATE "admin_users" SET "sso_invited" = ?, "updated_at" = ? WHERE "id" = ?', [
      false,
      now,
      id,
    ]);
  };

  /** The admin as stored now, or NotFoundError. */
  const readAdmin = async (from: Sql, id: string): Promise<Admin> => {
    const row = await from.get<{ id: string; email: string; name: string | null; role: string }>(
      'SELECT "id", "email", "name", "role" FROM "admin_users" WHERE "id" = ?',
      [id],
    );
    if (!row) throw new NotFoundError('admin', id);
    const memberships = await from.all<{ tenantId: string }>(
      'SELECT "tenant_id" AS "tenantId" FROM "admin_memberships" WHERE "user_id" = ? ORDER BY "tenant_id"',
      [id],
    );
    return toAdmin({ ...row, memberships });
  };
  const setTenants = async (tx: Sql, id: string, tenantIds: readonly string[]) => {
    await tx.run('DELETE FROM "admin_memberships" WHERE "user_id" = ?', [id]);
    for (const tenantId of new Set(tenantIds)) {
      if (!(await tx.get('SELECT 1 FROM "tenants" WHERE "id" = ?', [tenantId])))
        throw new NotFoundError('tenant', tenantId);
      await tx.run('INSERT INTO "admin_memberships" ("user_id", "tenant_id") VALUES (?, ?)', [
        id,
        tenantId,
      ]);
    }
  };
  /**
   * In a write transaction: changes admin `id` with `apply`, refusing (rolling back) a change
   * that takes the last owner who can sign in away, and records the change.
   */
  const changeAdmin = (
    id: string,
    change: AdminChangeOf,
    apply: (tx: Sql, now: Date) => Promise<unknown>,
  ) =>
    sql.write(async (tx) => {
      const before = await readAdmin(tx, id);
      const wasOwner =
        (await tx.get(`SELECT 1 FROM (${ownersWhoCanSignIn}) o WHERE o."id" = ?`, [id])) !==
        undefined;
      await apply(tx, new Date(h.clock()));
      if (
        wasOwner &&
        rowNumber(await value(tx, `SELECT COUNT(*) FROM (${ownersWhoCanSignIn}) o`)) === 0
      )
        throw new ConflictError('admin', undefined, NO_OWNER_LEFT);
      await recordAdminAction(tx, h, change(before));
    });

  return {
    async create(input, change) {
      const email = normalizeEmail(input.email);
      const id = randomUUID();
      const tenantIds = [...new Set(input.tenantIds ?? [])].sort();
      const created: Admin = { id, email, name: input.name ?? null, role: input.role, tenantIds };
      await sql.write(async (tx) => {
        if (await tx.get('SELECT 1 FROM "admin_users" WHERE "email" = ?', [email]))
          throw new ConflictError('admin', email);
        const now = new Date(h.clock());
        await tx.run(
          `INSERT INTO "admin_users" ("id", "email", "name", "password_hash", "role", "disabled", "sso_invited", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            email,
            input.name ?? null,
            input.passwordHash,
            input.role,
            false,
            Boolean(input.ssoInvited) && !input.ssoIdentity,
            now,
            now,
          ],
        );
        await setTenants(tx, id, tenantIds);
        if (input.ssoIdentity) await link(tx, id, input.ssoIdentity, now);
        if (input.invitation) await upsertInvitation(tx, id, input.invitation, now);
        if (change)
          await recordAdminAction(tx, h, typeof change === 'function' ? change(created) : change);
      });
      return created;
    },
    async list() {
      const rows = await prisma.adminUser.findMany({
        orderBy: { email: 'asc' },
        select: RECORD_COLUMNS,
      });
      return rows.map(toRecord);
    },
    async get(id) {
      const row = await prisma.adminUser.findUnique({ where: { id }, select: RECORD_COLUMNS });
      if (!row) throw new NotFoundError('admin', id);
      return toRecord(row);
    },
    async findByEmail(email) {
      const user = await prisma.adminUser.findUnique({
        where: { email: normalizeEmail(email) },
        include: { memberships: { orderBy: { tenantId: 'asc' } } },
      });
      return user
        ? {
            ...toAdmin(user),
            passwordHash: user.passwordHash,
            disabled: user.disabled,
            ssoInvited: user.ssoInvited,
          }
        : null;
    },
    async findBySsoIdentity(issuer, subject) {
      const found = await prisma.adminSsoIdentity.findUnique({
        where: { issuer_subject: { issuer, subject } },
        select: { user: { include: { memberships: { orderBy: { tenantId: 'asc' } } } } },
      });
      if (!found) return null;
      const { user } = found;
      return {
        ...toAdmin(user),
        passwordHash: user.passwordHash,
        disabled: user.disabled,
        ssoInvited: user.ssoInvited,
      };
    },
    async ssoIdentities(id) {
      const rows = await prisma.adminSsoIdentity.findMany({
        where: { userId: id },
        orderBy: { issuer: 'asc' },
      });
      return rows.map(toIdentity);
    },
    async linkSsoIdentity(id, identity, change) {
      await changeAdmin(id, change, (tx, now) => link(tx, id, identity, now));
    },
    async unlinkSsoIdentity(id, issuer, change) {
      await changeAdmin(id, change, async (tx, now) => {
        const deleted = await tx.run(
          'DELETE FROM "admin_sso_identities" WHERE "user_id" = ? AND "issuer" = ?',
          [id, issuer],
        );
        if (deleted === 0) throw new NotFoundError('sso_identity', issuer);
        await endSessions(tx, id, now);
      });
    },
    async find(id) {
      const user = await prisma.adminUser.findUnique({
        where: { id },
        include: { memberships: { orderBy: { tenantId: 'asc' } } },
      });
      return user && !user.disabled ? toAdmin(user) : null;
    },
    async findSession(id, signedInAt) {
      const user = await prisma.adminUser.findUnique({
        where: { id },
        include: { memberships: { orderBy: { tenantId: 'asc' } } },
      });
      if (!user || user.disabled) return null;
      // A session from the very instant they were ended still counts as before it.
      if (user.sessionsValidAfter && signedInAt.getTime() <= user.sessionsValidAfter.getTime())
        return null;
      return toAdmin(user);
    },
    async endSessions(id, change) {
      await changeAdmin(id, change, (tx, now) => endSessions(tx, id, now));
    },
    count: () => prisma.adminUser.count(),
    async setAccess(id, access, change) {
      await changeAdmin(id, change, async (tx, now) => {
        await tx.run('UPDATE "admin_users" SET "role" = ?, "updated_at" = ? WHERE "id" = ?', [
          access.role,
          now,
          id,
        ]);
        await setTenants(tx, id, access.tenantIds);
      });
    },
    async setDisabled(id, disabled, change) {
      await changeAdmin(id, change, async (tx, now) => {
        await tx.run('UPDATE "admin_users" SET "disabled" = ?, "updated_at" = ? WHERE "id" = ?', [
          disabled,
          now,
          id,
        ]);
        // Their sessions stay ended when they are enabled again (a stolen cookie stays dead).
        if (disabled) await endSessions(tx, id, now);
      });
    },
    async remove(id, change) {
      // The memberships and the invitation go with it (ON DELETE CASCADE).
      await changeAdmin(id, change, (tx) =>
        tx.run('DELETE FROM "admin_users" WHERE "id" = ?', [id]),
      );
    },
    async renewInvitation(id, invitation, change) {
      await changeAdmin(id, change, async (tx, now) => {
        if (!(await tx.get('SELECT 1 FROM "admin_invitations" WHERE "user_id" = ?', [id])))
          throw new ConflictError(
            'admin',
            undefined,
            'This admin has no pending invitation: it was used already, or they were never invited',
          );
        await upsertInvitation(tx, id, invitation, now);
      });
    },
    async findInvitation(tokenHash, now) {
      const id = await invitedAdmin(sql, tokenHash, now);
      return id === undefined ? null : readAdmin(sql, id);
    },
    async acceptInvitation(tokenHash, passwordHash, now, change) {
      return sql.write(async (tx) => {
        const id = await invitedAdmin(tx, tokenHash, now);
        if (id === undefined) return null;
        const admin = await readAdmin(tx, id);
        const at = new Date(h.clock());
        await tx.run(
          'UPDATE "admin_users" SET "password_hash" = ?, "sessions_valid_after" = ?, "updated_at" = ? WHERE "id" = ?',
          [passwordHash, at, at, id],
        );
        await tx.run('DELETE FROM "admin_invitations" WHERE "user_id" = ?', [id]);
        await recordAdminAction(tx, h, change(admin));
        return admin;
      });
    },
    async resetOwnerPassword(email, passwordHash) {
      await prisma.adminUser.updateMany({
        where: { email: normalizeEmail(email) },
        data: {
          passwordHash,
          disabled: false,
          role: 'owner',
          sessionsValidAfter: new Date(h.clock()),
        },
      });
    },
  };
}
