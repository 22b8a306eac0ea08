import { deleteRule } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZRuleRefSchema } from './rule.schema';

export const deleteRuleProcedure = tenantWriteProcedure
  .input(ZRuleRefSchema)
  .mutation(({ ctx, input }) => deleteRule(ctx.console, ctx.admin, input.tenantId, input.ruleId));
