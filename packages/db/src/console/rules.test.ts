import { type RuleConfig, RuleSchema } from '@sts/core';
import { describe, expect, it } from 'vitest';
import { loadTenants, readConfigVersion } from '../repositories/config';
import { useTempDatabase } from '../test/temp-database';
import { type Admin, createAdminUser } from './admin-users';
import {
  createRule,
  deleteRule,
  listRules,
  previewRule,
  reorderRules,
  ruleOverview,
  updateRule,
  withDraft,
} from './rules';

const t = useTempDatabase();
const ISSUER = 'https://sts.example.test/t/acme';

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

async function setup(): Promise<Admin> {
  const { prisma } = t.db;
  await prisma.tenant.create({
    data: {
      id: 'acme',
      displayName: 'Acme',
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
      source: 'console',
    },
  });
  return createAdminUser(prisma, { email: 'ada@example.test', role: 'owner' });
}

describe('console rules', () => {
  it('stores rules the way the STS loads them, in evaluation order', async () => {
    const admin = await setup();
    const { prisma } = t.db;
    const before = readConfigVersion(t.db);
    await createRule(prisma, admin, 'acme', rule('first', { maxTtlSeconds: 60 }));
    await createRule(prisma, admin, 'acme', rule('second', { mode: 'impersonation', actors: [] }));
    expect(readConfigVersion(t.db)).toBe(before + 2);

    const [loaded] = await loadTenants(t.db, 'https://sts.example.test');
    expect(loaded?.tenant.rules).toEqual([
      rule('first', { maxTtlSeconds: 60 }),
      rule('second', { mode: 'impersonation', actors: [] }),
    ]);
    const rows = await prisma.rule.findMany({ orderBy: { position: 'asc' } });
    expect(rows.map((r) => [r.ruleId, r.position])).toEqual([
      ['first', 0],
      ['second', 1],
    ]);
    expect(JSON.parse(rows[0]?.definition ?? '')).toEqual(rule('first', { maxTtlSeconds: 60 }));
  });

  it('updates (and renames) in place, reorders, deletes and renumbers, recording each change', async () => {
    const admin = await setup();
    const { prisma } = t.db;
    for (const id of ['a', 'b', 'c']) await createRule(prisma, admin, 'acme', rule(id));
    await updateRule(prisma, admin, 'acme', 'b', rule('b2', { scopes: ['x'] }));
    expect((await listRules(prisma, 'acme')).map((r) => r.id)).toEqual(['a', 'b2', 'c']);
    await expect(updateRule(prisma, admin, 'acme', 'a', rule('c'))).rejects.toThrow(
      'A rule with id "c" already exists',
    );
    await expect(createRule(prisma, admin, 'acme', rule('a'))).rejects.toThrow('already exists');

    await reorderRules(prisma, admin, 'acme', ['c', 'a', 'b2']);
    expect((await listRules(prisma, 'acme')).map((r) => r.id)).toEqual(['c', 'a', 'b2']);
    await expect(reorderRules(prisma, admin, 'acme', ['c', 'a'])).rejects.toThrow(
      'The rules changed meanwhile',
    );
    await expect(reorderRules(prisma, admin, 'acme', ['c', 'a', 'a'])).rejects.toThrow(
      'The rules changed meanwhile',
    );

    await deleteRule(prisma, admin, 'acme', 'c');
    const rows = await prisma.rule.findMany({ orderBy: { position: 'asc' } });
    expect(rows.map((r) => [r.ruleId, r.position])).toEqual([
      ['a', 0],
      ['b2', 1],
    ]);
    await createRule(prisma, admin, 'acme', rule('d'));
    expect((await listRules(prisma, 'acme')).map((r) => r.id)).toEqual(['a', 'b2', 'd']);

    const actions = await prisma.adminAction.findMany({ orderBy: { id: 'asc' } });
    expect(actions.map((a) => [a.action, a.target])).toEqual([
      ['rule.create', 'a'],
      ['rule.create', 'b'],
      ['rule.create', 'c'],
      ['rule.update', 'b2'],
      ['rule.reorder', null],
      ['rule.delete', 'c'],
      ['rule.create', 'd'],
    ]);
    expect(JSON.parse(actions[3]?.details ?? '')).toMatchObject({ renamedFrom: 'b' });
    expect(JSON.parse(actions[4]?.details ?? '')).toEqual({
      from: ['a', 'b2', 'c'],
      to: ['c', 'a', 'b2'],
    });
  });

  it('refuses an unknown tenant or rule without writing anything', async () => {
    const admin = await setup();
    const { prisma } = t.db;
    await expect(createRule(prisma, admin, 'nope', rule('a'))).rejects.toMatchObject({
      code: 'P2025',
    });
    await expect(updateRule(prisma, admin, 'acme', 'nope', rule('a'))).rejects.toMatchObject({
      code: 'P2025',
    });
    await expect(deleteRule(prisma, admin, 'acme', 'nope')).rejects.toMatchObject({
      code: 'P2025',
    });
    expect(await prisma.rule.count()).toBe(0);
    expect(await prisma.adminAction.count()).toBe(0);
  });

  it('summarises and analyses the rules, and previews a draft in place', async () => {
    const admin = await setup();
    const { prisma } = t.db;
    await createRule(prisma, admin, 'acme', rule('broad', { clients: ['*'] }));
    await createRule(prisma, admin, 'acme', rule('narrow'));
    const overview = await ruleOverview(prisma, 'acme', ISSUER);
    expect(overview?.rules.map((r) => [r.rule.id, r.position])).toEqual([
      ['broad', 0],
      ['narrow', 1],
    ]);
    expect(overview?.rules[1]?.headline).toBe(
      'Client gateway may get tokens for https://orders.example with scope orders:read on behalf of users of https://idp.example, acting as itself.',
    );
    expect(overview?.findings).toEqual([
      expect.objectContaining({ ruleId: 'narrow', otherRuleId: 'broad', kind: 'unreachable' }),
    ]);
    expect(await ruleOverview(prisma, 'nope', ISSUER)).toBeNull();

    // The draft of "narrow" with another audience is no longer shadowed.
    const preview = await previewRule(
      prisma,
      'acme',
      ISSUER,
      rule('narrow', { audiences: ['https://billing.example'] }),
    );
    expect(preview?.headline).toContain('for https://billing.example');
    expect(preview?.findings).toEqual([]);
    // A new draft identical to "narrow" is shadowed by "broad" too.
    const copy = await previewRule(prisma, 'acme', ISSUER, rule('copy'));
    expect(copy?.findings.map((f) => [f.ruleId, f.otherRuleId])).toEqual([['copy', 'broad']]);
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
