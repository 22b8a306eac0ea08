import { ssoIdentitiesOf } from '@sts/console';
import { protectedProcedure } from '../../trpc';

/** The signed-in admin's own single-sign-on identities (their Account page). */
export const ssoIdentitiesProcedure = protectedProcedure.query(({ ctx }) =>
  ssoIdentitiesOf(ctx.console, ctx.admin.id),
);
