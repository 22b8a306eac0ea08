import { unlinkSso } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZUnlinkSsoSchema } from './admin.schema';

/** An owner unlinks an admin's single-sign-on identity (recorded as admin.sso_unlink). */
export const unlinkAdminSsoProcedure = ownerProcedure
  .input(ZUnlinkSsoSchema)
  .mutation(({ ctx, input }) => unlinkSso(ctx.console, ctx.admin, input.adminId, input.issuer));
