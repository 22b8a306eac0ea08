import {
  analyzeRules,
  type RuleConfig,
  type RuleFinding,
  RuleSchema,
  type RuleSummary,
  ruleSummary,
} from '@sts/core';
import type { Database } from '../open';
import { parseStored, parseStoredJson } from '../repositories/stored';
import { adminActionRecord, configChanged } from './admin-actions';
import type { Admin } from './admin-users';
import { ConflictError } from './tenants';

/**
 * A tenant's delegation rules, as the console edits them. Stored as the STS loads them
 * (repositories/config.ts): one `rules` row per rule, `position` its place in evaluation order
 * (0, 1, 2… after every change here), `definition` the JSON of the parsed RuleConfig.
 * Every change is one transaction with its admin action record and a config_version bump.
 */
type Prisma = Database['prisma'];

const key = (tenantId: string, ruleId: string) => ({ tenantId_ruleId: { tenantId, ruleId } });

/** The tenant's rules in evaluation order; stored JSON validated as the STS validates it. */
export async function listRules(prisma: Prisma, tenantId: string): Promise<RuleConfig[]> {
  const rows = await prisma.rule.findMany({ where: { tenantId }, orderBy: { position: 'asc' } });
  return rows.map((row) => {
    const where = `tenant ${tenantId}, rule ${row.ruleId}`;
    return parseStored(RuleSchema, parseStoredJson(row.definition, where), where);
  });
}

export interface RuleOverview {
  rules: (RuleSummary & { rule: RuleConfig; position: number })[];
  findings: RuleFinding[];
  /** What the editor offers: the tenant's client ids and trusted issuers. */
  clientIds: string[];
  trustedIssuers: string[];
  /** "file": the configuration file manages the tenant and replaces its rules at STS start. */
  source: string;
}

/**
 * The rules page: rules in order with their plain-language summaries (core's ruleSummary) and
 * the static analysis (core's analyzeRules). `issuer` is the tenant's `<STS_PUBLIC_URL>/t/<id>`.
 * Null when the tenant does not exist.
 */
export async function ruleOverview(
  prisma: Prisma,
  tenantId: string,
  issuer: string,
): Promise<RuleOverview | null> {
  const tenant = await prisma.tenant.findUnique({
    where: { id: tenantId },
    select: {
      accessTokenTtlSeconds: true,
      source: true,
      clients: { select: { clientId: true }, orderBy: { clientId: 'asc' } },
      trustedIssuers: { select: { issuer: true }, orderBy: { issuer: 'asc' } },
    },
  });
  if (!tenant) return null;
  const rules = await listRules(prisma, tenantId);
  const summaryTenant = { issuer, accessTokenTtlSeconds: tenant.accessTokenTtlSeconds };
  return {
    rules: rules.map((rule, position) => ({
      rule,
      position,
      ...ruleSummary(rule, summaryTenant),
    })),
    findings: analyzeRules(rules),
    clientIds: tenant.clients.map((c) => c.clientId),
    trustedIssuers: tenant.trustedIssuers.map((i) => i.issuer),
    source: tenant.source,
  };
}

export interface DraftPreview extends RuleSummary {
  /** Findings that involve the draft, with the draft in place of the rule it edits. */
  findings: RuleFinding[];
}

/**
 * The live summary and analysis of a rule being edited: `draft` replaces the saved rule
 * `replaces` (or is appended when that is absent or unknown). Null when the tenant does not exist.
 */
