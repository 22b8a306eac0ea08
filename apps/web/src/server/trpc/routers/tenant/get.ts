import { getTenant } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

export const getTenantProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  getTenant(ctx.console, input.tenantId),
);
