import { reorderRules } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZReorderRulesSchema } from './rule.schema';

/** Sets the evaluation order; the list must name every rule once (else CONFLICT: reload). */
export const reorderRulesProcedure = tenantWriteProcedure
  .input(ZReorderRulesSchema)
  .mutation(async ({ ctx, input }) => {
    await reorderRules(ctx.database.prisma, ctx.admin, input.tenantId, input.ruleIds);
  });
