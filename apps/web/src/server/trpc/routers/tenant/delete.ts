import { deleteTenant } from '@sts/console';
import { z } from 'zod';
import { ownerProcedure } from '../../trpc';

/** Deleting needs the tenant id typed again, as the console's confirmation asks. */
export const deleteTenantProcedure = ownerProcedure
  .input(z.object({ tenantId: z.string(), confirmTenantId: z.string() }))
  .mutation(({ ctx, input }) =>
    deleteTenant(ctx.console, ctx.admin, input.tenantId, input.confirmTenantId),
  );
