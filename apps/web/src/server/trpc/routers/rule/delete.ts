import { deleteRule } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZRuleRefSchema } from './rule.schema';

export const deleteRuleProcedure = tenantWriteProcedure
  .input(ZRuleRefSchema)
  .mutation(async ({ ctx, input }) => {
    await deleteRule(ctx.database.prisma, ctx.admin, input.tenantId, input.ruleId);
  });
