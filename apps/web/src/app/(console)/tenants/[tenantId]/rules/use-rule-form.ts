import { useFormContext } from 'react-hook-form';
import type { TRule, TRuleInput } from '~/server/trpc/routers/rule/rule.schema';

/** The rule form, for the editor's sections (inside RuleForm's FormProvider). */
export const useRuleForm = () => useFormContext<TRuleInput, unknown, TRule>();
