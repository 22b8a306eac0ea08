import { router } from '../../trpc';
import { signOutEverywhereProcedure } from './sign-out-everywhere';
import { ssoIdentitiesProcedure } from './sso-identities';
import { unlinkOwnSsoProcedure } from './unlink-sso';

/** The signed-in admin's own account: any role. */
export const accountRouter = router({
  ssoIdentities: ssoIdentitiesProcedure,
  unlinkSso: unlinkOwnSsoProcedure,
  signOutEverywhere: signOutEverywhereProcedure,
});
