import { tenantReadProcedure } from '../../trpc';
import { simulatorOptions } from './simulation';

/** The tenant's clients and rules, the token endpoint, and whether the test issuer is trusted. */
export const simulatorOptionsProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  simulatorOptions(ctx.database.prisma, input.tenantId),
);
