import { tenantEndpoints } from '@sts/core';
import type { Admin, TenantRecord, TenantSettings } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';
import { AppError } from './errors';
import { assertConsoleManaged } from './file-managed';

/** A tenant as the console shows it: its settings, counts and STS endpoints. */
export type TenantView = TenantRecord & ReturnType<typeof tenantEndpoints>;

const view = (ctx: ConsoleContext, tenant: TenantRecord): TenantView => ({
  ...tenant,
  ...tenantEndpoints(ctx.stsPublicUrl, tenant.id),
});

/** The tenants the admin may see: every one for owners, their own for the others. */
export async function listTenants(ctx: ConsoleContext, admin: Admin): Promise<TenantView[]> {
  const tenants = await ctx.db.tenants.list(admin.role === 'owner' ? undefined : admin.tenantIds);
  return tenants.map((t) => view(ctx, t));
}

export async function getTenant(ctx: ConsoleContext, tenantId: string): Promise<TenantView> {
  return view(ctx, await ctx.db.tenants.get(tenantId));
}

export async function createTenant(
  ctx: ConsoleContext,
  admin: Admin,
  settings: TenantSettings,
): Promise<void> {
  await ctx.db.tenants.create(
    settings,
    changeBy(admin, 'tenant.create', { tenantId: settings.id, details: { ...settings } }),
  );
}

export async function updateTenant(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  settings: Omit<TenantSettings, 'id'>,
): Promise<void> {
  await ctx.db.tenants.update(
    tenantId,
    settings,
    changeBy(admin, 'tenant.update', { tenantId, details: { ...settings } }),
  );
}

/**
 * Deleting needs the tenant id typed again, as the console's confirmation asks. A file-managed
 * tenant is refused (CONFLICT): the next start would create it again; detach it first, or remove
 * it from the file.
 */
export async function deleteTenant(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  confirmTenantId: string,
): Promise<void> {
  if (confirmTenantId !== tenantId)
    throw new AppError('INVALID_INPUT', 'Type the tenant id to confirm', {
      confirmTenantId: ['type the tenant id to confirm'],
    });
  await assertConsoleManaged(ctx, tenantId);
  await ctx.db.tenants.delete(tenantId, changeBy(admin, 'tenant.delete', { tenantId }));
}
