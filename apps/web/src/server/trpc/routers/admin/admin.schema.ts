import { TenantFieldsSchema } from '@sts/core/config';
import { z } from 'zod';

// Client-safe: the Admins page imports these schemas and constants, so nothing from @sts/db or
// @sts/console (a database driver) is imported here; the values are the ones they take.

/** @sts/db's ADMIN_ROLES, with the words the console shows for them. */
export const ADMIN_ROLES = ['owner', 'tenant_admin', 'viewer'] as const;
export type TAdminRole = (typeof ADMIN_ROLES)[number];
export const ROLE_LABELS: Record<TAdminRole, string> = {
  owner: 'Owner',
  tenant_admin: 'Tenant admin',
  viewer: 'Viewer',
};

/** How an invited admin gets in (@sts/console InviteDelivery). */
export const INVITE_DELIVERIES = ['link', 'password', 'sso'] as const;

const AdminId = z.string().min(1).max(64);
const TenantIds = z.array(TenantFieldsSchema.shape.id).max(500);

interface Access {
  role: TAdminRole;
  tenantIds: readonly string[];
}

/** Tenant admins and viewers see only their tenants: at least one (owners see every tenant). */
function checkTenants(a: Access, ctx: z.RefinementCtx): void {
  if (a.role !== 'owner' && a.tenantIds.length === 0)
    ctx.addIssue({ code: 'custom', path: ['tenantIds'], message: 'Choose at least one tenant' });
}

export const ZInviteAdminSchema = z
  .object({
    email: z.email('Enter an e-mail address').max(320),
    /** Blank: none. */
    name: z
      .string()
      .trim()
      .max(200)
      .optional()
      .transform((v) => v || undefined),
    role: z.enum(ADMIN_ROLES),
    tenantIds: TenantIds,
    delivery: z.enum(INVITE_DELIVERIES),
  })
  .superRefine(checkTenants);
export type TInviteAdmin = z.output<typeof ZInviteAdminSchema>;
export type TInviteAdminInput = z.input<typeof ZInviteAdminSchema>;

/** Replaces the role and the tenants (ignored for owners). */
export const ZUpdateAdminSchema = z
  .object({ adminId: AdminId, role: z.enum(ADMIN_ROLES), tenantIds: TenantIds })
  .superRefine(checkTenants);
export type TUpdateAdmin = z.output<typeof ZUpdateAdminSchema>;
export type TUpdateAdminInput = z.input<typeof ZUpdateAdminSchema>;

export const ZAdminIdSchema = z.object({ adminId: AdminId });

export const ZSetAdminEnabledSchema = z.object({ adminId: AdminId, enabled: z.boolean() });

/** Console-wide admin actions, newest first; `cursor` is the previous page's `nextCursor`. */
export const ZListConsoleActionsSchema = z.object({
  pageSize: z.union([z.literal(25), z.literal(50)]).default(25),
  cursor: z.string().min(1).max(64).nullish(),
});

/** An admin's single-sign-on identity, by the provider's issuer. */
export const ZUnlinkSsoSchema = z.object({ adminId: AdminId, issuer: z.string().min(1).max(2048) });
