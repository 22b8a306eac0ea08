import { updateRule } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZUpdateRuleSchema } from './rule.schema';

/** Replaces a rule in its place; a new `id` renames it. */
export const updateRuleProcedure = tenantWriteProcedure
  .input(ZUpdateRuleSchema)
  .mutation(async ({ ctx, input: { tenantId, ruleId, ...rule } }) => {
    await updateRule(ctx.console, ctx.admin, tenantId, ruleId, rule);
    return { id: rule.id };
  });
