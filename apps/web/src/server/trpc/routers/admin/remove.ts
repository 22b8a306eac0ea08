import { removeAdmin } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZAdminIdSchema } from './admin.schema';

/** Removes an admin (recorded as admin.remove); their session ends at their next request. */
export const removeAdminProcedure = ownerProcedure
  .input(ZAdminIdSchema)
  .mutation(({ ctx, input }) => removeAdmin(ctx.console, ctx.admin, input.adminId));
