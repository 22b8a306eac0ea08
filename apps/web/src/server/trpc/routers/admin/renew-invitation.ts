import { renewInvitation } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZAdminIdSchema } from './admin.schema';

/** A new one-time link for an admin still invited; the previous link stops working. */
export const renewInvitationProcedure = ownerProcedure
  .input(ZAdminIdSchema)
  .mutation(({ ctx, input }) => renewInvitation(ctx.console, ctx.admin, input.adminId));
