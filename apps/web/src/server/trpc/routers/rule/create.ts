import { createRule } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZCreateRuleSchema } from './rule.schema';

/** Adds a rule at the end of the evaluation order. */
export const createRuleProcedure = tenantWriteProcedure
  .input(ZCreateRuleSchema)
  .mutation(async ({ ctx, input: { tenantId, ...rule } }) => {
    await createRule(ctx.database.prisma, ctx.admin, tenantId, rule);
    return { id: rule.id };
  });
