import { acceptInvitation } from '@sts/console';
import { publicProcedure } from '../../trpc';
import { ZAcceptInvitationSchema } from './invitation.schema';

/**
 * No sign-in: sets the invitee's password with the link's token, once (recorded as
 * admin.accept_invitation). NOT_FOUND, changing nothing, for a link that cannot be used.
 */
export const acceptInvitationProcedure = publicProcedure
  .input(ZAcceptInvitationSchema)
  .mutation(({ ctx, input }) => acceptInvitation(ctx.console, input.token, input.password));
