import { createTenant } from '@sts/db';
import { ownerProcedure } from '../../trpc';
import { ZTenantSettingsSchema } from './tenant.schema';

export const createTenantProcedure = ownerProcedure
  .input(ZTenantSettingsSchema)
  .mutation(async ({ ctx, input }) => {
    await createTenant(ctx.database.prisma, ctx.admin, input);
    return { id: input.id };
  });
