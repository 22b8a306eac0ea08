import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import {
  CLIENT_AUTH_FAILED,
  expectNoStoreJson,
  expectOAuthError,
  rawRequest,
  SUBJECT_TOKEN_INVALID,
} from './token-assertions';

/**
 * Two tenants in one STS: each trusts only its own issuers and keys, knows only its own clients,
 * and publishes only its own keys (SECURITY.md, tenant isolation).
 */

const ALPHA_SECRET = 'alpha-gateway-secret-0123456789abcdef0';
const BETA_SECRET = 'beta-gateway-secret-0123456789abcdef01';
const ALPHA_ONLY_SECRET = 'alpha-only-secret-0123456789abcdef0123';
const ORDERS = 'https://orders.example.test';

let idp: TestIdp;
let sts: TestSts;

/** A tenant whose gateway may exchange the IdP's tokens and the tenant's own. */
function tenant(id: string, clients: unknown[]) {
  return {
    id,
    displayName: id,
    clients,
    trustedIssuers: [idp.trusted()],
    rules: [
      {
        id: 'gateway',
        clients: ['gateway'],
        subjectIssuers: [idp.issuer, 'self'],
        mode: 'delegation',
        actors: ['client'],
        audiences: [ORDERS],
        scopes: ['orders:read'],
        maxChainDepth: 3,
      },
      {
        // The gateway exchanging its own token again: not as a new actor (it is in the chain
        // already, rule gateway refuses it), but impersonating the subject with that chain.
        id: 'again',
        clients: ['gateway'],
        subjectIssuers: ['self'],
        mode: 'impersonation',
        impersonateDelegated: true,
        audiences: [ORDERS],
        scopes: ['orders:read'],
      },
    ],
  };
}

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts({
    tenants: [
      tenant('alpha', [
        { clientId: 'gateway', authMethod: 'client_secret_basic', secret: ALPHA_SECRET },
        { clientId: 'alpha-only', authMethod: 'client_secret_basic', secret: ALPHA_ONLY_SECRET },
      ]),
      tenant('beta', [
        { clientId: 'gateway', authMethod: 'client_secret_basic', secret: BETA_SECRET },
      ]),
    ],
  });
});

afterAll(async () => {
  await sts?.stop();
});

function exchangeAt(
  tenantId: string,
  subjectToken: string,
  basic: [string, string],
): Promise<Reply> {
  return post(
    sts.token(tenantId),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic },
  );
}

async function issuedBy(tenantId: string, secret: string): Promise<string> {
  const reply = await exchangeAt(tenantId, await idp.mint({ scope: 'orders:read' }), [
    'gateway',
    secret,
  ]);
  expect(reply.status, reply.text).toBe(200);
  expectNoStoreJson(reply);
  return reply.body.access_token as string;
}

describe('tokens', () => {
  it('a token issued by tenant A, presented at tenant B → invalid_request (untrusted issuer)', async () => {
    const alphaToken = await issuedBy('alpha', ALPHA_SECRET);
    const reply = await exchangeAt('beta', alphaToken, ['gateway', BETA_SECRET]);
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [alphaToken, BETA_SECRET],
    );
    const [event] = await sts.auditEvents('beta');
    expect(event).toMatchObject({
      tenantId: 'beta',
      decision: 'denied',
      errorCode: 'invalid_request',
      errorDetail: `issuer ${sts.issuer('alpha')} is not trusted by tenant beta`,
    });
  });

  it('each tenant accepts its own issued tokens back (subjectIssuers self)', async () => {
    for (const [id, secret] of [
      ['alpha', ALPHA_SECRET],
      ['beta', BETA_SECRET],
    ] as const) {
      const own = await issuedBy(id, secret);
      const again = await exchangeAt(id, own, ['gateway', secret]);
      expect(again.status, again.text).toBe(200);
    }
  });

  it('a token issued by B, presented at A → invalid_request too', async () => {
    const betaToken = await issuedBy('beta', BETA_SECRET);
    const reply = await exchangeAt('alpha', betaToken, ['gateway', ALPHA_SECRET]);
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [betaToken],
    );
  });
});

