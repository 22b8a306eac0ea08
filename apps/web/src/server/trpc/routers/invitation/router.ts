import { router } from '../../trpc';
import { acceptInvitationProcedure } from './accept';
import { checkInvitationProcedure } from './check';

/** The invitation page's calls: no sign-in, the link's token is the credential. */
export const invitationRouter = router({
  check: checkInvitationProcedure,
  accept: acceptInvitationProcedure,
});