export async function previewRule(
  prisma: Prisma,
  tenantId: string,
  issuer: string,
  draft: RuleConfig,
  replaces?: string,
): Promise<DraftPreview | null> {
  const tenant = await prisma.tenant.findUnique({
    where: { id: tenantId },
    select: { accessTokenTtlSeconds: true },
  });
  if (!tenant) return null;
  const rules = withDraft(await listRules(prisma, tenantId), draft, replaces);
  const summary = ruleSummary(draft, {
    issuer,
    accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
  });
  const findings = analyzeRules(rules).filter(
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
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  input: RuleConfig,
): Promise<void> {
  const rule = RuleSchema.parse(input);
  const existing = await prisma.rule.findMany({
    where: { tenantId },
    select: { ruleId: true, position: true },
  });
  if (existing.some((r) => r.ruleId === rule.id))
    throw new ConflictError(`A rule with id "${rule.id}" already exists`);
  const position = existing.reduce((max, r) => Math.max(max, r.position + 1), 0);
  await prisma.$transaction([
    prisma.rule.create({
      // connect: an unknown tenant fails as "not found" (P2025), not as a foreign key error.
      data: {
        tenant: { connect: { id: tenantId } },
        ruleId: rule.id,
        position,
        definition: JSON.stringify(rule),
      },
    }),
    adminActionRecord(prisma, admin, {
      action: 'rule.create',
      tenantId,
      target: rule.id,
      details: { position, rule },
    }),
    configChanged(prisma),
  ]);
}

/**
 * Replaces the rule `ruleId` (which keeps its place); `input.id` may rename it. P2025 when the
 * rule does not exist; ConflictError when the new id is taken.
 */
export async function updateRule(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  ruleId: string,
  input: RuleConfig,
): Promise<void> {
  const rule = RuleSchema.parse(input);
  if (rule.id !== ruleId && (await prisma.rule.findUnique({ where: key(tenantId, rule.id) })))
    throw new ConflictError(`A rule with id "${rule.id}" already exists`);
  await prisma.$transaction([
    prisma.rule.update({
      where: key(tenantId, ruleId),
      data: { ruleId: rule.id, definition: JSON.stringify(rule) },
    }),
    adminActionRecord(prisma, admin, {
      action: 'rule.update',
      tenantId,
      target: rule.id,
      details: rule.id === ruleId ? { rule } : { renamedFrom: ruleId, rule },
    }),
    configChanged(prisma),
  ]);
}

/** Deletes a rule (P2025 when unknown); the ones after it move up. */
export async function deleteRule(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  ruleId: string,
): Promise<void> {
  const remaining = (
    await prisma.rule.findMany({
      where: { tenantId },
      orderBy: { position: 'asc' },
      select: { ruleId: true },
    })
  )
    .map((r) => r.ruleId)
    .filter((id) => id !== ruleId);
  await prisma.$transaction([
    prisma.rule.delete({ where: key(tenantId, ruleId) }),
    ...positions(prisma, tenantId, remaining),
    adminActionRecord(prisma, admin, { action: 'rule.delete', tenantId, target: ruleId }),
    configChanged(prisma),
  ]);
}

/**
 * Puts the rules in the order of `ruleIds`, which must name every rule of the tenant exactly
 * once: a list made from a stale page (a rule added or deleted meanwhile) is a ConflictError.
 */
export async function reorderRules(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  ruleIds: string[],
): Promise<void> {
  const current = await prisma.rule.findMany({
    where: { tenantId },
    orderBy: { position: 'asc' },
    select: { ruleId: true },
  });
  const ids = current.map((r) => r.ruleId);
  const same =
    ruleIds.length === ids.length &&
    new Set(ruleIds).size === ruleIds.length &&
    ruleIds.every((id) => ids.includes(id));
  if (!same) throw new ConflictError('The rules changed meanwhile: reload and try again');
  if (ruleIds.every((id, i) => ids[i] === id)) return;
  await prisma.$transaction([
    ...positions(prisma, tenantId, ruleIds),
    adminActionRecord(prisma, admin, {
      action: 'rule.reorder',
      tenantId,
      details: { from: ids, to: ruleIds },
    }),
    configChanged(prisma),
  ]);
}

/** Updates that number the rules 0, 1, 2… in this order. */
function positions(prisma: Prisma, tenantId: string, ruleIds: string[]) {
  return ruleIds.map((ruleId, position) =>
    prisma.rule.update({ where: key(tenantId, ruleId), data: { position } }),
  );
}
