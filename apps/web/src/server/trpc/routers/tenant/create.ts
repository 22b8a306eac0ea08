import { createTenant } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZTenantSettingsSchema } from './tenant.schema';

export const createTenantProcedure = ownerProcedure
  .input(ZTenantSettingsSchema)
  .mutation(async ({ ctx, input }) => {
    await createTenant(ctx.console, ctx.admin, input);
    return { id: input.id };
  });
