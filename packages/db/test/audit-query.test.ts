import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors';
import type { AuditRecord } from '../src/repositories/audit-log';
import type { AuditCursor, AuditFilter } from '../src/repositories/audit-query';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  tenantId: 'acme',
  clientId: 'gateway',
  subjectIssuer: 'https://idp.example',
  subjectSub: 'alice',
  actorChain: [],
  requestedAudiences: ['https://orders.example'],
  requestedScope: 'orders:read',
  grantedAudiences: ['https://orders.example'],
  grantedScope: 'orders:read',
  decision: 'granted',
  ruleId: 'r1',
  jti: 'jti-1',
  trace: [{ step: 'policy', check: 'decision', outcome: 'pass', message: 'granted by rule r1' }],
  ...over,
});

const denied = (over: Partial<AuditRecord> = {}): AuditRecord =>
  record({
    decision: 'denied',
    grantedAudiences: [],
    grantedScope: undefined,
    ruleId: undefined,
    jti: undefined,
    errorCode: 'invalid_request',
    reason: 'subject_token.algorithm',
    errorDetail: 'alg "HS256" is never accepted',
    trace: [
      { step: 'subject_token', check: 'algorithm', outcome: 'fail', message: 'never accepted' },
    ],
    ...over,
  });

/** A writer whose clock the test sets. */
function writer() {
  return {
    /** Writes the records at `ms`, concurrently (one group commit), in order. */
    async at(ms: number, ...records: AuditRecord[]) {
      t.now = ms;
      await Promise.all(records.map((r) => t.db.audit.write(r)));
    },
  };
}

async function ids(filter: AuditFilter) {
  const page = await t.db.audit.query('acme', filter, { limit: 100 });
  return page.items.map((e) => e.subjectSub);
}

