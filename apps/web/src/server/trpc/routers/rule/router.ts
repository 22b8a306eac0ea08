import { router } from '../../trpc';
import { createRuleProcedure } from './create';
import { deleteRuleProcedure } from './delete';
import { listRulesProcedure } from './list';
import { previewRuleProcedure } from './preview';
import { reorderRulesProcedure } from './reorder';
import { updateRuleProcedure } from './update';

export const ruleRouter = router({
  list: listRulesProcedure,
  preview: previewRuleProcedure,
  create: createRuleProcedure,
  update: updateRuleProcedure,
  delete: deleteRuleProcedure,
  reorder: reorderRulesProcedure,
});
