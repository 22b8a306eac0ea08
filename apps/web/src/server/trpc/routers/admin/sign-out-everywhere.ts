import { signOutEverywhere } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZAdminIdSchema } from './admin.schema';

/**
 * An owner signs out every session of an admin (recorded as admin.sign_out_everywhere; decision
 * 0017). The admin can sign in again.
 */
export const signOutAdminEverywhereProcedure = ownerProcedure
  .input(ZAdminIdSchema)
  .mutation(({ ctx, input }) => signOutEverywhere(ctx.console, ctx.admin, input.adminId));
