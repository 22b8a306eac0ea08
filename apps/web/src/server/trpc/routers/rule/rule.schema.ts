import { checkRule, RuleFieldsSchema } from '@sts/core/config';
import { z } from 'zod';

/** Rule inputs: the STS configuration's RuleFieldsSchema and its cross-field checks. */

const tenantId = z.string();

/** The editor's form: exactly a rule of the configuration file. */
export const ZRuleSchema = RuleFieldsSchema.superRefine(checkRule);
export type TRuleInput = z.input<typeof ZRuleSchema>;
export type TRule = z.output<typeof ZRuleSchema>;

export const ZCreateRuleSchema = RuleFieldsSchema.extend({ tenantId }).superRefine(checkRule);

/** `ruleId` names the rule edited; `id` may rename it. */
export const ZUpdateRuleSchema = RuleFieldsSchema.extend({
  tenantId,
  ruleId: z.string().min(1),
}).superRefine(checkRule);

export const ZRuleRefSchema = z.object({ tenantId, ruleId: z.string().min(1) });

/** Every rule id of the tenant, in the new evaluation order. */
export const ZReorderRulesSchema = z.object({
  tenantId,
  ruleIds: z.array(z.string().min(1)).max(1000),
});

const list = z.array(z.string().max(2000)).max(200).default([]);

/**
 * A rule while it is being typed: the shape of a rule with the value rules relaxed (an empty
 * client list, a prefix without its final "/"), so the live summary follows every keystroke.
 * The form's own validation (ZRuleSchema) still decides what can be saved.
 */
export const ZRuleDraftSchema = RuleFieldsSchema.extend({
  id: z.string().max(200),
  clients: list,
  subjectIssuers: list,
  actors: z
    .array(
      z.union([
        z.literal('client'),
        z.object({ issuer: z.string().max(2000), subjects: list.optional() }),
      ]),
    )
    .max(50)
    .default([]),
  audiences: list,
  audiencePrefixes: list,
  defaultAudiences: list,
  scopes: list,
  maxTtlSeconds: z.number().int().min(1).optional().catch(undefined),
  maxChainDepth: z.number().int().min(0).default(1).catch(1),
  carryClaims: list,
});
export type TRuleDraftInput = z.input<typeof ZRuleDraftSchema>;

export const ZPreviewRuleSchema = z.object({
  tenantId,
  draft: ZRuleDraftSchema,
  /** The saved rule the draft edits; absent for a new rule. */
  replaces: z.string().optional(),
});
