import { hashPassword, verifyPassword } from '@sts/crypto';
import type { Admin, AdminRole } from '@sts/db';
import type { ConsoleContext } from './context';
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
  const { passwordHash: _, disabled: __, ...admin } = found;
  return admin;
}

/**
 * The admin signing in through single sign-on: an existing account by e-mail, or — only when
 * `autoCreateRole` is set — a new one with that role. Unknown users are refused otherwise.
 */
export async function signInWithSso(
  ctx: ConsoleContext,
  sso: { email: string; name?: string; autoCreateRole?: AdminRole },
): Promise<Admin | null> {
  const found = await ctx.db.admins.findByEmail(sso.email);
  if (found) {
    if (found.disabled) return null;
    const { passwordHash: _, disabled: __, ...admin } = found;
    return admin;
  }
  if (!sso.autoCreateRole) return null;
  return ctx.db.admins.create({
    email: sso.email,
    name: sso.name,
    passwordHash: null,
    role: sso.autoCreateRole,
  });
}

/** The enabled admin of a session, read on every request: role changes apply at once. */
export function sessionAdmin(ctx: ConsoleContext, adminId: string): Promise<Admin | null> {
  return ctx.db.admins.find(adminId);
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
  if (first.demo)
    await ctx.db.admins.resetOwnerPassword(first.email, await hashPassword(first.password));
  return false;
}
