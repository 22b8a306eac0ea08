import type { Admin } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';
import { AppError } from './errors';

/**
 * Tenants declared in the STS configuration file are read-only in the console (decision 0023):
 * the file is applied at every STS start and would undo a console change without a word. The
 * server refuses such changes (this module), not only the pages. Signing keys are not in the
 * file: rotating and revoking stay open. An admin who wants to manage the tenant here detaches
 * it from the file first.
 */

/** Why a change to a file-managed tenant is refused, in words the console shows. */
export const fileManagedMessage = (tenantId: string) =>
  `Tenant ${tenantId} is managed by the configuration file: change it in the file (the STS applies it at its next start), or detach the tenant from the file to manage it here`;

/** CONFLICT when the configuration file manages the tenant; NOT_FOUND when there is none. */
export async function assertConsoleManaged(ctx: ConsoleContext, tenantId: string): Promise<void> {
  const tenant = await ctx.db.tenants.get(tenantId);
  // Read before the change, not in its transaction: a tenant becomes file-managed only when an
  // STS start applies the file, and that start would overwrite a change made just before anyway.
  if (tenant.source === 'file') throw new AppError('CONFLICT', fileManagedMessage(tenantId));
}

/**
 * Makes a file-managed tenant console-managed: editable here, and the file's version of it is
 * no longer applied (a start that still finds it in the file warns). Recorded as tenant.detach.
 * CONFLICT for a tenant the file does not manage.
 */
export async function detachTenant(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
): Promise<void> {
  await ctx.db.tenants.detach(
    tenantId,
    changeBy(admin, 'tenant.detach', { tenantId, target: tenantId }),
  );
}
