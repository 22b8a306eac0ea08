import { previewRule } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZPreviewRuleSchema } from './rule.schema';

/** The live summary of a rule being edited, and the findings it would cause among the others. */
export const previewRuleProcedure = tenantReadProcedure
  .input(ZPreviewRuleSchema)
  .query(({ ctx, input }) => previewRule(ctx.console, input.tenantId, input.draft, input.replaces));
