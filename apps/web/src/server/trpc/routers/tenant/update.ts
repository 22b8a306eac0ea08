import { updateTenant } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZUpdateTenantSchema } from './tenant.schema';

export const updateTenantProcedure = tenantWriteProcedure
  .input(ZUpdateTenantSchema)
  .mutation(({ ctx, input: { tenantId, ...settings } }) =>
    updateTenant(ctx.console, ctx.admin, tenantId, settings),
  );
