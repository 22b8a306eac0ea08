/**
 * Discovery and housekeeping routes: RFC 8414 metadata at both well-known locations, the
 * tenant's JWKS (RFC 7517, public members only), /healthz and /readyz, 405 with Allow (RFC 9110
 * §15.5.6), 404; and signing key rotation reaching a running STS: both keys published, new
 * tokens under the new kid, tokens signed before the rotation still verified (on a tenant of its
 * own, so the other tests pass in any order).
 */
import { randomBytes } from 'node:crypto';
import { deriveKeys, loadOrCreateMasterKey, sealedKeyPair } from '@sts/crypto';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeHeader, get, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const BILLING = 'https://billing.example.test';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

let idp: TestIdp;
let sts: TestSts;

/** A tenant whose gateway exchanges the IdP's tokens, and its own tokens again. */
const exchanging = (id: string, displayName: string) => ({
  id,
  displayName,
  clients: [
    {
      clientId: 'gateway',
      authMethod: 'client_secret_basic',
      secret: SECRET,
      allowIntrospection: true,
    },
  ],
  trustedIssuers: [idp.trusted()],
  rules: [
    {
      id: 'gw',
      clients: ['gateway'],
      subjectIssuers: [idp.issuer],
      mode: 'delegation',
      actors: ['client'],
      audiences: [ORDERS],
      scopes: ['orders:read'],
    },
    {
      id: 'again',
      clients: ['gateway'],
      subjectIssuers: ['self'],
      mode: 'impersonation',
      audiences: [BILLING],
      scopes: ['orders:read'],
      // The tokens exchanged again were delegated to the gateway (rule gw).
      impersonateDelegated: true,
    },
  ],
});

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts(
    {
      tenants: [
        exchanging('acme', 'Acme'),
        // Only the rotation test touches this tenant's keys: the other tests see one key each.
        exchanging('rotating', 'Rotating'),
        { id: 'globex', displayName: 'Globex', signingAlg: 'RS256' },
      ],
    },
    { STS_MASTER_KEY: MASTER_KEY },
  );
});

afterAll(async () => {
  await sts?.stop();
});

/** A path of the STS, on the address it listens on. */
const at = (path: string) => `${sts.url}${path}`;

async function exchange(subjectToken: string, audience: string, tenantId = 'acme') {
  return post(
    sts.token(tenantId),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN,
      audience,
    },
    { basic: ['gateway', SECRET] },
  );
}

async function jwks(tenantId: string): Promise<JWK[]> {
  const res = await get(at(`/t/${tenantId}/jwks.json`));
  expect(res.status).toBe(200);
  return res.body.keys as JWK[];
}

