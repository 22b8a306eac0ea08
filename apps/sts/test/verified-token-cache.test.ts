/**
 * The verified-token cache (STS_VERIFIED_TOKEN_CACHE_SIZE): a subject token presented again skips
 * its signature check, and nothing else. Every refusal the STS gives a fresh token it still gives
 * a remembered one: expired, issuer's key replaced, another tenant, another audience.
 */
import { TrustedIssuerSchema } from '@sts/core';
import { type AdminChange, databaseLocation, openDatabase } from '@sts/db';
import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './helpers/clock';
import { post, type Reply } from './helpers/http';
import { IDP_AUDIENCE, TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'cache-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const CHANGE: AdminChange = { actor: { id: null, email: 'test' }, action: 'issuer.update' };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

const tenant = (id: string, trustedIssuers: unknown[]) => ({
  id,
  displayName: id,
  clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
  trustedIssuers,
  rules: [
    {
      id: 'gw',
      clients: ['gateway'],
      subjectIssuers: trustedIssuers.length ? ['https://idp.example.test'] : ['self'],
      mode: 'delegation',
      actors: ['client'],
      audiences: [ORDERS],
    },
  ],
});

async function start(
  idp: TestIdp,
  env: Record<string, string> = {},
  hooks: Parameters<typeof startTestSts>[2] = {},
): Promise<TestSts> {
  const sts = await startTestSts(
    {
      tenants: [
        tenant('acme', [idp.trusted()]),
        // Trusts the same issuer for another audience only.
        tenant('other-aud', [idp.trusted({ audiences: ['https://elsewhere.example.test'] })]),
        // Does not trust the issuer at all.
        tenant('untrusting', []),
      ],
    },
    { STS_METRICS_PORT: '0', ...env },
    hooks,
  );
  cleanup.push(() => sts.stop());
  return sts;
}

const exchange = (sts: TestSts, subject: string, tenantId = 'acme'): Promise<Reply> =>
  post(
    sts.token(tenantId),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic: ['gateway', SECRET] },
  );

/** sts_verified_token_cache_total by result, from the metrics listener. */
async function cacheCounts(sts: TestSts): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${sts.metricsUrl}/metrics`)).text();
  const count = (result: string) =>
    Number(
      new RegExp(`^sts_verified_token_cache_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { hit: count('hit'), miss: count('miss') };
}

async function expectRefused(reply: Reply, detail: RegExp, sts: TestSts, tenantId = 'acme') {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body.error).toBe('invalid_request');
  const [event] = await sts.auditEvents(tenantId);
  expect(event?.errorDetail).toMatch(detail);
}

describe('the verified-token cache', () => {
  it('verifies a repeated subject token once and answers the repeats from the cache', async () => {
    const idp = await TestIdp.create();
    const sts = await start(idp);
    const token = await idp.mint();
    for (let i = 0; i < 3; i++) expect((await exchange(sts, token)).status).toBe(200);
    expect(await cacheCounts(sts)).toEqual({ hit: 2, miss: 1 });
    // A distinct token is verified on its own.
    expect((await exchange(sts, await idp.mint())).status).toBe(200);
    expect(await cacheCounts(sts)).toEqual({ hit: 2, miss: 2 });
  });

  it('refuses a remembered token once it has expired', async () => {
    const idp = await TestIdp.create();
    const clock = manualClock();
    const sts = await start(idp, {}, { clock: clock.now });
    const now = Math.floor(clock.now() / 1000);
    const token = await idp.mint({ iat: now, exp: now + 60 });
    expect((await exchange(sts, token)).status).toBe(200);
    clock.advance(120_000); // past exp and the 30 s skew
    await expectRefused(await exchange(sts, token), /expired/, sts);
  });

  it("refuses a remembered token once its issuer's key is replaced under the same kid", async () => {
    const idp = await TestIdp.create();
    const sts = await start(idp, { STS_CONFIG_POLL_MS: '100' });
    const token = await idp.mint();
    expect((await exchange(sts, token)).status).toBe(200);

    const other = await generateKeyPair('ES256', { extractable: true });
    const replaced = { ...(await exportJWK(other.publicKey)), kid: 'es-1', alg: 'ES256' };
    const db = await openDatabase(databaseLocation({ databaseUrl: sts.databaseUrl }, sts.dir));
    try {
      const issuer = TrustedIssuerSchema.parse(idp.trusted({ jwks: { keys: [replaced] } }));
      await db.trustedIssuers.update('acme', issuer, CHANGE);
    } finally {
      await db.close();
    }
    let reply = await exchange(sts, token);
    for (const deadline = Date.now() + 5000; reply.status === 200 && Date.now() < deadline; ) {
      await new Promise((ok) => setTimeout(ok, 50));
      reply = await exchange(sts, token);
    }
    await expectRefused(reply, /signature is invalid/, sts);
  });

  it('never lets a remembered token into a tenant that would refuse it fresh', async () => {
    const idp = await TestIdp.create();
    const sts = await start(idp);
    const token = await idp.mint({ aud: IDP_AUDIENCE });
    expect((await exchange(sts, token)).status).toBe(200);
    await expectRefused(await exchange(sts, token, 'untrusting'), /not trusted/, sts, 'untrusting');
    await expectRefused(
      await exchange(sts, token, 'other-aud'),
      /aud does not name an expected audience/,
      sts,
      'other-aud',
    );
  });

  it('refuses a remembered token whose signature bytes were changed', async () => {
    const idp = await TestIdp.create();
    const sts = await start(idp);
    const token = await idp.mint();
    expect((await exchange(sts, token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    await expectRefused(
      await exchange(sts, `${header}.${payload}.${flipped}`),
      /signature is invalid/,
      sts,
    );
  });

  it('is off with STS_VERIFIED_TOKEN_CACHE_SIZE=0: every check verifies, tokens still pass', async () => {
    const idp = await TestIdp.create();
    const sts = await start(idp, { STS_VERIFIED_TOKEN_CACHE_SIZE: '0' });
    const token = await idp.mint();
    for (let i = 0; i < 2; i++) expect((await exchange(sts, token)).status).toBe(200);
    expect(await cacheCounts(sts)).toEqual({ hit: 0, miss: 0 });
  });
});
