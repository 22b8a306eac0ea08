import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;

// A fresh database per test: each test passes alone and in any order.
beforeEach(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
  for (const id of ['acme', 'globex'])
    await t.as(owner).tenant.create({
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
});
afterEach(async () => {
  await t?.close();
});

const IDP = 'https://idp.example';
/** The rules the first test leaves behind, for the tests that start from them. */
async function ordersAndBilling() {
  await t.as(owner).rule.create({ tenantId: 'acme', ...rule('orders') });
  await t.as(owner).rule.create({
    tenantId: 'acme',
    ...rule('billing-v2', { audiences: ['https://billing.example'] }),
  });
}
const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  clients: ['gateway'],
  subjectIssuers: [IDP],
  mode: 'delegation' as const,
  actors: ['client' as const],
  audiences: ['https://orders.example'],
  scopes: ['orders:read'],
  ...extra,
});
const ids = async (tenantId: string) =>
  (await t.as(owner).rule.list({ tenantId })).rules.map((r) => r.rule.id);
/** The tenant's rule.* admin actions, oldest first. */
const actions = async (tenantId: string) =>
  (await t.console.db.adminActions.list(tenantId, { limit: 1000 })).items
    .filter((a) => a.action.startsWith('rule.'))
    .reverse();
/** Every stored rule of the test's tenants. */
const ruleCount = async () =>
  (await Promise.all(['acme', 'globex'].map((id) => t.console.db.rules.list(id)))).flat().length;

/** The zod issue paths of a BAD_REQUEST. */
async function badRequestPaths(call: Promise<unknown>): Promise<string[]> {
  const err = (await call.then(
    () => {
      throw new Error('expected BAD_REQUEST');
    },
    (e: unknown) => e,
  )) as { code?: string; cause?: { issues?: { path: PropertyKey[] }[] } };
  expect(err.code).toBe('BAD_REQUEST');
  return (err.cause?.issues ?? []).map((i) => i.path.map(String).join('.'));
}

