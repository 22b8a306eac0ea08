import {
  analyzeRules,
  type RuleConfig,
  type RuleFinding,
  RuleSchema,
  type RuleSummary,
  ruleSummary,
  tenantIssuer,
} from '@sts/core';
import type { Admin, TenantSource } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';

/**
 * A tenant's delegation rules, as the console edits them: stored as the STS loads them, each
 * change one transaction with its admin action record and a configuration version bump.
 */

export interface RuleOverview {
  rules: (RuleSummary & { rule: RuleConfig; position: number })[];
  findings: RuleFinding[];
  /** What the editor offers: the tenant's client ids and trusted issuers. */
  clientIds: string[];
  trustedIssuers: string[];
  /** "file": the configuration file manages the tenant and replaces its rules at STS start. */
  source: TenantSource;
}

/**
 * The rules page: rules in order with their plain-language summaries (core's ruleSummary) and
 * the static analysis (core's analyzeRules).
 */
export async function ruleOverview(ctx: ConsoleContext, tenantId: string): Promise<RuleOverview> {
  const [tenant, rules, clients, issuers] = await Promise.all([
    ctx.db.tenants.get(tenantId),
    ctx.db.rules.list(tenantId),
    ctx.db.clients.list(tenantId),
    ctx.db.trustedIssuers.list(tenantId),
  ]);
  const summaryTenant = {
    issuer: tenantIssuer(ctx.stsPublicUrl, tenantId),
    accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
  };
  return {
    rules: rules.map((rule, position) => ({ rule, position, ...ruleSummary(rule, summaryTenant) })),
    findings: analyzeRules(rules),
    clientIds: clients.map((c) => c.clientId),
    trustedIssuers: issuers.map((i) => i.issuer),
    source: tenant.source,
  };
}

export interface DraftPreview extends RuleSummary {
  /** Findings that involve the draft, with the draft in place of the rule it edits. */
  findings: RuleFinding[];
}

/**
 * The live summary and analysis of a rule being edited: `draft` replaces the saved rule
 * `replaces` (or is appended when that is absent or unknown).
 */
export async function previewRule(
  ctx: ConsoleContext,
  tenantId: string,
  draft: RuleConfig,
  replaces?: string,
): Promise<DraftPreview> {
  const [tenant, rules] = await Promise.all([
    ctx.db.tenants.get(tenantId),
    ctx.db.rules.list(tenantId),
  ]);
  const summary = ruleSummary(draft, {
    issuer: tenantIssuer(ctx.stsPublicUrl, tenantId),
    accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
  });
  const findings = analyzeRules(withDraft(rules, draft, replaces)).filter(
    (f) => f.ruleId === draft.id || f.otherRuleId === draft.id,
  );
  return { ...summary, findings };
}

/**
 * `rules` with `draft` in place of the rule `replaces` (else of the rule with the draft's id),
 * or appended when there is neither. No other rule keeps the draft's id.
 */
export function withDraft(
  rules: readonly RuleConfig[],
  draft: RuleConfig,
  replaces?: string,
): RuleConfig[] {
  let index = replaces === undefined ? -1 : rules.findIndex((r) => r.id === replaces);
  if (index === -1) index = rules.findIndex((r) => r.id === draft.id);
  if (index === -1) return [...rules, draft];
  return rules.flatMap((r, i) => (i === index ? [draft] : r.id === draft.id ? [] : [r]));
}

/** Adds a rule at the end of the evaluation order. */
export async function createRule(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  input: RuleConfig,
): Promise<void> {
  const rule = RuleSchema.parse(input);
  await ctx.db.rules.create(
    tenantId,
    rule,
    changeBy(admin, 'rule.create', { tenantId, target: rule.id, details: { rule } }),
  );
}

/** Replaces the rule `ruleId` in its place; `input.id` may rename it. */
export async function updateRule(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  ruleId: string,
  input: RuleConfig,
): Promise<void> {
  const rule = RuleSchema.parse(input);
  await ctx.db.rules.update(
    tenantId,
    ruleId,
    rule,
    changeBy(admin, 'rule.update', {
      tenantId,
      target: rule.id,
      details: rule.id === ruleId ? { rule } : { renamedFrom: ruleId, rule },
    }),
  );
}

/** Deletes a rule; the ones after it move up. */
export async function deleteRule(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  ruleId: string,
): Promise<void> {
  await ctx.db.rules.delete(
    tenantId,
    ruleId,
    changeBy(admin, 'rule.delete', { tenantId, target: ruleId }),
  );
}

/**
 * Puts the rules in the order of `ruleIds`, which must name every rule of the tenant exactly
 * once (a list made from a stale page is a conflict: reload).
 */
export async function reorderRules(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  ruleIds: string[],
): Promise<void> {
  const from = (await ctx.db.rules.list(tenantId)).map((r) => r.id);
  await ctx.db.rules.reorder(
    tenantId,
    ruleIds,
    changeBy(admin, 'rule.reorder', { tenantId, details: { from, to: ruleIds } }),
  );
}
