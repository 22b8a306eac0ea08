import { inviteAdmin } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZInviteAdminSchema } from './admin.schema';

/**
 * Invites an admin: the response holds the one-time link or the initial password, the only copy
 * there will ever be (recorded as admin.invite, without either).
 */
export const inviteAdminProcedure = ownerProcedure
  .input(ZInviteAdminSchema)
  .mutation(({ ctx, input }) => inviteAdmin(ctx.console, ctx.admin, input));
