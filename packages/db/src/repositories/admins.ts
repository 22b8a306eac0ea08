import { randomUUID } from 'node:crypto';
import { ConflictError } from '../errors';
import type { Handles } from '../internal/handles';
import { translated } from '../internal/prisma-errors';
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
}

export interface NewAdmin {
  email: string;
  name?: string;
  passwordHash: string | null;
  role: AdminRole;
  tenantIds?: readonly string[];
}

/** E-mail addresses are compared lower-cased and trimmed. */
export interface AdminRepository {
  /** ConflictError when the e-mail address is taken. */
  create(admin: NewAdmin): Promise<Admin>;
  /** The admin of this e-mail address, enabled or not, or null. */
  findByEmail(email: string): Promise<AdminCredentials | null>;
  /** The enabled admin with this id (read on every console request: role changes apply at once). */
  find(id: string): Promise<Admin | null>;
  count(): Promise<number>;
  /** A disabled admin cannot sign in, and their open sessions stop working. */
  setDisabled(id: string, disabled: boolean): Promise<void>;
  /** Sets the password of the admin of `email`, enabled, as an owner (the demo's printed one). */
  resetOwnerPassword(email: string, passwordHash: string): Promise<void>;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

interface AdminRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  passwordHash: string | null;
  disabled: boolean;
  memberships: { tenantId: string }[];
}

const toAdmin = (u: AdminRow): Admin => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: oneOf(ADMIN_ROLES, u.role, `admin ${u.id}: role`),
  tenantIds: u.memberships.map((m) => m.tenantId),
});

export function adminRepository({ prisma }: Handles): AdminRepository {
  return {
    async create(input) {
      const email = normalizeEmail(input.email);
      if (await prisma.adminUser.findUnique({ where: { email }, select: { id: true } }))
        throw new ConflictError('admin', email);
      const user = await translated('admin', email, () =>
        prisma.adminUser.create({
          data: {
            id: randomUUID(),
            email,
            name: input.name ?? null,
            passwordHash: input.passwordHash,
            role: input.role,
            memberships: { create: (input.tenantIds ?? []).map((tenantId) => ({ tenantId })) },
          },
          include: { memberships: true },
        }),
      );
      return toAdmin(user);
    },
    async findByEmail(email) {
      const user = await prisma.adminUser.findUnique({
        where: { email: normalizeEmail(email) },
        include: { memberships: true },
      });
      return user
        ? { ...toAdmin(user), passwordHash: user.passwordHash, disabled: user.disabled }
        : null;
    },
    async find(id) {
      const user = await prisma.adminUser.findUnique({
        where: { id },
        include: { memberships: true },
      });
      return user && !user.disabled ? toAdmin(user) : null;
    },
    count: () => prisma.adminUser.count(),
    async setDisabled(id, disabled) {
      await translated('admin', id, () =>
        prisma.adminUser.update({ where: { id }, data: { disabled } }),
      );
    },
    async resetOwnerPassword(email, passwordHash) {
      await prisma.adminUser.updateMany({
        where: { email: normalizeEmail(email) },
        data: { passwordHash, disabled: false, role: 'owner' },
      });
    },
  };
}
