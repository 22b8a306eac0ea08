import { reorderRules } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZReorderRulesSchema } from './rule.schema';

/** Sets the evaluation order; the list must name every rule once (else CONFLICT: reload). */
export const reorderRulesProcedure = tenantWriteProcedure
  .input(ZReorderRulesSchema)
  .mutation(({ ctx, input }) =>
    reorderRules(ctx.console, ctx.admin, input.tenantId, input.ruleIds),
  );
