import { auditStats } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZAuditStatsSchema } from './audit.schema';

/** The dashboard: attempts over time, granted vs denied, top denial reasons and clients. */
export const auditStatsProcedure = tenantReadProcedure
  .input(ZAuditStatsSchema)
  .query(({ ctx, input }) => auditStats(ctx.console, input.tenantId, input.range, input.filter));
