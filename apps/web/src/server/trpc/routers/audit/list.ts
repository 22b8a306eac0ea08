import { listAuditEvents } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZListAuditEventsSchema } from './audit.schema';

/** The tenant's exchange attempts matching the filter, newest first, one page. */
export const listAuditEventsProcedure = tenantReadProcedure
  .input(ZListAuditEventsSchema)
  .query(({ ctx, input }) =>
    listAuditEvents(ctx.console, input.tenantId, input.filter, {
      limit: input.pageSize,
      cursor: input.before
        ? { before: input.before }
        : input.after
          ? { after: input.after }
          : undefined,
    }),
  );
