import { previewRule } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantReadProcedure } from '../../trpc';
import { issuerUrls } from '../tenant/issuer-urls';
import { ZPreviewRuleSchema } from './rule.schema';

/** The live summary of a rule being edited, and the findings it would cause among the others. */
export const previewRuleProcedure = tenantReadProcedure
  .input(ZPreviewRuleSchema)
  .query(async ({ ctx, input }) => {
    const preview = await previewRule(
      ctx.database.prisma,
      input.tenantId,
      issuerUrls(input.tenantId).issuer,
      input.draft,
      input.replaces,
    );
    if (!preview) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
    return preview;
  });