describe('queryAuditEvents', () => {
  it('narrows by each filter, and only within the tenant', async () => {
    const w = writer();
    await w.at(T0, record({ subjectSub: 'a' }));
    await w.at(T0 + 1000, record({ subjectSub: 'b', clientId: 'batch' }));
    await w.at(
      T0 + 2000,
      denied({ subjectSub: 'c', requestedAudiences: ['https://billing.example', 'x'] }),
    );
    await w.at(T0 + 3000, denied({ subjectSub: 'd', errorCode: 'invalid_target' }));
    await w.at(T0 + 4000, record({ subjectSub: 'e', subjectIssuer: 'https://other.example' }));
    await w.at(T0 + 5000, record({ tenantId: 'other', subjectSub: 'a' }));

    expect(await ids({})).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await ids({ from: new Date(T0 + 1000), to: new Date(T0 + 3000) })).toEqual(['c', 'b']);
    expect(await ids({ clientId: 'batch' })).toEqual(['b']);
    expect(await ids({ subject: 'a' })).toEqual(['a']);
    expect(await ids({ issuer: 'https://other.example' })).toEqual(['e']);
    expect(await ids({ subject: 'e', issuer: 'https://idp.example' })).toEqual([]);
    expect(await ids({ audience: 'https://billing.example' })).toEqual(['c']);
    expect(await ids({ audience: 'https://billing' })).toEqual(['c']);
    expect(await ids({ audience: 'HTTPS://BILLING.example' })).toEqual(['c']);
    // Within one element: not across two, nor over the JSON around them.
    expect(await ids({ audience: 'example","x' })).toEqual([]);
    expect(await ids({ audience: 'example x' })).toEqual([]);
    expect(await ids({ audience: '["https' })).toEqual([]);
    expect(await ids({ decision: 'denied' })).toEqual(['d', 'c']);
    expect(await ids({ errorCode: 'invalid_target' })).toEqual(['d']);
    expect(await ids({ reason: 'subject_token.algorithm' })).toEqual(['d', 'c']);
    expect(await ids({ reason: 'policy.scope' })).toEqual([]);
    expect(await ids({ decision: 'granted', clientId: 'gateway' })).toEqual(['e', 'a']);
  });

  it('matches ids and URLs by part, ignoring case; free text over the denial', async () => {
    const w = writer();
    await w.at(
      T0,
      record({
        subjectSub: 'a',
        clientId: 'demo-agent',
        actor: { sub: 'agent:assistant', iss: 'https://agents.example' },
      }),
    );
    await w.at(
      T0 + 1,
      denied({
        subjectSub: 'b',
        clientId: 'demo-gateway',
        actor: { sub: 'demo-gateway', iss: 'https://sts.example/t/acme' },
      }),
    );
    await w.at(
      T0 + 2,
      denied({
        subjectSub: 'Carol',
        subjectIssuer: 'https://IdP.example/realms/x',
        reason: 'policy.target',
        errorDetail: 'rule r1: not allowed: [https://billing.example]',
      }),
    );
    expect(await ids({ clientId: 'demo-agen' })).toEqual(['a']);
    expect(await ids({ clientId: 'DEMO' })).toEqual(['b', 'a']);
    expect(await ids({ subject: 'car' })).toEqual(['Carol']);
    expect(await ids({ issuer: 'idp.example/realms' })).toEqual(['Carol']);
    expect(await ids({ actor: 'assistant' })).toEqual(['a']);
    expect(await ids({ actor: 'gateway' })).toEqual(['b']);
    expect(await ids({ text: 'billing' })).toEqual(['Carol']);
    expect(await ids({ text: 'POLICY.TARGET' })).toEqual(['Carol']);
    expect(await ids({ text: 'never accepted' })).toEqual(['b']);
    expect(await ids({ text: 'invalid_request' })).toEqual(['Carol', 'b']);
  });

  it('matches granted audiences too', async () => {
    const w = writer();
    await w.at(
      T0,
      record({ subjectSub: 'a', requestedAudiences: [], grantedAudiences: ['urn:aud'] }),
    );
    await w.at(T0, record({ subjectSub: 'b' }));
    expect(await ids({ audience: 'urn:aud' })).toEqual(['a']);
  });

  it('treats quotes, wildcards and SQL in filters as literal text', async () => {
    const w = writer();
    const evil = `x'); DROP TABLE "audit_events"; --`;
    await w.at(T0, record({ subjectSub: 'a%b', clientId: 'c_d', requestedAudiences: ['"q"'] }));
    await w.at(T0, record({ subjectSub: 'aXb', clientId: 'cXd', requestedAudiences: ['q'] }));
    await w.at(T0, record({ subjectSub: evil }));
    expect(await ids({ subject: '%' })).toEqual(['a%b']);
    expect(await ids({ subject: 'a_b' })).toEqual([]);
    expect(await ids({ subject: 'a%b' })).toEqual(['a%b']);
    expect(await ids({ clientId: 'c_d' })).toEqual(['a%b']);
    expect(await ids({ clientId: '_' })).toEqual(['a%b']);
    expect(await ids({ clientId: 'c%d' })).toEqual([]);
    expect(await ids({ audience: '"q"' })).toEqual(['a%b']);
    expect(await ids({ audience: 'q' })).toEqual(['aXb', 'a%b']);
    expect(await ids({ audience: '%' })).toEqual([]);
    expect(await ids({ text: "' OR '1'='1" })).toEqual([]);
    expect(await ids({ subject: evil })).toEqual([evil]);
    expect(await ids({ errorCode: "' OR '1'='1" })).toEqual([]);
    expect(await ids({})).toHaveLength(3);
  });

  it('pages both ways without gaps or duplicates, even as events are added', async () => {
    const w = writer();
    // 3 events per millisecond: ties on created_at are broken by the (monotonic) id.
    for (let i = 0; i < 60; i++)
      await w.at(T0 + Math.floor(i / 3), record({ subjectSub: `s${String(i).padStart(2, '0')}` }));
    const all = await ids({});
    expect(all).toHaveLength(60);
    expect(all[0]).toBe('s59');
    expect(all[59]).toBe('s00');

    const pages: string[][] = [];
    let cursor: AuditCursor | undefined;
    for (;;) {
      const page = await t.db.audit.query('acme', {}, { limit: 25, cursor });
      pages.push(page.items.map((e) => e.subjectSub ?? ''));
      expect(page.newer === null).toBe(cursor === undefined);
      if (!page.older) break;
      // Events arriving meanwhile do not shift the following pages.
      await w.at(T0 + 10_000, record({ subjectSub: 'new' }));
      cursor = { before: page.older };
    }
    expect(pages.map((p) => p.length)).toEqual([25, 25, 10]);
    expect(pages.flat()).toEqual(all);

    // Back towards the newest: the same pages, then the events added meanwhile.
    const last = await t.db.audit.query('acme', {}, { limit: 25, cursor });
    expect(last.newer).not.toBeNull();
    const middle = await t.db.audit.query(
      'acme',
      {},
      {
        limit: 25,
        cursor: { after: last.newer ?? '' },
      },
    );
    expect(middle.items.map((e) => e.subjectSub)).toEqual(pages[1]);
    expect(middle.older).toBe(last.newer === null ? null : middle.items[24]?.id);
    const top = await t.db.audit.query(
      'acme',
      {},
      {
        limit: 25,
        cursor: { after: middle.newer ?? '' },
      },
    );
    expect(top.items.map((e) => e.subjectSub)).toEqual(pages[0]);
    expect(top.newer).not.toBeNull(); // the two events added while paging
    const newest = await t.db.audit.query(
      'acme',
      {},
      {
        limit: 25,
        cursor: { after: top.newer ?? '' },
      },
    );
    expect(newest.items.map((e) => e.subjectSub)).toEqual(['new', 'new']);
    expect(newest.newer).toBeNull();
  });

  it('pages within a filter, and gives an empty page for a cursor of another tenant', async () => {
    const w = writer();
    for (let i = 0; i < 30; i++)
      await w.at(T0 + i, i % 2 ? denied({ subjectSub: `d${i}` }) : record({ subjectSub: `g${i}` }));
    await w.at(T0, record({ tenantId: 'other' }));
    const first = await t.db.audit.query(
      'acme',
      { decision: 'denied' },
      {
        limit: 10,
      },
    );
    expect(first.items).toHaveLength(10);
    const second = await t.db.audit.query(
      'acme',
      { decision: 'denied' },
      {
        limit: 10,
        cursor: { before: first.older ?? '' },
      },
    );
    expect(second.items).toHaveLength(5);
    expect(second.older).toBeNull();
    expect(new Set([...first.items, ...second.items].map((e) => e.id)).size).toBe(15);

    const [foreign] = (await t.db.audit.query('other', {}, { limit: 1 })).items;
    if (!foreign) throw new Error('fixture');
    const page = await t.db.audit.query(
      'acme',
      {},
      {
        limit: 10,
        cursor: { before: foreign.id },
      },
    );
    expect(page).toEqual({ items: [], older: null, newer: null });
  });
});

