import { updateTenant } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZUpdateTenantSchema } from './tenant.schema';

export const updateTenantProcedure = tenantWriteProcedure
  .input(ZUpdateTenantSchema)
  .mutation(async ({ ctx, input: { tenantId, ...settings } }) => {
    await updateTenant(ctx.database.prisma, ctx.admin, tenantId, settings);
  });