describe('clients', () => {
  it('tenant A’s credentials for a client id both tenants have → invalid_client at B', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const reply = await exchangeAt('beta', subject, ['gateway', ALPHA_SECRET]);
    expectOAuthError(
      reply,
      { status: 401, error: 'invalid_client', error_description: CLIENT_AUTH_FAILED },
      [subject, ALPHA_SECRET],
    );
  });

  it('a client only tenant A has → invalid_client at B', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const reply = await exchangeAt('beta', subject, ['alpha-only', ALPHA_ONLY_SECRET]);
    expectOAuthError(
      reply,
      { status: 401, error: 'invalid_client', error_description: CLIENT_AUTH_FAILED },
      [subject, ALPHA_ONLY_SECRET],
    );
    expect(reply.headers.get('www-authenticate')).toContain(`realm="${sts.issuer('beta')}"`);
  });

  it('the same credentials still work at A', async () => {
    const reply = await exchangeAt('alpha', await idp.mint({ scope: 'orders:read' }), [
      'alpha-only',
      ALPHA_ONLY_SECRET,
    ]);
    // Authenticated; refused by policy (the rule lists only "gateway").
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_request');
  });
});

describe('keys', () => {
  it('tenant B’s JWKS does not contain A’s keys, and A’s tokens do not verify with it', async () => {
    const [alpha, beta] = await Promise.all([
      get(`${sts.url}/t/alpha/jwks.json`),
      get(`${sts.url}/t/beta/jwks.json`),
    ]);
    expect(alpha.status).toBe(200);
    expect(beta.status).toBe(200);
    const alphaKeys = (alpha.body as unknown as JSONWebKeySet).keys;
    const betaKeys = (beta.body as unknown as JSONWebKeySet).keys;
    expect(alphaKeys.length).toBeGreaterThan(0);
    expect(betaKeys.length).toBeGreaterThan(0);
    const material = (k: Record<string, unknown>) => JSON.stringify([k.x, k.y, k.n, k.e]);
    for (const a of alphaKeys) {
      expect(betaKeys.map((b) => b.kid)).not.toContain(a.kid);
      expect(betaKeys.map(material)).not.toContain(material(a));
    }

    const alphaToken = await issuedBy('alpha', ALPHA_SECRET);
    expect(alphaKeys.map((k) => k.kid)).toContain(decodeHeader(alphaToken).kid);
    await expect(jwtVerify(alphaToken, createLocalJWKSet({ keys: betaKeys }))).rejects.toThrow();
    await expect(
      jwtVerify(alphaToken, createLocalJWKSet({ keys: alphaKeys })),
    ).resolves.toMatchObject({ payload: { iss: sts.issuer('alpha') } });
  });

  it('each tenant’s metadata names its own issuer and JWKS', async () => {
    for (const id of ['alpha', 'beta']) {
      const meta = await get(`${sts.url}/.well-known/oauth-authorization-server/t/${id}`);
      expect(meta.status).toBe(200);
      expect(meta.body).toMatchObject({
        issuer: sts.issuer(id),
        token_endpoint: `${sts.issuer(id)}/token`,
        jwks_uri: `${sts.issuer(id)}/jwks.json`,
      });
    }
  });
});

describe('unknown tenants', () => {
  it.each([
    ['POST', '/t/gamma/token'],
    ['GET', '/t/gamma/jwks.json'],
    ['GET', '/.well-known/oauth-authorization-server/t/gamma'],
    ['POST', '/t/Alpha/token'],
    ['POST', '/t//token'],
    ['POST', '/token'],
    ['POST', '/t/alpha/unknown-route'],
  ])('%s %s → 404', async (method, path) => {
    const reply = await rawRequest(`${sts.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`gateway:${ALPHA_SECRET}`).toString('base64')}`,
      },
      body: method === 'POST' ? `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}` : undefined,
    });
    expect(reply.status).toBe(404);
    expect(reply.body).toStrictEqual({ error: 'not_found' });
    expect(reply.text).not.toContain(ALPHA_SECRET);
  });

  it('the audit of each tenant holds only its own attempts', async () => {
    // One attempt at each tenant, and one at a tenant that does not exist (not audited).
    await issuedBy('alpha', ALPHA_SECRET);
    await issuedBy('beta', BETA_SECRET);
    const subject = await idp.mint({ scope: 'orders:read' });
    expect((await exchangeAt('gamma', subject, ['gateway', ALPHA_SECRET])).status).toBe(404);
    for (const id of ['alpha', 'beta']) {
      const events = await sts.auditEvents(id);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.tenantId === id)).toBe(true);
    }
    const tenants = new Set((await sts.rows('audit_events')).map((r) => r.tenant_id));
    expect([...tenants].sort()).toEqual(['alpha', 'beta']);
  });
});
