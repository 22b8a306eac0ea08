import { detachTenant } from '@sts/console';
import { tenantAnySourceWriteProcedure } from '../../trpc';

/**
 * "Detach from file": the tenant becomes console-managed, and the configuration file's version
 * of it is no longer applied (decision 0023). Owners and the tenant's admins.
 */
export const detachTenantProcedure = tenantAnySourceWriteProcedure.mutation(({ ctx, input }) =>
  detachTenant(ctx.console, ctx.admin, input.tenantId),
);
