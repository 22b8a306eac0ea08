import { simulatorOptions } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

/** The tenant's clients and rules, the token endpoint, and whether the test issuer is trusted. */
export const simulatorOptionsProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  simulatorOptions(ctx.console, input.tenantId),
);
