import { setAdminEnabled } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZSetAdminEnabledSchema } from './admin.schema';

/** Disables or enables an admin (recorded as admin.disable / admin.enable). */
export const setAdminEnabledProcedure = ownerProcedure
  .input(ZSetAdminEnabledSchema)
  .mutation(({ ctx, input }) =>
    setAdminEnabled(ctx.console, ctx.admin, input.adminId, input.enabled),
  );
