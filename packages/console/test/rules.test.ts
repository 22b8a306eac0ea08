import { type RuleConfig, RuleSchema } from '@sts/core';
import { NotFoundError } from '@sts/db';
import { describe, expect, it } from 'vitest';
import { createRule, previewRule, reorderRules, ruleOverview, withDraft } from '../src/rules';
import { useConsole } from './helpers';

const t = useConsole();

const rule = (id: string, input: Record<string, unknown> = {}): RuleConfig =>
  RuleSchema.parse({
    id,
    clients: ['gateway'],
    subjectIssuers: ['https://idp.example'],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
    ...input,
  });

describe('rules', () => {
  it('summarises and analyses the rules, and previews a draft in place', async () => {
    const owner = await t.tenant('acme');
    await createRule(t.ctx, owner, 'acme', rule('broad', { clients: ['*'] }));
    await createRule(t.ctx, owner, 'acme', rule('narrow'));
    const overview = await ruleOverview(t.ctx, 'acme');
    expect(overview.rules.map((r) => [r.rule.id, r.position])).toEqual([
      ['broad', 0],
      ['narrow', 1],
    ]);
    expect(overview.rules[1]?.headline).toBe(
      'Client gateway may get tokens for https://orders.example with scope orders:read on behalf of users of https://idp.example, acting as itself.',
    );
    expect(overview.findings).toEqual([
      expect.objectContaining({ ruleId: 'narrow', otherRuleId: 'broad', kind: 'unreachable' }),
    ]);
    expect(overview.source).toBe('console');
    await expect(ruleOverview(t.ctx, 'nope')).rejects.toThrow(NotFoundError);

    // The draft of "narrow" with another audience is no longer shadowed.
    const preview = await previewRule(
      t.ctx,
      'acme',
      rule('narrow', { audiences: ['https://billing.example'] }),
    );
    expect(preview.headline).toContain('for https://billing.example');
    expect(preview.findings).toEqual([]);
    // A new draft identical to "narrow" is shadowed by "broad" too.
    const copy = await previewRule(t.ctx, 'acme', rule('copy'));
    expect(copy.findings.map((f) => [f.ruleId, f.otherRuleId])).toEqual([['copy', 'broad']]);
  });

  it('records a reorder with the order before and after', async () => {
    const owner = await t.tenant('acme');
    await createRule(t.ctx, owner, 'acme', rule('a'));
    await createRule(t.ctx, owner, 'acme', rule('b'));
    await reorderRules(t.ctx, owner, 'acme', ['b', 'a']);
    const { items } = await t.ctx.db.adminActions.list('acme', { limit: 1 });
    expect(items[0]).toMatchObject({
      action: 'rule.reorder',
      details: { from: ['a', 'b'], to: ['b', 'a'] },
    });
  });
});

describe('withDraft', () => {
  const rules = [rule('a'), rule('b'), rule('c')];
  const ids = (list: RuleConfig[]) => list.map((r) => r.id);
  it('replaces the rule of the same id, or the one it edits, or appends', () => {
    expect(withDraft(rules, rule('b', { scopes: ['x'] }))[1]?.scopes).toEqual(['x']);
    expect(ids(withDraft(rules, rule('new')))).toEqual(['a', 'b', 'c', 'new']);
    expect(ids(withDraft(rules, rule('b-renamed'), 'b'))).toEqual(['a', 'b-renamed', 'c']);
    // Renamed onto another rule's id: that one goes, the draft takes the edited one's place.
    expect(ids(withDraft(rules, rule('c'), 'a'))).toEqual(['c', 'b']);
    expect(ids(withDraft(rules, rule('b'), 'unknown'))).toEqual(['a', 'b', 'c']);
  });
});