describe('audit.get', () => {
  it('returns every field of the tenant event; NotFoundError for another tenant', async () => {
    const w = writer();
    await w.at(
      T0,
      denied({
        actorChain: [{ sub: 'svc-b', iss: 'https://idp.example' }, { sub: 'svc-a' }],
        errorDetail: 'rule r1: audience not allowed',
      }),
    );
    const [row] = (await t.db.audit.query('acme', {}, { limit: 1 })).items;
    const event = await t.db.audit.get('acme', row?.id ?? '');
    expect(event).toMatchObject({
      tenantId: 'acme',
      createdAt: new Date(T0),
      actorChain: [{ sub: 'svc-b', iss: 'https://idp.example' }, { sub: 'svc-a' }],
      errorDetail: 'rule r1: audience not allowed',
      reason: 'subject_token.algorithm',
      trace: [expect.objectContaining({ step: 'subject_token', outcome: 'fail' })],
    });
    await expect(t.db.audit.get('other', row?.id ?? '')).rejects.toThrow(NotFoundError);
  });
});

describe('auditStats', () => {
  it('counts by hour and decision, top codes, reasons and clients, within the tenant', async () => {
    const w = writer();
    const now = T0 + 30 * 60_000; // 12:30 UTC
    await w.at(T0 - 2 * 3_600_000 + 5, record(), record(), denied()); // 10:00
    await w.at(T0 + 60_000, record({ clientId: 'batch' }), denied({ clientId: 'batch' })); // 12:01
    await w.at(
      T0 + 120_000,
      denied({
        clientId: 'batch',
        errorCode: 'invalid_target',
        reason: 'policy.target',
        errorDetail: 'rule r1: audience https://x is not allowed',
      }),
      denied({
        clientId: undefined,
        errorCode: 'invalid_target',
        reason: 'policy.target',
        errorDetail: 'rule r1: audience https://y is not allowed',
      }),
    );
    await w.at(T0 - 25 * 3_600_000, record()); // outside the 24 h window
    await w.at(T0, record({ tenantId: 'other' }), denied({ tenantId: 'other' }));

    const stats = await t.db.audit.stats('acme', '24h', now);
    expect(stats.bucket).toBe('hour');
    expect(stats.series).toHaveLength(24);
    expect(stats.to).toEqual(new Date(T0 + 3_600_000));
    expect(stats.from).toEqual(new Date(T0 - 23 * 3_600_000));
    expect(stats.series.at(-1)).toEqual({ start: new Date(T0), granted: 1, denied: 3 });
    expect(stats.series.at(-3)).toEqual({
      start: new Date(T0 - 2 * 3_600_000),
      granted: 2,
      denied: 1,
    });
    expect(stats.series.reduce((n, b) => n + b.granted + b.denied, 0)).toBe(7);
    expect(stats.totals).toEqual({ granted: 3, denied: 4 });
    expect(stats.topErrorCodes).toEqual([
      { errorCode: 'invalid_request', count: 2 },
      { errorCode: 'invalid_target', count: 2 },
    ]);
    expect(stats.topReasons).toEqual([
      {
        reason: 'policy.target',
        errorCode: 'invalid_target',
        count: 2,
        example: 'rule r1: audience https://x is not allowed',
      },
      {
        reason: 'subject_token.algorithm',
        errorCode: 'invalid_request',
        count: 2,
        example: 'alg "HS256" is never accepted',
      },
    ]);
    expect(stats.topClients).toEqual([
      { clientId: 'batch', total: 3, denied: 2 },
      { clientId: 'gateway', total: 3, denied: 1 },
      { clientId: null, total: 1, denied: 1 },
    ]);

    const month = await t.db.audit.stats('acme', '30d', now);
    expect(month.bucket).toBe('day');
    expect(month.series).toHaveLength(30);
    expect(month.series.at(-1)).toEqual({
      start: new Date(Date.UTC(2030, 0, 15)),
      granted: 3,
      denied: 4,
    });
    expect(month.series.at(-2)?.granted).toBe(1);
    expect(month.totals).toEqual({ granted: 4, denied: 4 });

    // The dashboard follows the explorer's filters.
    const batch = await t.db.audit.stats('acme', '24h', now, { clientId: 'batch' });
    expect(batch.totals).toEqual({ granted: 1, denied: 2 });
    expect(batch.topClients).toEqual([{ clientId: 'batch', total: 3, denied: 2 }]);
    const targets = await t.db.audit.stats('acme', '24h', now, { reason: 'policy.target' });
    expect(targets.totals).toEqual({ granted: 0, denied: 2 });
  });
});

describe('adminActions.list', () => {
  it('lists the tenant actions newest first, a page at a time', async () => {
    await addTenant(t.db, 'acme');
    await addTenant(t.db, 'other');
    const settings = {
      displayName: 'Acme',
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256' as const,
    };
    for (let i = 0; i < 4; i++)
      await t.db.tenants.update(
        'acme',
        settings,
        change('tenant.update', { tenantId: 'acme', target: `c${i}`, details: { n: i } }),
      );
    const first = await t.db.adminActions.list('acme', { limit: 3 });
    expect(first.items.map((a) => a.target)).toEqual(['c3', 'c2', 'c1']);
    expect(first.items[0]).toMatchObject({ actorEmail: 'owner@example.test', details: { n: 3 } });
    const second = await t.db.adminActions.list('acme', {
      limit: 3,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((a) => [a.action, a.target])).toEqual([
      ['tenant.update', 'c0'],
      ['tenant.create', null],
    ]);
    expect(second.nextCursor).toBeNull();
    expect((await t.db.adminActions.list('acme', { limit: 3, cursor: 'nope' })).items).toEqual([]);
  });
});
