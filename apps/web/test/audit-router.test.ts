import { type AuditRecord, createTenant } from '@sts/console';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

/** The console's clock: the time its routers read, and the time records are written at. */
const NOW = Date.UTC(2030, 0, 15, 12, 30, 0);
let clock = NOW;

let t: RouterTestDb;
beforeAll(async () => {
  t = await routerTestDb({ clock: () => clock });
});
afterAll(async () => {
  await t?.close();
});

/**
 * Two new tenants per test, so tests share the database without interfering (memberships need
 * the tenant rows; audit records do not, they outlive tenants).
 */
let n = 0;
async function tenantIds() {
  n++;
  const ids = { mine: `mine-${n}`, theirs: `theirs-${n}` };
  const owner = await t.admin('owner');
  for (const id of Object.values(ids))
    await createTenant(t.console, owner, {
      id,
      displayName: `Tenant ${id}`,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
  return ids;
}

const granted = (tenantId: string, over: Partial<AuditRecord> = {}): AuditRecord => ({
  tenantId,
  clientId: 'gateway',
  subjectIssuer: 'https://idp.example',
  subjectSub: 'alice',
  actorChain: [],
  requestedAudiences: ['https://orders.example'],
  requestedScope: 'orders:read orders:write',
  grantedAudiences: ['https://orders.example'],
  grantedScope: 'orders:read',
  decision: 'granted',
  ruleId: 'gateway-orders',
  jti: 'jti-granted',
  trace: [
    { step: 'subject_token', check: 'validated', outcome: 'pass', message: 'valid' },
    {
      step: 'policy',
      check: 'decision',
      outcome: 'pass',
      message: 'granted by rule gateway-orders',
    },
  ],
  ...over,
});

const denied = (tenantId: string, over: Partial<AuditRecord> = {}): AuditRecord =>
  granted(tenantId, {
    decision: 'denied',
    grantedAudiences: [],
    grantedScope: undefined,
    ruleId: undefined,
    jti: undefined,
    errorCode: 'invalid_target',
    reason: 'policy.target',
    errorDetail: 'rule gateway-orders: audience https://billing.example is not allowed',
    requestedAudiences: ['https://billing.example'],
    trace: [
      {
        step: 'rule:gateway-orders',
        check: 'target',
        outcome: 'fail',
        message: 'audience https://billing.example is not allowed',
      },
      { step: 'policy', check: 'decision', outcome: 'fail', message: 'denied: no rule matched' },
    ],
    ...over,
  });

/**
 * Writes records as the STS does (ids are monotonic: events written in the same millisecond
 * sort in write order), at `at`; the console's clock then reads NOW again.
 */
async function write(at: number, ...records: AuditRecord[]) {
  clock = at;
  // The writer reads the clock as each write is called: the records commit together after.
  const writes = records.map((r) => t.console.db.audit.write(r));
  clock = NOW;
  await Promise.all(writes);
}

describe('audit router (real database)', () => {
  it('refuses signed-out callers', async () => {
    await expect(t.as(null).audit.list({ tenantId: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('lists events newest first, each filter narrowing', async () => {
    const { mine, theirs } = await tenantIds();
    await write(NOW - 5000, granted(mine, { subjectSub: 'a' }));
    await write(NOW - 4000, granted(mine, { subjectSub: 'b', clientId: 'batch' }));
    await write(NOW - 3000, denied(mine, { subjectSub: 'c' }));
    await write(NOW - 2000, denied(mine, { subjectSub: 'd', errorCode: 'invalid_request' }));
    await write(
      NOW - 1000,
      granted(mine, { subjectSub: 'e', subjectIssuer: 'https://other.example' }),
    );
    await write(NOW, granted(theirs, { subjectSub: 'a' }));
    const admin = await t.admin('tenant_admin', [mine]);
    const subs = async (filter: Record<string, unknown> = {}) =>
      (await t.as(admin).audit.list({ tenantId: mine, filter })).items.map((e) => e.subjectSub);

    expect(await subs()).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await subs({ from: new Date(NOW - 4000), to: new Date(NOW - 2000) })).toEqual([
      'c',
      'b',
    ]);
    expect(await subs({ clientId: 'batch' })).toEqual(['b']);
    expect(await subs({ subject: 'a' })).toEqual(['a']);
    expect(await subs({ issuer: 'https://other.example' })).toEqual(['e']);
    expect(await subs({ subject: 'e', issuer: 'https://other.example' })).toEqual(['e']);
    expect(await subs({ subject: 'e', issuer: 'https://idp.example' })).toEqual([]);
    expect(await subs({ audience: 'https://billing.example' })).toEqual(['d', 'c']);
    expect(await subs({ audience: 'https://orders.example' })).toEqual(['e', 'b', 'a']);
    expect(await subs({ decision: 'denied' })).toEqual(['d', 'c']);
    expect(await subs({ decision: 'granted' })).toEqual(['e', 'b', 'a']);
    expect(await subs({ errorCode: 'invalid_target' })).toEqual(['c']);
    expect(await subs({ decision: 'granted', clientId: 'gateway' })).toEqual(['e', 'a']);

    const [first] = (await t.as(admin).audit.list({ tenantId: mine })).items;
    expect(first).toMatchObject({
      createdAt: new Date(NOW - 1000),
      clientId: 'gateway',
      subjectIssuer: 'https://other.example',
      requestedScope: 'orders:read orders:write',
      grantedScope: 'orders:read',
      decision: 'granted',
      ruleId: 'gateway-orders',
    });
    // The table gets no trace and no error detail; the detail view does.
    expect(first).not.toHaveProperty('trace');
    expect(first).not.toHaveProperty('errorDetail');
  });

  it('rejects bad filters with BAD_REQUEST', async () => {
    const owner = await t.admin('owner');
    const bad = [
      { filter: { decision: 'maybe' } },
      { filter: { from: new Date(NOW), to: new Date(NOW - 1) } },
      { filter: { clientId: '' } },
      { filter: { subject: 'x'.repeat(2000) } },
      { pageSize: 1000 },
      { before: 'A', after: 'B' },
    ];
    for (const input of bad)
      await expect(
        t.as(owner).audit.list({ tenantId: 'any', ...(input as object) }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      t.as(owner).audit.stats({ tenantId: 'any', range: '1y' as '24h' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('treats quotes, wildcards and SQL in filters as literal text', async () => {
    const { mine } = await tenantIds();
    const evil = `'); DROP TABLE "audit_events"; --`;
    await write(
      NOW,
      granted(mine, { subjectSub: 'a%b', clientId: "o'brien", requestedAudiences: ['_'] }),
    );
    await write(
      NOW,
      granted(mine, { subjectSub: 'aXb', clientId: 'obrien', requestedAudiences: ['z'] }),
    );
    await write(
      NOW,
      granted(mine, { subjectSub: evil, clientId: evil, requestedAudiences: [evil] }),
    );
    const owner = await t.admin('owner');
    const subs = async (filter: Record<string, unknown>) =>
      (await t.as(owner).audit.list({ tenantId: mine, filter })).items.map((e) => e.subjectSub);

    // Ids match by part: '%' finds the one subject that contains it, and no other.
    expect(await subs({ subject: '%' })).toEqual(['a%b']);
    expect(await subs({ subject: 'a_b' })).toEqual([]);
    expect(await subs({ text: '%' })).toEqual([]);
    expect(await subs({ subject: 'a%b' })).toEqual(['a%b']);
    expect(await subs({ clientId: "o'brien" })).toEqual(['a%b']);
    expect(await subs({ clientId: "' OR '1'='1" })).toEqual([]);
    // '_' is a plain character: the audiences '_' and the one holding "audit_events".
    expect(await subs({ audience: '_' })).toEqual([evil, 'a%b']);
    expect(await subs({ audience: '%' })).toEqual([]);
    expect(await subs({ audience: '"]' })).toEqual([]);
    expect(await subs({ subject: evil })).toEqual([evil]);
    expect(await subs({ clientId: evil, audience: evil, errorCode: evil })).toEqual([]);
    expect(await subs({})).toHaveLength(3);
  });

  it('pages completely and stably, in both directions', async () => {
    const { mine } = await tenantIds();
    // Four events per millisecond: ties on the timestamp are ordered by the monotonic id.
    for (let i = 0; i < 57; i++)
      await write(NOW - 100 + Math.floor(i / 4), granted(mine, { subjectSub: `s${i}` }));
    const viewer = await t.admin('viewer', [mine]);
    const api = t.as(viewer).audit;

    const seen: string[] = [];
    const cursors: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await api.list({ tenantId: mine, pageSize: 25, before });
      seen.push(...page.items.map((e) => e.subjectSub ?? ''));
      expect(page.newer === null).toBe(before === undefined);
      // A new event while paging changes nothing for the pages that follow.
      await write(NOW + 1000, granted(mine, { subjectSub: 'late' }));
      if (!page.older) break;
      cursors.push(page.older);
      before = page.older;
    }
    expect(seen).toEqual(Array.from({ length: 57 }, (_, i) => `s${56 - i}`));
    expect(new Set(seen).size).toBe(57);

    // 50 per page: two pages, the second holding the rest.
    const big = await api.list({ tenantId: mine, pageSize: 50, filter: { to: new Date(NOW) } });
    expect(big.items).toHaveLength(50);
    const rest = await api.list({
      tenantId: mine,
      pageSize: 50,
      filter: { to: new Date(NOW) },
      before: big.older ?? '',
    });
    expect(rest.items.map((e) => e.subjectSub)).toEqual(seen.slice(50));
    expect(rest.older).toBeNull();

    // Newer from the second page's first event: exactly the first page again.
    const second = await api.list({ tenantId: mine, pageSize: 25, before: cursors[0] });
    const back = await api.list({ tenantId: mine, pageSize: 25, after: second.newer ?? '' });
    expect(back.items.map((e) => e.subjectSub)).toEqual(seen.slice(0, 25));
    expect(back.newer).not.toBeNull(); // the events written while paging
  });

  it('returns one event with its trace, actor chain, jti and error detail', async () => {
    const { mine } = await tenantIds();
    await write(
      NOW,
      granted(mine, {
        actorChain: [
          { sub: 'svc-frontend', iss: 'https://idp.example' },
          { sub: 'svc-edge', iss: 'https://idp.example' },
        ],
        jti: 'jti-42',
      }),
    );
    await write(NOW + 1, denied(mine));
    const viewer = await t.admin('viewer', [mine]);
    const [deniedSummary, grantedSummary] = (await t.as(viewer).audit.list({ tenantId: mine }))
      .items;

    const g = await t.as(viewer).audit.get({ tenantId: mine, eventId: grantedSummary?.id ?? '' });
    expect(g).toMatchObject({
      tenantId: mine,
      jti: 'jti-42',
      actorChain: [{ sub: 'svc-frontend' }, { sub: 'svc-edge' }],
      trace: [
        { step: 'subject_token', outcome: 'pass' },
        { step: 'policy', outcome: 'pass' },
      ],
    });
    expect(g.createdAt).toEqual(new Date(NOW));

    const d = await t.as(viewer).audit.get({ tenantId: mine, eventId: deniedSummary?.id ?? '' });
    expect(d).toMatchObject({
      decision: 'denied',
      errorCode: 'invalid_target',
      reason: 'policy.target',
      errorDetail: 'rule gateway-orders: audience https://billing.example is not allowed',
      trace: [{ step: 'rule:gateway-orders', check: 'target', outcome: 'fail' }, {}],
    });

    await expect(
      t.as(viewer).audit.get({ tenantId: mine, eventId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never shows another tenant: NOT_FOUND for its tenant id, and for its event ids', async () => {
    const { mine, theirs } = await tenantIds();
    await write(NOW, granted(mine), granted(theirs, { subjectSub: 'secret-subject' }));
    const admin = await t.admin('tenant_admin', [mine]);
    const viewer = await t.admin('viewer', [mine]);
    const owner = await t.admin('owner');
    const [theirEvent] = (await t.as(owner).audit.list({ tenantId: theirs })).items;
    expect(theirEvent?.subjectSub).toBe('secret-subject');

    for (const who of [admin, viewer]) {
      const api = t.as(who).audit;
      await expect(api.list({ tenantId: theirs })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(api.stats({ tenantId: theirs })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(api.adminActions({ tenantId: theirs })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(
        api.get({ tenantId: theirs, eventId: theirEvent?.id ?? '' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Their event id asked for through my tenant: not found either.
      await expect(
        api.get({ tenantId: mine, eventId: theirEvent?.id ?? '' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Their event id as a page cursor positions nothing.
      expect(await api.list({ tenantId: mine, before: theirEvent?.id })).toEqual({
        items: [],
        older: null,
        newer: null,
      });
      const mineOnly = await api.list({ tenantId: mine });
      expect(mineOnly.items.map((e) => e.subjectSub)).toEqual(['alice']);
      const stats = await api.stats({ tenantId: mine });
      expect(stats.totals).toEqual({ granted: 1, denied: 0 });
    }
  });

  it('aggregates the dashboard per hour and per day, with top reasons and clients', async () => {
    const { mine, theirs } = await tenantIds();
    const hour = 3_600_000;
    const thisHour = Math.floor(NOW / hour) * hour;
    await write(thisHour + 1, granted(mine), granted(mine), denied(mine));
    await write(
      thisHour - 2 * hour,
      denied(mine, { clientId: 'batch' }),
      denied(mine, {
        clientId: 'batch',
        errorCode: 'invalid_request',
        reason: 'subject_token.algorithm',
        errorDetail: 'alg "HS256" is never accepted',
        trace: [{ step: 'subject_token', check: 'algorithm', outcome: 'fail', message: 'no' }],
      }),
    );
    await write(thisHour - 30 * hour, granted(mine, { clientId: 'batch' })); // 30 h ago: not in 24 h
    await write(thisHour, denied(theirs), denied(theirs), denied(theirs));
    const viewer = await t.admin('viewer', [mine]);

    const day = await t.as(viewer).audit.stats({ tenantId: mine, range: '24h' });
    expect(day.bucket).toBe('hour');
    expect(day.series).toHaveLength(24);
    expect(day.series.at(-1)).toEqual({ start: new Date(thisHour), granted: 2, denied: 1 });
    expect(day.series.at(-3)).toEqual({
      start: new Date(thisHour - 2 * hour),
      granted: 0,
      denied: 2,
    });
    expect(day.series.filter((b) => b.granted + b.denied > 0)).toHaveLength(2);
    expect(day.totals).toEqual({ granted: 2, denied: 3 });
    expect(day.topErrorCodes).toEqual([
      { errorCode: 'invalid_target', count: 2 },
      { errorCode: 'invalid_request', count: 1 },
    ]);
    expect(day.topReasons).toEqual([
      {
        reason: 'policy.target',
        errorCode: 'invalid_target',
        count: 2,
        example: 'rule gateway-orders: audience https://billing.example is not allowed',
      },
      {
        reason: 'subject_token.algorithm',
        errorCode: 'invalid_request',
        count: 1,
        example: 'alg "HS256" is never accepted',
      },
    ]);
    expect(day.topClients).toEqual([
      { clientId: 'gateway', total: 3, denied: 1 },
      { clientId: 'batch', total: 2, denied: 2 },
    ]);

    const month = await t.as(viewer).audit.stats({ tenantId: mine, range: '30d' });
    expect(month.bucket).toBe('day');
    expect(month.series).toHaveLength(30);
    expect(month.totals).toEqual({ granted: 3, denied: 3 });
    expect(month.series.reduce((s, b) => s + b.granted + b.denied, 0)).toBe(6);
    expect(month.topClients[0]).toEqual({ clientId: 'batch', total: 3, denied: 2 });
  });

  it('lists the tenant admin actions, newest first and paginated, to viewers too', async () => {
    const { mine, theirs } = await tenantIds();
    const owner = await t.admin('owner');
    await t.as(owner).tenant.update({
      tenantId: theirs,
      displayName: 'Not mine',
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
    for (let i = 0; i < 30; i++)
      await t.as(owner).tenant.update({
        tenantId: mine,
        displayName: `Name ${i}`,
        accessTokenTtlSeconds: 300,
        signingAlg: 'ES256',
      });
    const viewer = await t.admin('viewer', [mine]);
    const first = await t.as(viewer).audit.adminActions({ tenantId: mine });
    expect(first.items).toHaveLength(25);
    expect(first.items[0]).toMatchObject({
      actorEmail: owner.email,
      action: 'tenant.update',
      details: { displayName: 'Name 29' },
    });
    const second = await t.as(viewer).audit.adminActions({
      tenantId: mine,
      cursor: first.nextCursor,
    });
    expect(second.items.map((a) => a.action)).toEqual([
      'tenant.update',
      'tenant.update',
      'tenant.update',
      'tenant.update',
      'tenant.update',
      'tenant.create',
    ]);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((a) => a.id)).size).toBe(31);
    expect(all.every((a) => a.action !== 'tenant.create' || a.details.id === mine)).toBe(true);
  });
});
