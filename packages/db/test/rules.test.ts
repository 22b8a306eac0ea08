import { type RuleConfig, RuleSchema } from '@sts/core';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

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
const byOwner = (action: string, target?: string) => change(action, { tenantId: 'acme', target });
const positions = () => t.query('SELECT rule_id, position FROM rules ORDER BY position');

describe('rules', () => {
  it('stores rules the way the STS loads them, in evaluation order', async () => {
    await addTenant(t.db, 'acme');
    const before = await t.db.config.version();
    await t.db.rules.create('acme', rule('first', { maxTtlSeconds: 60 }), byOwner('rule.create'));
    await t.db.rules.create(
      'acme',
      rule('second', { mode: 'impersonation', actors: [] }),
      byOwner('rule.create'),
    );
    expect(await t.db.config.version()).toBe(before + 2);
    const loaded = await t.db.config.loadTenant('acme', 'https://sts.example.test');
    expect(loaded.tenant.rules).toEqual([
      rule('first', { maxTtlSeconds: 60 }),
      rule('second', { mode: 'impersonation', actors: [] }),
    ]);
    expect(await t.db.rules.list('acme')).toEqual(loaded.tenant.rules);
    expect(await positions()).toEqual([
      { rule_id: 'first', position: 0 },
      { rule_id: 'second', position: 1 },
    ]);
  });

  it('updates (and renames) in place, reorders, deletes and renumbers', async () => {
    await addTenant(t.db, 'acme');
    for (const id of ['a', 'b', 'c'])
      await t.db.rules.create('acme', rule(id), byOwner('rule.create'));
    await t.db.rules.update('acme', 'b', rule('b2', { scopes: [] }), byOwner('rule.update'));
    expect((await t.db.rules.list('acme')).map((r) => [r.id, r.scopes])).toEqual([
      ['a', ['orders:read']],
      ['b2', []],
      ['c', ['orders:read']],
    ]);
    await t.db.rules.reorder('acme', ['c', 'a', 'b2'], byOwner('rule.reorder'));
    expect((await t.db.rules.list('acme')).map((r) => r.id)).toEqual(['c', 'a', 'b2']);
    await t.db.rules.delete('acme', 'c', byOwner('rule.delete'));
    expect(await positions()).toEqual([
      { rule_id: 'a', position: 0 },
      { rule_id: 'b2', position: 1 },
    ]);
    const { items } = await t.db.adminActions.list('acme', { limit: 10 });
    expect(items.map((a) => a.action).slice(0, 3)).toEqual([
      'rule.delete',
      'rule.reorder',
      'rule.update',
    ]);

    // The same order again changes nothing and records nothing.
    const version = await t.db.config.version();
    await t.db.rules.reorder('acme', ['a', 'b2'], byOwner('rule.reorder'));
    expect(await t.db.config.version()).toBe(version);
  });

  it('refuses taken ids, stale orders, unknown rules and tenants, writing nothing', async () => {
    await addTenant(t.db, 'acme');
    await t.db.rules.create('acme', rule('a'), byOwner('rule.create'));
    await t.db.rules.create('acme', rule('b'), byOwner('rule.create'));
    const version = await t.db.config.version();
    await expect(t.db.rules.create('acme', rule('a'), byOwner('rule.create'))).rejects.toThrow(
      ConflictError,
    );
    await expect(t.db.rules.update('acme', 'a', rule('b'), byOwner('rule.update'))).rejects.toThrow(
      ConflictError,
    );
    await expect(t.db.rules.reorder('acme', ['a'], byOwner('rule.reorder'))).rejects.toThrow(
      'The rules changed meanwhile: reload and try again',
    );
    await expect(t.db.rules.reorder('acme', ['a', 'a'], byOwner('rule.reorder'))).rejects.toThrow(
      ConflictError,
    );
    await expect(
      t.db.rules.update('acme', 'zz', rule('zz'), byOwner('rule.update')),
    ).rejects.toThrow(NotFoundError);
    await expect(t.db.rules.delete('acme', 'zz', byOwner('rule.delete'))).rejects.toThrow(
      NotFoundError,
    );
    await expect(t.db.rules.create('nowhere', rule('x'), byOwner('rule.create'))).rejects.toThrow(
      NotFoundError,
    );
    expect(await t.db.config.version()).toBe(version);
    expect(await positions()).toEqual([
      { rule_id: 'a', position: 0 },
      { rule_id: 'b', position: 1 },
    ]);
  });
});
