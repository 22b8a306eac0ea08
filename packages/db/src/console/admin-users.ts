import { randomUUID } from 'node:crypto';
import { hashPassword, UNKNOWN_USER_PASSWORD_HASH, verifyPassword } from '../crypto/password';
import type { Database } from '../open';

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

type Prisma = Database['prisma'];

const toAdmin = (u: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  memberships: { tenantId: string }[];
}): Admin => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: (ADMIN_ROLES as readonly string[]).includes(u.role) ? (u.role as AdminRole) : 'viewer',
  tenantIds: u.memberships.map((m) => m.tenantId),
});

export async function createAdminUser(
  prisma: Prisma,
  input: { email: string; name?: string; password?: string; role: AdminRole; tenantIds?: string[] },
): Promise<Admin> {
  if (input.password !== undefined && input.password.length < 12)
    throw new TypeError('An admin password needs at least 12 characters');
  const user = await prisma.adminUser.create({
    data: {
      id: randomUUID(),
      email: input.email.trim().toLowerCase(),
      name: input.name ?? null,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      role: input.role,
      memberships: { create: (input.tenantIds ?? []).map((tenantId) => ({ tenantId })) },
    },
    include: { memberships: true },
  });
  return toAdmin(user);
}

/** The admin whose e-mail and password match, or null. Costs one scrypt either way. */
export async function verifyAdminPassword(
  prisma: Prisma,
  email: string,
  password: string,
): Promise<Admin | null> {
  const user = await prisma.adminUser.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: true },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_PASSWORD_HASH);
  return user && ok && !user.disabled ? toAdmin(user) : null;
}

/** The admin by id, with current role and tenants (read on every console request). */
export async function findAdmin(prisma: Prisma, id: string): Promise<Admin | null> {
  const user = await prisma.adminUser.findUnique({ where: { id }, include: { memberships: true } });
  return user && !user.disabled ? toAdmin(user) : null;
}

/**
 * The admin signing in through single sign-on: an existing account by e-mail, or — only when
 * `autoCreateRole` is set — a new one with that role. Unknown users are refused otherwise.
 */
export async function findOrCreateSsoAdmin(
  prisma: Prisma,
  email: string,
  name: string | undefined,
  autoCreateRole: AdminRole | undefined,
): Promise<Admin | null> {
  const user = await prisma.adminUser.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: true },
  });
  if (user) return user.disabled ? null : toAdmin(user);
  if (!autoCreateRole) return null;
  return createAdminUser(prisma, { email, name, role: autoCreateRole });
}

export async function countAdmins(prisma: Prisma): Promise<number> {
  return prisma.adminUser.count();
}
