import { deleteTenant } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ownerProcedure } from '../../trpc';

/** Deleting needs the tenant id typed again, as the console's confirmation asks. */
export const deleteTenantProcedure = ownerProcedure
  .input(z.object({ tenantId: z.string(), confirmTenantId: z.string() }))
  .mutation(async ({ ctx, input }) => {
    if (input.confirmTenantId !== input.tenantId)
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Type the tenant id to confirm' });
    await deleteTenant(ctx.database.prisma, ctx.admin, input.tenantId);
  });
