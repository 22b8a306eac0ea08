import { unlinkSso } from '@sts/console';
import { protectedProcedure } from '../../trpc';
import { ZUnlinkOwnSsoSchema } from './account.schema';

/** The signed-in admin unlinks their own single-sign-on identity (recorded as admin.sso_unlink). */
export const unlinkOwnSsoProcedure = protectedProcedure
  .input(ZUnlinkOwnSsoSchema)
  .mutation(({ ctx, input }) => unlinkSso(ctx.console, ctx.admin, ctx.admin.id, input.issuer));
