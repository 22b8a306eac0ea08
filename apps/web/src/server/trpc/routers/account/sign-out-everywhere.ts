import { signOutEverywhere } from '@sts/console';
import { protectedProcedure } from '../../trpc';

/**
 * The signed-in admin signs out every session of theirs, this one too (recorded as
 * admin.sign_out_everywhere; decision 0017).
 */
export const signOutEverywhereProcedure = protectedProcedure.mutation(({ ctx }) =>
  signOutEverywhere(ctx.console, ctx.admin, ctx.admin.id),
);