describe('rule router (real database)', () => {
  it('creates, lists (with summaries), updates, reorders and deletes rules, recording each action', async () => {
    const version = await t.console.db.config.version();
    await t.as(owner).rule.create({ tenantId: 'acme', ...rule('orders') });
    await t.as(owner).rule.create({
      tenantId: 'acme',
      ...rule('billing', { audiences: ['https://billing.example'], scopes: ['bill'] }),
    });
    await t.as(owner).rule.create({
      tenantId: 'acme',
      ...rule('imp', { mode: 'impersonation', actors: [], audiences: ['https://x.example'] }),
    });
    expect(await t.console.db.config.version()).toBe(version + 3);

    const listed = await t.as(owner).rule.list({ tenantId: 'acme' });
    expect(listed.rules.map((r) => [r.rule.id, r.position])).toEqual([
      ['orders', 0],
      ['billing', 1],
      ['imp', 2],
    ]);
    expect(listed.rules[0]?.headline).toBe(
      'Client gateway may get tokens for https://orders.example with scope orders:read on behalf of users of https://idp.example, acting as itself.',
    );
    // Defaults filled in, as the STS configuration file would have them.
    expect(listed.rules[0]?.rule).toMatchObject({
      disabled: false,
      scopeMode: 'narrow',
      maxChainDepth: 1,
      requestedTokenTypes: ['urn:ietf:params:oauth:token-type:access_token'],
    });

    await t.as(owner).rule.update({
      tenantId: 'acme',
      ruleId: 'billing',
      ...rule('billing-v2', { audiences: ['https://billing.example'], scopes: ['bill'] }),
    });
    await t.as(owner).rule.reorder({ tenantId: 'acme', ruleIds: ['imp', 'orders', 'billing-v2'] });
    expect(await ids('acme')).toEqual(['imp', 'orders', 'billing-v2']);
    await t.as(owner).rule.delete({ tenantId: 'acme', ruleId: 'imp' });
    expect(await ids('acme')).toEqual(['orders', 'billing-v2']);

    // What the STS loads (on its next config_version poll) is what the console shows.
    const loaded = await t.console.db.config.loadTenant('acme', 'http://sts.test');
    expect(loaded?.tenant.rules.map((r) => r.id)).toEqual(['orders', 'billing-v2']);
    expect(loaded?.tenant.rules[1]).toEqual(
      (await t.as(owner).rule.list({ tenantId: 'acme' })).rules[1]?.rule,
    );

    expect((await actions('acme')).map((a) => [a.action, a.target, a.actorEmail])).toEqual([
      ['rule.create', 'orders', owner.email],
      ['rule.create', 'billing', owner.email],
      ['rule.create', 'imp', owner.email],
      ['rule.update', 'billing-v2', owner.email],
      ['rule.reorder', null, owner.email],
      ['rule.delete', 'imp', owner.email],
    ]);
  });

  it('validates with the configuration schema and checkRule, saving nothing on bad input', async () => {
    await ordersAndBilling();
    const before = await ruleCount();
    expect(
      await badRequestPaths(t.as(owner).rule.create({ tenantId: 'acme', ...rule('Bad Id') })),
    ).toEqual(['id']);
    expect(
      await badRequestPaths(
        t.as(owner).rule.create({ tenantId: 'acme', ...rule('x', { actors: [] }) }),
      ),
    ).toEqual(['actors']);
    expect(
      await badRequestPaths(
        t.as(owner).rule.create({
          tenantId: 'acme',
          ...rule('x', { defaultAudiences: ['https://elsewhere.example'] }),
        }),
      ),
    ).toEqual(['defaultAudiences.0']);
    expect(
      await badRequestPaths(
        t.as(owner).rule.create({
          tenantId: 'acme',
          ...rule('x', { audiencePrefixes: ['https://api.example'], clients: [] }),
        }),
      ),
    ).toEqual(['clients', 'audiencePrefixes.0']);
    await expect(
      t.as(owner).rule.update({
        tenantId: 'acme',
        ruleId: 'orders',
        ...rule('orders', { mode: 'impersonation' }),
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await ruleCount()).toBe(before);
    expect((await t.as(owner).rule.list({ tenantId: 'acme' })).rules[0]?.rule.mode).toBe(
      'delegation',
    );
  });

  it('answers CONFLICT for a taken id and a stale order, NOT_FOUND for an unknown rule', async () => {
    await ordersAndBilling();
    await expect(
      t.as(owner).rule.create({ tenantId: 'acme', ...rule('orders') }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      t.as(owner).rule.update({ tenantId: 'acme', ruleId: 'orders', ...rule('billing-v2') }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      t.as(owner).rule.reorder({ tenantId: 'acme', ruleIds: ['orders'] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      t.as(owner).rule.update({ tenantId: 'acme', ruleId: 'nope', ...rule('nope') }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.as(owner).rule.delete({ tenantId: 'acme', ruleId: 'nope' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.as(owner).rule.create({ tenantId: 'no-such-tenant', ...rule('x') }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.as(owner).rule.list({ tenantId: 'no-such-tenant' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reports analysis findings and previews a draft as it is typed', async () => {
    await t.as(owner).rule.create({
      tenantId: 'globex',
      ...rule('any-client', { clients: ['*'] }),
    });
    await t.as(owner).rule.create({ tenantId: 'globex', ...rule('gateway-only') });
    const listed = await t.as(owner).rule.list({ tenantId: 'globex' });
    expect(listed.findings).toEqual([
      expect.objectContaining({
        ruleId: 'gateway-only',
        otherRuleId: 'any-client',
        kind: 'unreachable',
      }),
    ]);

    // A half-typed draft (no client yet, a prefix without its "/") still gets a summary.
    const preview = await t.as(owner).rule.preview({
      tenantId: 'globex',
      replaces: 'gateway-only',
      draft: {
        ...rule('gateway-only'),
        clients: [],
        audiences: [],
        audiencePrefixes: ['https://api.example'],
      },
    });
    expect(preview.headline).toContain('No client (the rule names none)');
    expect(preview.headline).toContain('anything under https://api.example');
    expect(preview.findings).toEqual([
      expect.objectContaining({ ruleId: 'gateway-only', kind: 'unreachable' }),
    ]);
  });

  it('keeps tenant admins to their tenants and viewers read-only', async () => {
    const admin = await t.admin('tenant_admin', ['acme']);
    const viewer = await t.admin('viewer', ['acme']);
    const before = await ruleCount();

    // Another tenant: NOT_FOUND for everything, so its existence does not leak.
    for (const call of [
      () => t.as(admin).rule.list({ tenantId: 'globex' }),
      () => t.as(admin).rule.preview({ tenantId: 'globex', draft: rule('x') }),
      () => t.as(admin).rule.create({ tenantId: 'globex', ...rule('x') }),
      () => t.as(admin).rule.update({ tenantId: 'globex', ruleId: 'any-client', ...rule('x') }),
      () => t.as(admin).rule.delete({ tenantId: 'globex', ruleId: 'any-client' }),
      () =>
        t.as(admin).rule.reorder({ tenantId: 'globex', ruleIds: ['gateway-only', 'any-client'] }),
      () => t.as(viewer).rule.list({ tenantId: 'globex' }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Its own tenant: the tenant admin writes, the viewer reads only.
    await t.as(admin).rule.create({ tenantId: 'acme', ...rule('by-admin', { scopes: ['x'] }) });
    expect(await ids('acme')).toContain('by-admin');
    expect((await t.as(viewer).rule.list({ tenantId: 'acme' })).rules.length).toBeGreaterThan(0);
    expect(
      (await t.as(viewer).rule.preview({ tenantId: 'acme', draft: rule('x') })).headline,
    ).toContain('Client gateway');
    for (const call of [
      () => t.as(viewer).rule.create({ tenantId: 'acme', ...rule('by-viewer') }),
      () => t.as(viewer).rule.update({ tenantId: 'acme', ruleId: 'by-admin', ...rule('by-admin') }),
      () => t.as(viewer).rule.delete({ tenantId: 'acme', ruleId: 'by-admin' }),
      async () => t.as(viewer).rule.reorder({ tenantId: 'acme', ruleIds: await ids('acme') }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.as(null).rule.list({ tenantId: 'acme' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await ruleCount()).toBe(before + 1);
    const all = [
      ...(await t.console.db.adminActions.list('acme', { limit: 1000 })).items,
      ...(await t.console.db.adminActions.list('globex', { limit: 1000 })).items,
    ];
    expect(all.filter((a) => a.actorEmail === viewer.email)).toEqual([]);
  });
});
