import { router } from '../../trpc';
import { listConsoleActionsProcedure } from './actions';
import { inviteAdminProcedure } from './invite';
import { listAdminsProcedure } from './list';
import { removeAdminProcedure } from './remove';
import { renewInvitationProcedure } from './renew-invitation';
import { setAdminEnabledProcedure } from './set-enabled';
import { signOutAdminEverywhereProcedure } from './sign-out-everywhere';
import { unlinkAdminSsoProcedure } from './unlink-sso';
import { updateAdminProcedure } from './update';

/** The console's admins: owners only. */
export const adminRouter = router({
  list: listAdminsProcedure,
  invite: inviteAdminProcedure,
  renewInvitation: renewInvitationProcedure,
  update: updateAdminProcedure,
  setEnabled: setAdminEnabledProcedure,
  remove: removeAdminProcedure,
  unlinkSso: unlinkAdminSsoProcedure,
  signOutEverywhere: signOutAdminEverywhereProcedure,
  actions: listConsoleActionsProcedure,
});
