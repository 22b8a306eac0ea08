/**
 * Token introspection (RFC 7662) of the tokens a tenant issued: an authenticated client of the
 * tenant that is allowed to introspect (`allowIntrospection`, §4) learns whether a token is
 * active and, if so, its claims; anything else is `{"active": false}` and nothing more (§2.2).
 * Errors follow RFC 6749 §5.2 (§2.3). Every request is audited.
 */
import { randomBytes } from 'node:crypto';
import { deriveKeys, loadOrCreateMasterKey, openPrivateJwk } from '@sts/crypto';
import { exportJWK, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');
const AUDIENCE = 'https://orders.example.test';
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const POST_SECRET = 'auditor-secret-0123456789abcdef0123456789';
const GLOBEX_SECRET = 'globex-secret-0123456789abcdef0123456789a';
const NOSY_SECRET = 'nosy-secret-0123456789abcdef0123456789abcd';
const INACTIVE = { active: false };

let idp: TestIdp;
let sts: TestSts;
let clientKey: Awaited<ReturnType<typeof generateKeyPair>>;

const tenant = (id: string, clients: unknown[]) => ({
  id,
  displayName: id,
  clients,
  trustedIssuers: [idp.trusted()],
  rules: [
    {
      id: 'gw',
      clients: ['gateway'],
      subjectIssuers: [idp.issuer],
      mode: 'delegation',
      actors: ['client'],
      audiences: [AUDIENCE],
      scopes: ['orders:read'],
      // Claims named like introspection's own members: they must not override them.
      carryClaims: ['active', 'token_type', 'department'],
    },
  ],
});

beforeAll(async () => {
  idp = await TestIdp.create();
  clientKey = await generateKeyPair('ES256', { extractable: true });
  const clientJwk = { ...(await exportJWK(clientKey.publicKey)), kid: 'k1', alg: 'ES256' };
  sts = await startTestSts(
    {
      tenants: [
        tenant('acme', [
          {
            clientId: 'gateway',
            authMethod: 'client_secret_basic',
            secret: SECRET,
            allowIntrospection: true,
          },
          {
            clientId: 'auditor',
            authMethod: 'client_secret_post',
            secret: POST_SECRET,
            allowTokenExchange: false,
            allowIntrospection: true,
          },
          {
            clientId: 'monitor',
            authMethod: 'private_key_jwt',
            jwks: { keys: [clientJwk] },
            allowIntrospection: true,
          },
          // A client of the tenant that is not a resource server: it may not introspect.
          { clientId: 'nosy', authMethod: 'client_secret_basic', secret: NOSY_SECRET },
        ]),
        tenant('globex', [
          {
            clientId: 'gateway',
            authMethod: 'client_secret_basic',
            secret: GLOBEX_SECRET,
            allowIntrospection: true,
          },
        ]),
      ],
    },
    { STS_MASTER_KEY: MASTER_KEY },
  );
});

afterAll(async () => {
  await sts?.stop();
});

const introspectUrl = (tenantId: string) =>
  `${sts.issuer(tenantId).replace(sts.publicUrl, sts.url)}/introspect`;

/** A token issued by `tenantId` through a real exchange. */
async function issued(
  tenantId = 'acme',
  secret = SECRET,
  subjectClaims: JWTPayload = {},
): Promise<string> {
  const res = await post(
    sts.token(tenantId),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint({ scope: 'orders:read', ...subjectClaims }),
      subject_token_type: ACCESS_TOKEN,
      audience: AUDIENCE,
    },
    { basic: ['gateway', secret] },
  );
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}

/** A token signed with the tenant's own active key (read from the database), with any claims. */
async function signedByTenant(tenantId: string, claims: JWTPayload): Promise<string> {
  const { keyEncryptionKey } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
  const [active] = await sts.database.signingKeys.listUsable(tenantId);
  if (!active) throw new Error('no active key');
  const privateJwk = openPrivateJwk(
    keyEncryptionKey,
    'signing_keys',
    tenantId,
    active.kid,
    active.sealedPrivateKey,
  );
  const key = await importJWK({ ...privateJwk, alg: active.alg } as never, active.alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: sts.issuer(tenantId),
    sub: 'alice',
    aud: AUDIENCE,
    client_id: 'gateway',
    iat: now - 600,
    exp: now + 300,
    jti: crypto.randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: 'at+jwt' })
    .sign(key);
}

