import { updateAdmin } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZUpdateAdminSchema } from './admin.schema';

/** Role and tenants, from the admin's next request (recorded as admin.update). */
export const updateAdminProcedure = ownerProcedure
  .input(ZUpdateAdminSchema)
  .mutation(({ ctx, input: { adminId, ...access } }) =>
    updateAdmin(ctx.console, ctx.admin, adminId, access),
  );
