import { ruleOverview } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

/** The rules in evaluation order, each with its summary, plus the analysis findings. */
export const listRulesProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  ruleOverview(ctx.console, input.tenantId),
);