const introspect = (
  token: string | undefined,
  tenantId = 'acme',
  extra: Record<string, string> = {},
) =>
  post(
    introspectUrl(tenantId),
    { ...(token === undefined ? {} : { token }), ...extra },
    {
      basic: tenantId === 'acme' ? ['gateway', SECRET] : ['gateway', GLOBEX_SECRET],
    },
  );

function expectAnswer(res: Reply, body: Record<string, unknown>): void {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.body).toEqual(body);
}

function expectError(res: Reply, status: number, body: Record<string, string>): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toEqual(body);
}

describe('active tokens', () => {
  it('answers active:true with the token’s claims and token_type', async () => {
    const token = await issued();
    const res = await introspect(token);
    const claims = decodePayload(token);
    expectAnswer(res, { active: true, token_type: 'Bearer', ...claims });
    expect(res.body).toMatchObject({
      iss: sts.issuer('acme'),
      sub: 'alice',
      aud: AUDIENCE,
      client_id: 'gateway',
      scope: 'orders:read',
      act: { sub: 'gateway' },
    });
    for (const claim of ['exp', 'iat', 'jti']) expect(res.body).toHaveProperty(claim);
  });

  it('ignores token_type_hint (§2.1: the server may ignore it)', async () => {
    const token = await issued();
    const claims = decodePayload(token);
    const res = await introspect(token, 'acme', { token_type_hint: 'refresh_token' });
    expectAnswer(res, { active: true, token_type: 'Bearer', ...claims });
  });

  it('lets a client allowed to introspect do so, by any of its methods', async () => {
    const token = await issued();
    const expected = { active: true, token_type: 'Bearer', ...decodePayload(token) };

    const byPost = await post(introspectUrl('acme'), {
      token,
      client_id: 'auditor',
      client_secret: POST_SECRET,
    });
    expectAnswer(byPost, expected);

    // ADR 0004: the assertion's audience is the tenant's issuer, at every endpoint.
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({
      iss: 'monitor',
      sub: 'monitor',
      aud: sts.issuer('acme'),
      iat: now,
      exp: now + 60,
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(clientKey.privateKey);
    const byAssertion = await post(introspectUrl('acme'), {
      token,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expectAnswer(byAssertion, expected);
  });

  it('answers active:true for a token of this tenant’s key that has not expired (control)', async () => {
    const token = await signedByTenant('acme', {});
    expectAnswer(await introspect(token), {
      active: true,
      token_type: 'Bearer',
      ...decodePayload(token),
    });
  });

  it('keeps active and token_type its own when the token carries claims of those names', async () => {
    const token = await issued('acme', SECRET, {
      active: false,
      token_type: 'N_A',
      department: 'sales',
    });
    expect(decodePayload(token)).toMatchObject({ active: false, token_type: 'N_A' });
    const res = await introspect(token);
    expect(res.body).toMatchObject({ active: true, token_type: 'Bearer', department: 'sales' });
  });
});

describe('inactive tokens: {"active": false} and nothing else', () => {
  it('an expired token of this tenant', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signedByTenant('acme', { exp: now - 1 });
    expectAnswer(await introspect(token), INACTIVE);
  });

  it('a token another tenant issued', async () => {
    const token = await issued('globex', GLOBEX_SECRET);
    expectAnswer(await introspect(token, 'acme'), INACTIVE);
    // The same token is active where it was issued.
    expect((await introspect(token, 'globex')).body.active).toBe(true);
  });

  it('a token signed with another tenant’s key that names this tenant as issuer', async () => {
    const token = await signedByTenant('globex', { iss: sts.issuer('acme') });
    expectAnswer(await introspect(token, 'acme'), INACTIVE);
  });

  it('a token of the upstream identity provider', async () => {
    expectAnswer(await introspect(await idp.mint()), INACTIVE);
  });

  it.each([
    ['garbage', 'garbage'],
    ['three empty parts', '..'],
    ['not base64url JSON', 'a.b.c'],
    ['a tampered signature', 'TAMPER'],
    ['an oversized token', 'x'.repeat(17 * 1024)],
  ])('%s', async (_name, value) => {
    let token = value;
    if (value === 'TAMPER') {
      const good = await issued();
      token = `${good.slice(0, -4)}${good.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    }
    expectAnswer(await introspect(token), INACTIVE);
  });
});

describe('the audit', () => {
  it('records each answer: the client, and the token’s subject and jti when active', async () => {
    const token = await issued();
    const claims = decodePayload(token);
    expectAnswer(await introspect(token), { active: true, token_type: 'Bearer', ...claims });
    const [active] = await sts.auditEvents('acme');
    expect(active).toMatchObject({
      endpoint: 'introspect',
      clientId: 'gateway',
      decision: 'granted',
      subjectIssuer: sts.issuer('acme'),
      subjectSub: claims.sub,
      jti: claims.jti,
    });
    expect(active?.trace.at(-1)).toMatchObject({ step: 'introspection', outcome: 'pass' });

    expectAnswer(await introspect(`${token}x`), INACTIVE);
    const [inactive] = await sts.auditEvents('acme');
    expect(inactive).toMatchObject({
      endpoint: 'introspect',
      clientId: 'gateway',
      decision: 'granted',
    });
    expect(inactive?.jti).toBeUndefined();
    expect(inactive?.trace.at(-1)).toMatchObject({ step: 'introspection', outcome: 'fail' });
  });

  it('records a failed client authentication under the client id claimed', async () => {
    await post(introspectUrl('acme'), { token: 'x' }, { basic: ['gateway', `${SECRET}x`] });
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({
      endpoint: 'introspect',
      clientId: 'gateway',
      decision: 'denied',
      reason: 'client.secret',
    });
  });
});

describe('errors', () => {
  it('400 invalid_request when token is missing', async () => {
    expectError(await introspect(undefined), 400, {
      error: 'invalid_request',
      error_description: 'Missing token',
    });
  });

  it('400 invalid_request when token is repeated', async () => {
    const res = await post(
      introspectUrl('acme'),
      { token: ['a', 'b'] },
      { basic: ['gateway', SECRET] },
    );
    expectError(res, 400, {
      error: 'invalid_request',
      error_description: 'Parameter token is repeated',
    });
  });

  it.each([
    ['no client authentication', {}],
    ['a wrong secret', { basic: ['gateway', `${SECRET}x`] as [string, string] }],
    ['another tenant’s client', { basic: ['gateway', GLOBEX_SECRET] as [string, string] }],
  ])('401 invalid_client with %s', async (_name, options) => {
    const res = await post(introspectUrl('acme'), { token: await issued() }, options);
    expectError(res, 401, {
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
    expect(res.headers.get('www-authenticate')).toBe(
      `Basic realm="${sts.issuer('acme')}", charset="UTF-8"`,
    );
  });

  it('400 unauthorized_client for a client not allowed to introspect, audited', async () => {
    const token = await issued();
    const res = await post(introspectUrl('acme'), { token }, { basic: ['nosy', NOSY_SECRET] });
    expectError(res, 400, {
      error: 'unauthorized_client',
      error_description: 'The client may not use token introspection',
    });
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({
      endpoint: 'introspect',
      clientId: 'nosy',
      decision: 'denied',
      errorCode: 'unauthorized_client',
      reason: 'client.introspection',
      errorDetail: 'client nosy may not introspect',
    });
    expect(event?.subjectSub).toBeUndefined();
  });

  it('405 with Allow: POST for GET', async () => {
    const res = await fetch(introspectUrl('acme'));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
