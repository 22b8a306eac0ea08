import { getAuditEvent } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantReadProcedure } from '../../trpc';
import { ZGetAuditEventSchema } from './audit.schema';

/** One event with its decision trace and precise error detail (admins only; clients never see it). */
export const getAuditEventProcedure = tenantReadProcedure
  .input(ZGetAuditEventSchema)
  .query(async ({ ctx, input }) => {
    const event = await getAuditEvent(ctx.database.prisma, input.tenantId, input.eventId);
    if (!event) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such audit event' });
    return event;
  });
