import { createRule } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZCreateRuleSchema } from './rule.schema';

/** Adds a rule at the end of the evaluation order. */
export const createRuleProcedure = tenantWriteProcedure
  .input(ZCreateRuleSchema)
  .mutation(async ({ ctx, input: { tenantId, ...rule } }) => {
    await createRule(ctx.console, ctx.admin, tenantId, rule);
    return { id: rule.id };
  });
