import { hashPassword, verifyPassword } from '@sts/crypto';
import {
  type Admin,
  type AdminCredentials,
  type AdminRole,
  ConflictError,
  type SsoIdentityRecord,
} from '@sts/db';
import { type ConsoleContext, changeBy } from './context';
import { AppError } from './errors';

export const MIN_PASSWORD_LENGTH = 12;

/** The enabled admin whose e-mail and password match, or null. Costs one scrypt either way. */
export async function signInWithPassword(
  ctx: ConsoleContext,
  email: string,
  password: string,
): Promise<Admin | null> {
  const found = await ctx.db.admins.findByEmail(email);
  const ok = await verifyPassword(password, found?.passwordHash);
  if (!found || !ok || found.disabled) return null;
  return adminOf(found);
}

const adminOf = ({ passwordHash: _, disabled: __, ssoInvited: ___, ...admin }: AdminCredentials) =>
  admin;

/** What the console's single-sign-on provider says about the person signing in. */
export interface SsoProfile {
  /** The verified ID token's `iss` and `sub`: the identity (decision 0014). */
  issuer: string;
  subject: string;
  email?: string;
  /** The `email_verified` claim as released: only the boolean `true` counts. */
  emailVerified: unknown;
  name?: string;
}

/** Why a single sign-on is refused (the sign-in page says it in words). */
export type SsoRefusal =
  /** No e-mail address, or one the provider has not verified (`email_verified` is not `true`). */
  | 'email_unverified'
  /** No admin is linked to this identity, and none may be made or linked from it. */
  | 'not_linked'
  /** The identity is linked to another admin than the one linking it, or they have one already. */
  | 'link_conflict'
  | 'disabled';

export type SsoSignIn = { ok: true; admin: Admin } | { ok: false; reason: SsoRefusal };

/**
 * Signs an admin in through single sign-on (decision 0014). The provider's identity (`iss` +
 * `sub`) is what names an admin, never the e-mail address alone; the address must be verified
 * (`email_verified` exactly `true`). An identity not linked yet is linked only explicitly:
 * - `linkTo`: the admin signed in with their password chose "Link single sign-on";
 * - an admin an owner invited as single-sign-on only, with this e-mail address (the first time);
 * - a new admin, when `autoCreateRole` is set and no admin has this e-mail address.
 * An existing admin with this e-mail address is never signed in otherwise. Each link is recorded
 * as `admin.sso_link`, by the admin it links.
 */
export async function signInWithSso(
  ctx: ConsoleContext,
  sso: SsoProfile & { autoCreateRole?: AdminRole; linkTo?: Admin },
): Promise<SsoSignIn> {
  const refuse = (reason: SsoRefusal): SsoSignIn => ({ ok: false, reason });
  if (sso.emailVerified !== true || !sso.email) return refuse('email_unverified');
  const identity = { issuer: sso.issuer, subject: sso.subject, email: sso.email };
  const linked = await ctx.db.admins.findBySsoIdentity(sso.issuer, sso.subject);
  if (linked) {
    if (linked.disabled) return refuse('disabled');
    if (sso.linkTo && sso.linkTo.id !== linked.id) return refuse('link_conflict');
    return { ok: true, admin: adminOf(linked) };
  }
  const linkChange = (via: 'self' | 'invitation' | 'created') => (admin: Admin) =>
    changeBy(admin, 'admin.sso_link', {
      target: admin.email,
      details: { issuer: sso.issuer, subject: sso.subject, via },
    });
  if (sso.linkTo) {
    try {
      await ctx.db.admins.linkSsoIdentity(sso.linkTo.id, identity, linkChange('self'));
    } catch (err) {
      if (err instanceof ConflictError) return refuse('link_conflict');
      throw err;
    }
    const admin = await ctx.db.admins.find(sso.linkTo.id);
    return admin ? { ok: true, admin } : refuse('disabled');
  }
  const byEmail = await ctx.db.admins.findByEmail(sso.email);
  if (byEmail) {
    if (byEmail.disabled) return refuse('disabled');
    if (!byEmail.ssoInvited) return refuse('not_linked');
    await ctx.db.admins.linkSsoIdentity(byEmail.id, identity, linkChange('invitation'));
    return { ok: true, admin: adminOf(byEmail) };
  }
  if (!sso.autoCreateRole) return refuse('not_linked');
  const admin = await ctx.db.admins.create(
    {
      email: sso.email,
      name: sso.name,
      passwordHash: null,
      role: sso.autoCreateRole,
      ssoIdentity: identity,
    },
    linkChange('created'),
  );
  return { ok: true, admin };
}

