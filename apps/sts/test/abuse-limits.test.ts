/**
 * What keeps unauthenticated traffic from growing the STS's work and its audit without bound:
 * per-source-address and per-client rate limits on the token and introspection endpoints (429
 * with Retry-After, counted in the metrics), bounded audit records for unauthenticated failures,
 * and audit retention. Clocks are injected: nothing here waits for a window to pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAUTHENTICATED_AUDIT_BOUNDS } from '../src/runtime/audit-bounds';
import { AuditRetention } from '../src/runtime/audit-retention';
import { manualClock, nextMinute } from './helpers/clock';
import { post, type Reply } from './helpers/http';
import { startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const OTHER_SECRET = 'other-secret-0123456789abcdef0123456789ab';
const DAY_MS = 86_400_000;

const config = {
  tenants: [
    {
      id: 'acme',
      displayName: 'Acme',
      clients: [
        {
          clientId: 'gateway',
          authMethod: 'client_secret_basic',
          secret: SECRET,
          allowIntrospection: true,
        },
        {
          clientId: 'other',
          authMethod: 'client_secret_basic',
          secret: OTHER_SECRET,
          allowIntrospection: true,
        },
      ],
      trustedIssuers: [],
      rules: [],
    },
  ],
};

const unauthenticated = (sts: TestSts, headers: Record<string, string> = {}) =>
  post(
    sts.token('acme'),
    { grant_type: TOKEN_EXCHANGE, client_id: 'nobody', client_secret: 'wrong' },
    { headers },
  );

const asClient = (sts: TestSts, id: string, secret: string) =>
  post(sts.token('acme'), { grant_type: TOKEN_EXCHANGE }, { basic: [id, secret] });

function expectLimited(res: Reply, retryAfter: string): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toEqual({
    error: 'temporarily_unavailable',
    error_description: 'Too many requests, retry later',
  });
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(res.headers.get('cache-control')).toBe('no-store');
}

async function metrics(sts: TestSts): Promise<string> {
  const res = await fetch(`${sts.metricsUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('per-address rate limit', () => {
  let sts: TestSts;
  const clock = manualClock(nextMinute());
  beforeAll(async () => {
    sts = await startTestSts(
      config,
      {
        STS_RATE_LIMIT_PER_ADDRESS: '3',
        STS_RATE_LIMIT_WINDOW_SECONDS: '60',
        STS_METRICS_PORT: '0',
      },
      { clock: clock.now },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('answers 429 with Retry-After past the limit, audits nothing more, counts it', async () => {
    for (let i = 0; i < 3; i++) expect((await unauthenticated(sts)).status).toBe(401);
    clock.advance(15_000);
    expectLimited(await unauthenticated(sts), '45');
    // The introspection endpoint shares the address's budget.
    expectLimited(
      await post(`${sts.url}/t/acme/introspect`, { token: 'x' }, { basic: ['gateway', SECRET] }),
      '45',
    );
    expect(await sts.auditEvents('acme')).toHaveLength(3);
    const text = await metrics(sts);
    expect(text).toContain('sts_rate_limited_total{endpoint="token",limit="address"} 1');
    expect(text).toContain('sts_rate_limited_total{endpoint="introspect",limit="address"} 1');

    // A new window: allowed again.
    clock.advance(45_000);
    expect((await unauthenticated(sts)).status).toBe(401);
  });

  it('serves metrics on its own listener only', async () => {
    expect(sts.metricsUrl).not.toBe(sts.url);
    expect((await fetch(`${sts.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${sts.metricsUrl}/other`)).status).toBe(404);
  });
});

describe('per-client rate limit', () => {
  let sts: TestSts;
  const clock = manualClock(nextMinute());
  beforeAll(async () => {
    sts = await startTestSts(
      config,
      {
        STS_RATE_LIMIT_PER_CLIENT: '2',
        STS_RATE_LIMIT_WINDOW_SECONDS: '10',
        STS_METRICS_PORT: '0',
      },
      { clock: clock.now },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('limits each authenticated client on its own, across both endpoints', async () => {
    // Authenticated, then refused by policy (no subject token): each counts.
    expect((await asClient(sts, 'gateway', SECRET)).status).toBe(400);
    const introspected = await post(
      `${sts.url}/t/acme/introspect`,
      { token: 'x' },
      { basic: ['gateway', SECRET] },
    );
    expect(introspected.body).toEqual({ active: false });
    expectLimited(await asClient(sts, 'gateway', SECRET), '10');
    // Another client, from the same address, is not affected.
    expect((await asClient(sts, 'other', OTHER_SECRET)).status).toBe(400);
    // The refused request left no audit record.
    const events = await sts.auditEvents('acme');
    expect(events.filter((e) => e.clientId === 'gateway')).toHaveLength(2);
    expect(await metrics(sts)).toContain(
      'sts_rate_limited_total{endpoint="token",limit="client"} 1',
    );
    clock.advance(10_000);
    expect((await asClient(sts, 'gateway', SECRET)).status).toBe(400);
  });
});

describe('the source address behind a proxy', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    const sts = await startTestSts(
      config,
      { STS_RATE_LIMIT_PER_ADDRESS: '1' },
      { clock: manualClock(nextMinute()).now },
    );
    try {
      expect((await unauthenticated(sts, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(401);
      // A different forwarded address from the same peer is the same source.
      expectLimited(await unauthenticated(sts, { 'x-forwarded-for': '203.0.113.2' }), '60');
    } finally {
      await sts.stop();
    }
  });

  it('with STS_TRUSTED_PROXIES, takes the last address before the trusted hops', async () => {
    const sts = await startTestSts(
      config,
      { STS_RATE_LIMIT_PER_ADDRESS: '1', STS_TRUSTED_PROXIES: '127.0.0.0/8, 10.0.0.5' },
      { clock: manualClock(nextMinute()).now },
    );
    try {
      const from = (xff: string) => unauthenticated(sts, { 'x-forwarded-for': xff });
      expect((await from('203.0.113.1')).status).toBe(401);
      expect((await from('203.0.113.2, 10.0.0.5')).status).toBe(401);
      // What the client wrote on the left is not believed: the source is still 203.0.113.1.
      expectLimited(await from('198.51.100.9, 203.0.113.1'), '60');
      expectLimited(await from('::ffff:203.0.113.2'), '60');
    } finally {
      await sts.stop();
    }
  });
});

describe('audit records of unauthenticated failures', () => {
  let sts: TestSts;
  beforeAll(async () => {
    sts = await startTestSts(config);
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('keeps bounded fields and counts what it dropped', async () => {
    const b = UNAUTHENTICATED_AUDIT_BOUNDS;
    const clientId = 'c'.repeat(30_000);
    const audiences = Array.from(
      { length: 12 },
      (_, i) => `https://${i}.example.test/${'a'.repeat(1000)}`,
    );
    const scope = 's'.repeat(5_000);
    const res = await post(sts.token('acme'), {
      grant_type: TOKEN_EXCHANGE,
      client_id: clientId,
      client_secret: 'wrong',
      audience: audiences,
      scope,
    });
    expect(res.status).toBe(401);

    const detail = `client ${clientId}: unknown client or wrong secret`;
    const kept = audiences.slice(0, b.values);
    const expectedDropped =
      clientId.length -
      b.fieldChars +
      kept.reduce((n, a) => n + a.length - b.fieldChars, 0) +
      audiences.slice(b.values).reduce((n, a) => n + a.length, 0) +
      scope.length -
      b.fieldChars +
      // The detail, and the trace's one message (the same text).
      2 * (detail.length - b.detailChars);
    const row = (await sts.rows('audit_events')).at(-1);
    expect(row).toMatchObject({
      client_id: clientId.slice(0, b.fieldChars),
      requested_audiences: JSON.stringify(kept.map((a) => a.slice(0, b.fieldChars))),
      requested_scope: scope.slice(0, b.fieldChars),
      error_detail: detail.slice(0, b.detailChars),
      reason: 'client.secret',
      truncated_chars: expectedDropped,
    });
    // About 47 KB of request became a few KB of record.
    expect(JSON.stringify(row).length).toBeLessThan(5_000);
  });

  it('stores an authenticated client’s request whole', async () => {
    const scope = `orders:read ${'x'.repeat(500)}`;
    await post(
      sts.token('acme'),
      { grant_type: TOKEN_EXCHANGE, scope },
      { basic: ['gateway', SECRET] },
    );
    const row = (await sts.rows('audit_events')).at(-1);
    expect(row).toMatchObject({
      client_id: 'gateway',
      requested_scope: scope,
      truncated_chars: null,
    });
  });
});

describe('audit retention', () => {
  let sts: TestSts;
  const clock = manualClock();
  beforeAll(async () => {
    sts = await startTestSts(
      config,
      { STS_AUDIT_RETENTION_DAYS: '90', STS_METRICS_PORT: '0' },
      { clock: clock.now },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('deletes records older than the retention, and only those', async () => {
    for (let i = 0; i < 3; i++) await unauthenticated(sts);
    clock.advance(89 * DAY_MS);
    await unauthenticated(sts);
    expect(await sts.retention.runOnce()).toBe(0);

    clock.advance(2 * DAY_MS);
    expect(await sts.retention.runOnce()).toBe(3);
    expect(await sts.rows('audit_events')).toHaveLength(1);
    expect(await metrics(sts)).toContain('sts_audit_records_deleted_total 3');
  });

  it('deletes in batches of the given size', async () => {
    for (let i = 0; i < 5; i++) await unauthenticated(sts);
    clock.advance(91 * DAY_MS);
    const batches: number[] = [];
    const job = new AuditRetention({
      retentionDays: 90,
      deleteOlderThan: (cutoff, limit) => sts.database.audit.deleteOlderThan(cutoff, limit),
      clock: clock.now,
      batchSize: 2,
      onDeleted: (n) => batches.push(n),
      log: sts.log,
    });
    // Every record is now past the retention, with or without the other test's before it.
    const total = (await sts.rows('audit_events')).length;
    expect(total).toBeGreaterThanOrEqual(5);
    expect(await job.runOnce()).toBe(total);
    expect(batches).toEqual(
      [...Array(Math.ceil(total / 2)).keys()].map((i) => Math.min(2, total - 2 * i)),
    );
    expect(await sts.rows('audit_events')).toHaveLength(0);
  });
});