describe('authorization server metadata (RFC 8414)', () => {
  it.each([
    ['RFC 8414 §3 (inserted well-known)', '/.well-known/oauth-authorization-server/t/acme'],
    ['appended to the issuer', '/t/acme/.well-known/oauth-authorization-server'],
  ])('is served %s', async (_name, path) => {
    const res = await get(at(path));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const issuer = sts.issuer('acme');
    expect(res.body).toEqual({
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks.json`,
      introspection_endpoint: `${issuer}/introspect`,
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['ES256', 'RS256']),
      introspection_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      introspection_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['ES256']),
      issued_token_types_supported: [
        'urn:ietf:params:oauth:token-type:access_token',
        'urn:ietf:params:oauth:token-type:jwt',
      ],
    });
    // RFC 8414 §2: "none" is not a signing algorithm a server may list for client authentication.
    for (const field of [
      'token_endpoint_auth_signing_alg_values_supported',
      'introspection_endpoint_auth_signing_alg_values_supported',
    ])
      for (const alg of res.body[field] as string[]) expect(alg).not.toMatch(/^(none|HS\d+)$/);
  });

  it('names each tenant’s own issuer', async () => {
    const res = await get(at('/.well-known/oauth-authorization-server/t/globex'));
    expect(res.body.issuer).toBe(sts.issuer('globex'));
    expect(res.body.jwks_uri).toBe(`${sts.issuer('globex')}/jwks.json`);
  });

  it('is 404 for an unknown tenant', async () => {
    const res = await get(at('/.well-known/oauth-authorization-server/t/nobody'));
    expect(res.status).toBe(404);
  });
});

describe('JWKS', () => {
  it.each([
    ['acme', 'ES256', 'EC'],
    ['globex', 'RS256', 'RSA'],
  ])('%s publishes its %s key, public members only', async (tenantId, alg, kty) => {
    const res = await get(at(`/t/${tenantId}/jwks.json`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    const keys = res.body.keys as JWK[];
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty, alg, use: 'sig', kid: expect.any(String) });
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  });

  it('gives each tenant its own keys', async () => {
    const [acme, globex] = [await jwks('acme'), await jwks('globex')];
    expect(acme.map((k) => k.kid)).not.toContain(globex[0]?.kid);
  });
});

describe('health, methods and unknown paths', () => {
  it('/healthz answers 200', async () => {
    const res = await get(at('/healthz'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when the database answers and tenants are loaded', async () => {
    const res = await get(at('/readyz'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it.each([
    ['POST', '/healthz', 'GET, HEAD'],
    ['POST', '/readyz', 'GET, HEAD'],
    ['POST', '/t/acme/jwks.json', 'GET, HEAD'],
    ['DELETE', '/.well-known/oauth-authorization-server/t/acme', 'GET, HEAD'],
    ['GET', '/t/acme/token', 'POST'],
    ['PUT', '/t/acme/introspect', 'POST'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const res = await fetch(at(path), { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
  });

  it.each([
    '/',
    '/nope',
    '/t/acme',
    '/t/acme/',
    '/t/acme/nope',
    '/t/nobody/token',
    '/t/nobody/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration/t/acme',
  ])('%s → 404', async (path) => {
    const res = await get(at(path));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found' });
  });
});

describe('signing key rotation', () => {
  it('publishes both keys at the next poll, signs with the new one once active, and still verifies the old one', async () => {
    const before = await exchange(await idp.mint({ scope: 'orders:read' }), ORDERS, 'rotating');
    expect(before.status, before.text).toBe(200);
    const oldToken = before.body.access_token as string;
    const [oldKey] = await jwks('rotating');
    expect(decodeHeader(oldToken).kid).toBe(oldKey?.kid);

    const { keyEncryptionKey } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
    // Due at once (no pre-publication delay here: key-lifecycle.test.ts covers the delay).
    const newKey = await sts.database.signingKeys.rotate(
      'rotating',
      (alg) => sealedKeyPair(keyEncryptionKey, 'signing_keys', 'rotating', alg),
      { prepublishMs: 0 },
    );
    expect(newKey?.kid).not.toBe(oldKey?.kid);

    // Polled with a deadline of many poll intervals (STS_CONFIG_POLL_MS is 200 ms here).
    const published = await vi.waitFor(
      async () => {
        const keys = await jwks('rotating');
        expect(keys).toHaveLength(2);
        return keys;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(published.map((k) => k.kid).sort()).toEqual([oldKey?.kid, newKey?.kid].sort());
    for (const key of published)
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);

    // Once the lifecycle has run (at each reload, and on its timer), new tokens carry the new kid.
    await sts.keyLifecycle.runOnce();
    await vi.waitFor(
      async () => {
        const after = await exchange(await idp.mint({ scope: 'orders:read' }), ORDERS, 'rotating');
        expect(after.status, after.text).toBe(200);
        expect(decodeHeader(after.body.access_token as string).kid).toBe(newKey?.kid);
      },
      { timeout: 10_000, interval: 50 },
    );

    // A token signed before the rotation (now a retiring key) still introspects…
    const introspected = await post(
      `${sts.url}/t/rotating/introspect`,
      { token: oldToken },
      { basic: ['gateway', SECRET] },
    );
    expect(introspected.status).toBe(200);
    expect(introspected.body).toMatchObject({ active: true, token_type: 'Bearer' });

    // …and is still accepted as a subject token of this tenant, exchanged under the new key.
    const again = await exchange(oldToken, BILLING, 'rotating');
    expect(again.status, again.text).toBe(200);
    expect(decodeHeader(again.body.access_token as string).kid).toBe(newKey?.kid);

    // The other tenants are untouched.
    expect(await jwks('acme')).toHaveLength(1);
    expect(await jwks('globex')).toHaveLength(1);
  });
});
