/**
 * The Prometheus metrics on the STS_METRICS_PORT listener after real requests (decision 0021):
 * exchanges by tenant, client, rule and outcome; request latency by route and status; JWKS
 * fetches and failures by host; signing key ages by tenant, status and kid, read at scrape time.
 * Each test runs its own STS, so counts start at zero. (Workers' sums: production.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './helpers/clock';
import { get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function start(
  trustedIssuers: unknown[],
  subjectIssuers: string[],
  hooks: Parameters<typeof startTestSts>[2] = {},
): Promise<TestSts> {
  const sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
          trustedIssuers,
          rules: [
            {
              id: 'gw',
              clients: ['gateway'],
              subjectIssuers,
              mode: 'delegation',
              actors: ['client'],
              audiences: [ORDERS],
            },
          ],
        },
      ],
    },
    // JWKS failures are logged as warnings: not the subject here.
    { STS_METRICS_PORT: '0', STS_LOG_LEVEL: 'error' },
    hooks,
  );
  cleanup.push(() => sts.stop());
  return sts;
}

async function exchange(
  sts: TestSts,
  subject: string,
  options: { audience?: string; secret?: string } = {},
): Promise<Reply> {
  return post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      audience: options.audience ?? ORDERS,
    },
    { basic: ['gateway', options.secret ?? SECRET] },
  );
}

/** The scrape, as the lines of its samples (no HELP or TYPE). */
async function samples(sts: TestSts): Promise<string[]> {
  const res = await fetch(`${sts.metricsUrl}/metrics`);
  expect(res.status).toBe(200);
  return (await res.text()).split('\n').filter((line) => line && !line.startsWith('#'));
}

const named = (lines: string[], name: string) =>
  lines.filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('metrics after real requests', () => {
  it('counts exchanges by tenant, client, rule and outcome, and their latency by route and status', async () => {
    const idp = await TestIdp.create();
    const sts = await start([idp.trusted()], [idp.issuer]);
    for (let i = 0; i < 2; i++) expect((await exchange(sts, await idp.mint())).status).toBe(200);
    const refused = await exchange(sts, await idp.mint(), {
      audience: 'https://payments.example.test',
    });
    expect(refused.status).toBe(400);
    const unauthenticated = await exchange(sts, await idp.mint(), {
      secret: 'not-the-secret-0123456789abcdef0123456789',
    });
    expect(unauthenticated.status).toBe(401);
    expect((await get(`${sts.url}/healthz`)).status).toBe(200);

    const lines = await samples(sts);
    expect(named(lines, 'sts_token_exchanges_total').sort()).toEqual(
      [
        'sts_token_exchanges_total{tenant="acme",client="gateway",rule="gw",outcome="granted"} 2',
        `sts_token_exchanges_total{tenant="acme",client="gateway",rule="",outcome="${refused.body.error}"} 1`,
        'sts_token_exchanges_total{tenant="acme",client="",rule="",outcome="invalid_client"} 1',
      ].sort(),
    );
    expect(named(lines, 'sts_http_request_duration_seconds_count').sort()).toEqual(
      [
        'sts_http_request_duration_seconds_count{route="token",status="200"} 2',
        'sts_http_request_duration_seconds_count{route="token",status="400"} 1',
        'sts_http_request_duration_seconds_count{route="token",status="401"} 1',
        'sts_http_request_duration_seconds_count{route="healthz",status="200"} 1',
      ].sort(),
    );
    expect(lines).toContain(
      'sts_http_request_duration_seconds_bucket{le="+Inf",route="token",status="200"} 2',
    );
    // Four records (sequential requests: one per commit), each commit timed.
    expect(named(lines, 'sts_audit_batch_size_sum')).toEqual(['sts_audit_batch_size_sum 4']);
    expect(named(lines, 'sts_audit_batch_size_count')).toEqual(['sts_audit_batch_size_count 4']);
    expect(named(lines, 'sts_audit_commit_duration_seconds_count')).toEqual([
      'sts_audit_commit_duration_seconds_count 4',
    ]);
  });

  it('counts JWKS fetches and failures by host', async () => {
    const [good, broken] = await Promise.all([
      TestIdp.create('https://good.example.test'),
      TestIdp.create('https://broken.example.test'),
    ]);
    const [goodUri, brokenUri] = await Promise.all([good.serveJwks(), broken.serveJwks()]);
    cleanup.push(
      () => good.close(),
      () => broken.close(),
    );
    broken.jwksStatus = 500;
    const trusted = (idp: TestIdp, jwksUri: string) => ({
      ...idp.trusted(),
      jwks: undefined,
      jwksUri,
    });
    const sts = await start(
      [trusted(good, goodUri), trusted(broken, brokenUri)],
      [good.issuer, broken.issuer],
    );
    expect((await exchange(sts, await good.mint())).status).toBe(200);
    const unavailable = await exchange(sts, await broken.mint());
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error).toBe('temporarily_unavailable');

    const goodHost = new URL(goodUri).host;
    const brokenHost = new URL(brokenUri).host;
    const lines = await samples(sts);
    expect(named(lines, 'sts_jwks_fetches_total').sort()).toEqual(
      [
        `sts_jwks_fetches_total{host="${goodHost}"} 1`,
        `sts_jwks_fetches_total{host="${brokenHost}"} 1`,
      ].sort(),
    );
    expect(named(lines, 'sts_jwks_fetch_failures_total')).toEqual([
      `sts_jwks_fetch_failures_total{host="${brokenHost}"} 1`,
    ]);
    expect(broken.jwksRequests).toBe(1);
  });

  it('reports the signing keys’ ages by tenant, status and kid, as of the scrape', async () => {
    const idp = await TestIdp.create();
    const clock = manualClock();
    const sts = await start([idp.trusted()], [idp.issuer], { clock: clock.now });
    const jwks = await get(`${sts.url}/t/acme/jwks.json`);
    const [kid] = (jwks.body.keys as { kid: string }[]).map((k) => k.kid);

    clock.advance(90_000);
    expect(named(await samples(sts), 'sts_signing_key_age_seconds')).toEqual([
      `sts_signing_key_age_seconds{tenant="acme",status="active",kid="${kid}"} 90`,
    ]);
    clock.advance(30_000);
    expect(named(await samples(sts), 'sts_signing_key_age_seconds')).toEqual([
      `sts_signing_key_age_seconds{tenant="acme",status="active",kid="${kid}"} 120`,
    ]);
  });
});
