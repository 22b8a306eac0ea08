import {
  generateOneTimeToken,
  generatePassword,
  hashOneTimeToken,
  hashPassword,
} from '@sts/crypto';
import type { Admin, AdminAccess, AdminRecord, AdminRole } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';
import { AppError } from './errors';

/**
 * The owners' management of console admins: invite (with a one-time link or an initial
 * password), change role and tenants, disable, enable, remove. Every change is an admin action
 * recorded console-wide (no tenant) in the change's transaction, never with a password, token or
 * hash. The storage refuses any change that would leave no enabled owner who can sign in; these
 * services refuse an owner removing, demoting or disabling themselves.
 */

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * How an invited admin gets in: a one-time link to set a password, a generated password, or
 * single sign-on only (their first SSO sign-in with this verified e-mail address links their
 * identity at the provider; decision 0014).
 */
export type InviteDelivery = 'link' | 'password' | 'sso';

export interface InviteAdminInput {
  email: string;
  name?: string;
  role: AdminRole;
  /** The tenants of a tenant admin or viewer (at least one); ignored for owners. */
  tenantIds: readonly string[];
  delivery: InviteDelivery;
}

/** A link to the invitation page, valid until `expiresAt`. The token is in no other place. */
export interface InvitationLink {
  link: string;
  expiresAt: Date;
}

/** What an invitation hands over, once: the link, or the password. Neither can be shown again. */
export type InviteResult =
  | ({ admin: Admin; delivery: 'link' } & InvitationLink)
  | { admin: Admin; delivery: 'password'; password: string }
  | { admin: Admin; delivery: 'sso' };

export function listAdmins(ctx: ConsoleContext): Promise<AdminRecord[]> {
  return ctx.db.admins.list();
}

export async function inviteAdmin(
  ctx: ConsoleContext,
  actor: Admin,
  input: InviteAdminInput,
): Promise<InviteResult> {
  const access = accessOf(input.role, input.tenantIds);
  const email = input.email.trim().toLowerCase();
  const record = changeBy(actor, 'admin.invite', {
    target: email,
    details: { role: access.role, tenantIds: access.tenantIds, delivery: input.delivery },
  });
  if (input.delivery === 'password') {
    const password = generatePassword();
    const admin = await ctx.db.admins.create(
      {
        email,
        name: input.name,
        passwordHash: await hashPassword(password),
        ...access,
      },
      record,
    );
    return { admin, delivery: 'password', password };
  }
  if (input.delivery === 'sso') {
    const admin = await ctx.db.admins.create(
      { email, name: input.name, passwordHash: null, ...access, ssoInvited: true },
      record,
    );
    return { admin, delivery: 'sso' };
  }
  const { token, invitation } = newInvitation(ctx);
  const admin = await ctx.db.admins.create(
    { email, name: input.name, passwordHash: null, ...access, invitation },
    record,
  );
  return { admin, delivery: 'link', ...linkOf(ctx, token, invitation.expiresAt) };
}

/** A new link for an admin still invited: the previous link stops working. */
export async function renewInvitation(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
): Promise<InvitationLink> {
  const { token, invitation } = newInvitation(ctx);
  await ctx.db.admins.renewInvitation(adminId, invitation, (before) =>
    changeBy(actor, 'admin.invite', {
      target: before.email,
      details: { delivery: 'link', renewed: true },
    }),
  );
  return linkOf(ctx, token, invitation.expiresAt);
}

/** Role and tenants; they apply from the admin's next request. */
export async function updateAdmin(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
  input: { role: AdminRole; tenantIds: readonly string[] },
): Promise<void> {
  const access = accessOf(input.role, input.tenantIds);
  if (adminId === actor.id && access.role !== actor.role)
    throw new AppError('CONFLICT', 'You cannot change your own role: ask another owner');
  await ctx.db.admins.setAccess(adminId, access, (before) =>
    changeBy(actor, 'admin.update', {
      target: before.email,
      details: {
        role: access.role,
        tenantIds: access.tenantIds,
        previousRole: before.role,
        previousTenantIds: before.tenantIds,
      },
    }),
  );
}

/** A disabled admin cannot sign in, and their open sessions stop at their next request. */
export async function setAdminEnabled(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
  enabled: boolean,
): Promise<void> {
  if (!enabled && adminId === actor.id)
    throw new AppError('CONFLICT', 'You cannot disable yourself: ask another owner');
  await ctx.db.admins.setDisabled(adminId, !enabled, (before) =>
    changeBy(actor, enabled ? 'admin.enable' : 'admin.disable', { target: before.email }),
  );
}

export async function removeAdmin(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
): Promise<void> {
  if (adminId === actor.id)
    throw new AppError('CONFLICT', 'You cannot remove yourself: ask another owner');
  await ctx.db.admins.remove(adminId, (before) =>
    changeBy(actor, 'admin.remove', {
      target: before.email,
      details: { role: before.role, tenantIds: before.tenantIds },
    }),
  );
}

/** Owners see every tenant and have none of their own; the others need at least one. */
function accessOf(role: AdminRole, tenantIds: readonly string[]): AdminAccess {
  if (role === 'owner') return { role, tenantIds: [] };
  const unique = [...new Set(tenantIds)].sort();
  if (unique.length === 0)
    throw new AppError('INVALID_INPUT', 'Choose at least one tenant for this role', {
      tenantIds: ['choose at least one tenant'],
    });
  return { role, tenantIds: unique };
}

function newInvitation(ctx: ConsoleContext) {
  const token = generateOneTimeToken();
  return {
    token,
    invitation: {
      tokenHash: hashOneTimeToken(token),
      expiresAt: new Date(ctx.clock() + INVITATION_TTL_MS),
    },
  };
}

const linkOf = (ctx: ConsoleContext, token: string, expiresAt: Date): InvitationLink => ({
  link: `${ctx.consoleUrl.replace(/\/+$/, '')}/invite/${token}`,
  expiresAt,
});
