import { ruleOverview } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantReadProcedure } from '../../trpc';
import { issuerUrls } from '../tenant/issuer-urls';

/** The rules in evaluation order, each with its summary, plus the analysis findings. */
export const listRulesProcedure = tenantReadProcedure.query(async ({ ctx, input }) => {
  const overview = await ruleOverview(
    ctx.database.prisma,
    input.tenantId,
    issuerUrls(input.tenantId).issuer,
  );
  if (!overview) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
  return overview;
});
