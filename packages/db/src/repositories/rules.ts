import type { RuleConfig } from '@sts/core';
import { ConflictError } from '../errors';
import { type AdminChange, changeOps } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { toRule } from '../internal/mappers';
import { translated, whenBusyRetry } from '../internal/prisma-errors';

/**
 * A tenant's rules in evaluation order: one `rules` row per rule, `position` its place (0, 1, 2…
 * after every change), `definition` the JSON of the RuleConfig (validated when read back).
 */
export interface RuleRepository {
  list(tenantId: string): Promise<RuleConfig[]>;
  /** Appends the rule; ConflictError when its id is taken, NotFoundError for an unknown tenant. */
  create(tenantId: string, rule: RuleConfig, change: AdminChange): Promise<void>;
  /** Replaces the rule `ruleId` in its place (`rule.id` may rename it; ConflictError if taken). */
  update(tenantId: string, ruleId: string, rule: RuleConfig, change: AdminChange): Promise<void>;
  /** The rules after it move up. */
  delete(tenantId: string, ruleId: string, change: AdminChange): Promise<void>;
  /**
   * Puts the rules in the order of `ruleIds`, which must name every rule exactly once: a list
   * made from a stale view (a rule added or deleted meanwhile) is a ConflictError.
   */
  reorder(tenantId: string, ruleIds: readonly string[], change: AdminChange): Promise<void>;
}

const key = (tenantId: string, ruleId: string) => ({ tenantId_ruleId: { tenantId, ruleId } });

export function ruleRepository(h: Handles): RuleRepository {
  const { prisma } = h;
  const ids = async (tenantId: string) =>
    (
      await prisma.rule.findMany({
        where: { tenantId },
        orderBy: { position: 'asc' },
        select: { ruleId: true },
      })
    ).map((r) => r.ruleId);
  /** Updates that number the rules 0, 1, 2… in this order. */
  const positions = (tenantId: string, ruleIds: readonly string[]) =>
    ruleIds.map((ruleId, position) =>
      prisma.rule.update({ where: key(tenantId, ruleId), data: { position } }),
    );

  return {
    async list(tenantId) {
      const rows = await prisma.rule.findMany({
        where: { tenantId },
        orderBy: { position: 'asc' },
      });
      return rows.map(toRule);
    },
    async create(tenantId, rule, change) {
      const existing = await prisma.rule.findMany({
        where: { tenantId },
        select: { ruleId: true, position: true },
      });
      if (existing.some((r) => r.ruleId === rule.id)) throw new ConflictError('rule', rule.id);
      const position = existing.reduce((max, r) => Math.max(max, r.position + 1), 0);
      // connect: an unknown tenant is "not found" rather than a foreign key failure.
      await translated(
        'rule',
        rule.id,
        () =>
          prisma.$transaction([
            prisma.rule.create({
              data: {
                tenant: { connect: { id: tenantId } },
                ruleId: rule.id,
                position,
                definition: JSON.stringify(rule),
              },
            }),
            ...changeOps(h, change, tenantId),
          ]),
        ['tenant', tenantId],
      );
    },
    async update(tenantId, ruleId, rule, change) {
      if (rule.id !== ruleId && (await prisma.rule.findUnique({ where: key(tenantId, rule.id) })))
        throw new ConflictError('rule', rule.id);
      await translated('rule', ruleId, () =>
        prisma.$transaction([
          prisma.rule.update({
            where: key(tenantId, ruleId),
            data: { ruleId: rule.id, definition: JSON.stringify(rule) },
          }),
          ...changeOps(h, change, tenantId),
        ]),
      );
    },
    async delete(tenantId, ruleId, change) {
      const remaining = (await ids(tenantId)).filter((id) => id !== ruleId);
      await translated('rule', ruleId, () =>
        prisma.$transaction([
          prisma.rule.delete({ where: key(tenantId, ruleId) }),
          ...positions(tenantId, remaining),
          ...changeOps(h, change, tenantId),
        ]),
      );
    },
    async reorder(tenantId, ruleIds, change) {
      const current = await ids(tenantId);
      const same =
        ruleIds.length === current.length &&
        new Set(ruleIds).size === ruleIds.length &&
        ruleIds.every((id) => current.includes(id));
      if (!same)
        throw new ConflictError(
          'rule',
          undefined,
          'The rules changed meanwhile: reload and try again',
        );
      if (ruleIds.every((id, i) => current[i] === id)) return;
      await whenBusyRetry(() =>
        prisma.$transaction([...positions(tenantId, ruleIds), ...changeOps(h, change, tenantId)]),
      );
    },
  };
}