/** The single-sign-on identities linked to an admin. */
export function ssoIdentitiesOf(
  ctx: ConsoleContext,
  adminId: string,
): Promise<SsoIdentityRecord[]> {
  return ctx.db.admins.ssoIdentities(adminId);
}

/**
 * Unlinks an admin's single-sign-on identity of `issuer`: by the admin themselves (their Account
 * page) or by an owner. Refused (CONFLICT) for an admin without a password: they could not sign
 * in any more (remove or disable them instead). Recorded as `admin.sso_unlink`.
 */
export async function unlinkSso(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
  issuer: string,
): Promise<void> {
  const record = await ctx.db.admins.get(adminId);
  if (!record.hasPassword)
    throw new AppError(
      'CONFLICT',
      'This admin has no password: without single sign-on they could not sign in. Disable or remove the admin instead',
    );
  const identity = record.ssoIdentities.find((i) => i.issuer === issuer);
  await ctx.db.admins.unlinkSsoIdentity(adminId, issuer, (before) =>
    changeBy(actor, 'admin.sso_unlink', {
      target: before.email,
      details: { issuer, subject: identity?.subject ?? null },
    }),
  );
}

/**
 * The enabled admin of a session, read on every request: role changes apply at once. Null when
 * the session was signed in (`signedInAt`, epoch milliseconds) before the admin's sessions were
 * ended: disabled, a new password, an SSO identity unlinked, or "Sign out everywhere" (decision
 * 0017). A session without a sign-in time (from before sessions carried one) counts as the oldest.
 */
export function sessionAdmin(
  ctx: ConsoleContext,
  adminId: string,
  signedInAt: number | undefined,
): Promise<Admin | null> {
  const at = typeof signedInAt === 'number' && Number.isFinite(signedInAt) ? signedInAt : 0;
  return ctx.db.admins.findSession(adminId, new Date(at));
}

/**
 * Signs out every session of an admin signed in until now, by the admin themselves (their
 * Account page) or by an owner for another admin. Recorded as `admin.sign_out_everywhere`.
 */
export async function signOutEverywhere(
  ctx: ConsoleContext,
  actor: Admin,
  adminId: string,
): Promise<void> {
  await ctx.db.admins.endSessions(adminId, (before) =>
    changeBy(actor, 'admin.sign_out_everywhere', { target: before.email }),
  );
}

/** An admin password has at least 12 characters: INVALID_INPUT, for the `password` field. */
export function assertPasswordLength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AppError(
      'INVALID_INPUT',
      `An admin password needs at least ${MIN_PASSWORD_LENGTH} characters`,
      { password: [`at least ${MIN_PASSWORD_LENGTH} characters`] },
    );
}

/**
 * A new admin with a password (at least 12 characters), stored as a scrypt hash: the CLI's and
 * the first start's way (no admin action: nobody signed in made it). Owners invite admins in the
 * console with inviteAdmin.
 */
export async function createAdmin(
  ctx: ConsoleContext,
  input: { email: string; name?: string; password: string; role: AdminRole; tenantIds?: string[] },
): Promise<Admin> {
  assertPasswordLength(input.password);
  return ctx.db.admins.create({
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    tenantIds: input.tenantIds,
  });
}

/**
 * The first admin: when the console has no admin yet, creates this owner. In demo mode the
 * password is reset to the given one at every start (the demo prints it). Returns whether an
 * admin was created.
 */
export async function bootstrapFirstAdmin(
  ctx: ConsoleContext,
  first: { email: string; password: string; demo: boolean },
): Promise<boolean> {
  if ((await ctx.db.admins.count()) === 0) {
    await createAdmin(ctx, { email: first.email, password: first.password, role: 'owner' });
    return true;
  }
  if (first.demo && !(await isUsableOwnerWith(ctx, first.email, first.password)))
    await ctx.db.admins.resetOwnerPassword(first.email, await hashPassword(first.password));
  return false;
}

/**
 * The demo's owner is an enabled owner with this password already: resetting it would only end
 * their sessions (a new password does).
 */
async function isUsableOwnerWith(ctx: ConsoleContext, email: string, password: string) {
  const found = await ctx.db.admins.findByEmail(email);
  if (!found || found.disabled || found.role !== 'owner') return false;
  return verifyPassword(password, found.passwordHash);
}
