import { getAuditEvent } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZGetAuditEventSchema } from './audit.schema';

/** One event with its decision trace and precise error detail (admins only; clients never see it). */
export const getAuditEventProcedure = tenantReadProcedure
  .input(ZGetAuditEventSchema)
  .query(({ ctx, input }) => getAuditEvent(ctx.console, input.tenantId, input.eventId));
