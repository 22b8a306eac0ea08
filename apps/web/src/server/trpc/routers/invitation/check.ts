import { checkInvitation } from '@sts/console';
import { publicProcedure } from '../../trpc';
import { ZInvitationTokenSchema } from './invitation.schema';

/**
 * No sign-in: whether the link's token can be used, and for which e-mail address. An unknown,
 * used, replaced or expired token is `null`, without saying which.
 */
export const checkInvitationProcedure = publicProcedure
  .input(ZInvitationTokenSchema)
  .query(({ ctx, input }) => checkInvitation(ctx.console, input.token));
