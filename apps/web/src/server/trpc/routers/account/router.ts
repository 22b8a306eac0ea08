import { router } from '../../trpc';
import { ssoIdentitiesProcedure } from './sso-identities';
import { unlinkOwnSsoProcedure } from './unlink-sso';

/** The signed-in admin's own account: any role. */
export const accountRouter = router({
  ssoIdentities: ssoIdentitiesProcedure,
  unlinkSso: unlinkOwnSsoProcedure,
});
