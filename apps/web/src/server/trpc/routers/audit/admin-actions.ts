import { listAdminActions } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZListAdminActionsSchema } from './audit.schema';

/** What admins changed in the tenant (read-only), newest first. */
export const listAdminActionsProcedure = tenantReadProcedure
  .input(ZListAdminActionsSchema)
  .query(({ ctx, input }) =>
    listAdminActions(ctx.console, input.tenantId, {
      limit: input.pageSize,
      cursor: input.cursor ?? undefined,
    }),
  );
