import { type CryptoKey, exportSPKI, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import {
  ACTOR_TOKEN_INVALID,
  CLIENT_AUTH_FAILED,
  expectNoStoreJson,
  expectOAuthError,
  NOT_ALLOWED,
  rawRequest,
  SCOPE_NOT_ALLOWED,
  SUBJECT_TOKEN_INVALID,
  TARGET_NOT_ALLOWED,
  UNAVAILABLE,
} from './token-assertions';

/**
 * Every row of the token endpoint's error contract (docs/oauth-errors.md), over real
 * HTTP against the real STS: exact status, body, headers, and nothing of the input echoed.
 */

const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef012345';
const AGENT_SECRET = 'agent-secret-0123456789abcdef0123456789';
const STRICT_SECRET = 'strict-secret-0123456789abcdef012345678';
const LOCKED_SECRET = 'locked-secret-0123456789abcdef012345678';
const ORDERS = 'https://orders.example.test';
const API_PREFIX = 'https://api.example.test/';
const FORM = 'application/x-www-form-urlencoded';
const SAML2 = 'urn:ietf:params:oauth:token-type:saml2';

let idp: TestIdp;
let actorIdp: TestIdp;
let audIdp: TestIdp;
let remoteIdp: TestIdp;
let downIdp: TestIdp;
let sts: TestSts;
let url: string;

beforeAll(async () => {
  [idp, actorIdp, audIdp, remoteIdp, downIdp] = await Promise.all([
    TestIdp.create('https://idp.example.test'),
    TestIdp.create('https://agents.example.test'),
    TestIdp.create('https://aud-idp.example.test'),
    TestIdp.create('https://remote-idp.example.test'),
    TestIdp.create('https://down-idp.example.test'),
  ]);
  const remoteJwksUri = await remoteIdp.serveJwks();
  const downJwksUri = await downIdp.serveJwks();
  downIdp.jwksStatus = 500;
  const gatewayIssuers = [idp.issuer, audIdp.issuer, remoteIdp.issuer, downIdp.issuer];
  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [
          { clientId: 'gateway', authMethod: 'client_secret_basic', secret: GATEWAY_SECRET },
          { clientId: 'agent', authMethod: 'client_secret_post', secret: AGENT_SECRET },
          { clientId: 'strict', authMethod: 'client_secret_basic', secret: STRICT_SECRET },
          {
            clientId: 'locked',
            authMethod: 'client_secret_basic',
            secret: LOCKED_SECRET,
            allowTokenExchange: false,
          },
        ],
        trustedIssuers: [
          {
            issuer: idp.issuer,
            jwks: idp.jwks,
            algorithms: ['ES256', 'RS256'],
            audiences: ['https://gateway.example.test'],
          },
          {
            issuer: actorIdp.issuer,
            jwks: actorIdp.jwks,
            algorithms: ['ES256'],
            audiences: ['https://gateway.example.test'],
          },
          {
            issuer: audIdp.issuer,
            jwks: audIdp.jwks,
            algorithms: ['ES256'],
            audiences: ['https://sts.example.test'],
          },
          {
            issuer: remoteIdp.issuer,
            jwksUri: remoteJwksUri,
            algorithms: ['ES256'],
            audiences: ['https://gateway.example.test'],
          },
          {
            issuer: downIdp.issuer,
            jwksUri: downJwksUri,
            algorithms: ['ES256'],
            audiences: ['https://gateway.example.test'],
          },
        ],
        rules: [
          {
            id: 'gateway',
            clients: ['gateway', 'locked'],
            subjectIssuers: gatewayIssuers,
            mode: 'delegation',
            actors: ['client'],
            audiences: [ORDERS],
            audiencePrefixes: [API_PREFIX],
            scopes: ['orders:read', 'orders:write'],
          },
          {
            id: 'strict',
            clients: ['strict'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: [ORDERS],
            scopes: ['orders:read'],
            scopeMode: 'reject',
          },
          {
            id: 'agent',
            clients: ['agent'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: [{ issuer: actorIdp.issuer, subjects: ['agent:assistant'] }],
            audiences: [ORDERS],
            scopes: ['orders:read'],
          },
        ],
      },
    ],
  });
  url = sts.token('acme');
});

afterAll(async () => {
  await sts?.stop();
  await Promise.all([remoteIdp?.close(), downIdp?.close()]);
});

type Form = Record<string, string | string[]>;
const GATEWAY: [string, string] = ['gateway', GATEWAY_SECRET];

/** A complete, valid request for the gateway, with `overrides` (undefined removes a parameter). */
async function gatewayForm(overrides: Record<string, string | string[] | undefined> = {}) {
  const form: Form = {
    grant_type: TOKEN_EXCHANGE,
    subject_token: await idp.mint({ scope: 'orders:read orders:write' }),
    subject_token_type: ACCESS_TOKEN,
    audience: ORDERS,
  };
  for (const [name, value] of Object.entries(overrides))
    if (value === undefined) delete form[name];
    else form[name] = value;
  return form;
}

/** The gateway exchanges `subjectToken`; asserts the generic invalid subject token answer. */
async function expectSubjectRefused(
  subjectToken: string,
  extra: Record<string, string | string[]> = {},
): Promise<void> {
  const reply = await post(url, await gatewayForm({ subject_token: subjectToken, ...extra }), {
    basic: GATEWAY,
  });
  expectOAuthError(
    reply,
    { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
    [subjectToken, GATEWAY_SECRET],
  );
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('malformed requests → 400 invalid_request', () => {
  const cases: [string, Record<string, string> | undefined, string | Buffer, string][] = [
    [
      'bad percent-encoding',
      { 'content-type': FORM },
      'grant_type=%zz',
      'The request body is not valid form encoding',
    ],
    [
      'percent-encoded bytes that are not UTF-8',
      { 'content-type': FORM },
      `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}&scope=%ff%fe`,
      'The request body is not valid form encoding',
    ],
    [
      'raw bytes that are not UTF-8',
      { 'content-type': FORM },
      Buffer.concat([Buffer.from('grant_type=a&scope='), Buffer.from([0xc3, 0x28, 0xff])]),
      'The request body is not UTF-8',
    ],
    [
      'a JSON body',
      { 'content-type': 'application/json' },
      JSON.stringify({ grant_type: TOKEN_EXCHANGE }),
      `Content-Type must be ${FORM}`,
    ],
    [
      'a multipart body',
      { 'content-type': 'multipart/form-data; boundary=x' },
      `--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\n${TOKEN_EXCHANGE}\r\n--x--\r\n`,
      `Content-Type must be ${FORM}`,
    ],
    [
      'no content type',
      undefined,
      `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}`,
      `Content-Type must be ${FORM}`,
    ],
    [
      'a text/plain content type',
      { 'content-type': 'text/plain' },
      `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}`,
      `Content-Type must be ${FORM}`,
    ],
    [
      'a charset other than UTF-8',
      { 'content-type': `${FORM}; charset=iso-8859-1` },
      `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}`,
      'Only UTF-8 bodies are accepted',
    ],
  ];
  it.each(cases)('%s', async (_name, headers, body, description) => {
    const reply = await rawRequest(url, {
      headers: {
        ...headers,
        authorization: `Basic ${Buffer.from(`gateway:${GATEWAY_SECRET}`).toString('base64')}`,
      },
      body,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: description },
      [GATEWAY_SECRET],
    );
  });

  it('a body over 64 KiB, with Content-Length', async () => {
    const form = await gatewayForm({ scope: `orders:read ${'x'.repeat(64 * 1024)}` });
    const body = new URLSearchParams(form as Record<string, string>).toString();
    expect(body.length).toBeGreaterThan(64 * 1024);
    const reply = await rawRequest(url, {
      headers: {
        'content-type': FORM,
        'content-length': String(Buffer.byteLength(body)),
        authorization: `Basic ${Buffer.from(`gateway:${GATEWAY_SECRET}`).toString('base64')}`,
      },
      body,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: 'The request body is too large' },
      [form.subject_token as string],
    );
  });

  it('a body over 64 KiB, chunked (no Content-Length)', async () => {
    const form = await gatewayForm({ scope: `orders:read ${'x'.repeat(100 * 1024)}` });
    const body = new URLSearchParams(form as Record<string, string>).toString();
    const reply = await rawRequest(url, {
      headers: {
        'content-type': FORM,
        authorization: `Basic ${Buffer.from(`gateway:${GATEWAY_SECRET}`).toString('base64')}`,
      },
      body,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: 'The request body is too large' },
      [form.subject_token as string],
    );
  });

  it('a body of exactly 64 KiB is read (and fails later, on its content)', async () => {
    const form = await gatewayForm({ scope: 'orders:read' });
    let body = new URLSearchParams(form as Record<string, string>).toString();
    body += `&x=${'y'.repeat(64 * 1024 - body.length - 3)}`;
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    const reply = await post(url, body, { basic: GATEWAY });
    expect(reply.status, reply.text).toBe(200);
  });

  it.each([
    'grant_type',
    'subject_token',
    'subject_token_type',
    'scope',
    'client_id',
    'requested_token_type',
  ])('a repeated single-valued parameter: %s', async (name) => {
    const form = await gatewayForm({ client_id: 'gateway', scope: 'orders:read' });
    const token = form.subject_token as string;
    const value = form[name] ?? ACCESS_TOKEN;
    form[name] = [value as string, value as string];
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: `Parameter ${name} is repeated` },
      [token, GATEWAY_SECRET],
    );
  });

  it.each(['subject_token', 'subject_token_type'])(
    'a missing required parameter: %s',
    async (name) => {
      const form = await gatewayForm({ [name]: undefined });
      const reply = await post(url, form, { basic: GATEWAY });
      expectOAuthError(
        reply,
        { status: 400, error: 'invalid_request', error_description: `Missing ${name}` },
        [GATEWAY_SECRET],
      );
    },
  );

  it('actor_token without actor_token_type', async () => {
    const actorToken = await actorIdp.mint({ sub: 'agent:assistant' });
    const reply = await post(url, await gatewayForm({ actor_token: actorToken }), {
      basic: GATEWAY,
    });
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'invalid_request',
        error_description: 'actor_token_type is required with actor_token',
      },
      [actorToken],
    );
  });
});

describe('grant_type', () => {
  it('missing → invalid_request', async () => {
    const reply = await post(url, await gatewayForm({ grant_type: undefined }), { basic: GATEWAY });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_request',
      error_description: 'Missing grant_type',
    });
  });

  it.each([
    'client_credentials',
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
    TOKEN_EXCHANGE.toUpperCase(),
    'urn:ietf:params:oauth:grant-type:Token-Exchange',
    `${TOKEN_EXCHANGE} `,
  ])('%j → unsupported_grant_type', async (grantType) => {
    const form = await gatewayForm({ grant_type: grantType });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'unsupported_grant_type',
        error_description: 'The grant_type is not supported',
      },
      [form.subject_token as string],
    );
  });
});

describe('wrong HTTP method → 405 with Allow: POST and no body', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])('%s', async (method) => {
    const reply = await rawRequest(url, { method });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.text).toBe('');
  });
});

describe('client authentication', () => {
  it.each<[string, { basic?: [string, string]; body?: Form; headers?: Record<string, string> }]>([
    ['no authentication at all', {}],
    ['an unknown client (Basic)', { basic: ['nobody', GATEWAY_SECRET] }],
    ['a wrong secret (Basic)', { basic: ['gateway', `${GATEWAY_SECRET}x`] }],
    ['a wrong secret (post)', { body: { client_id: 'agent', client_secret: `${AGENT_SECRET}x` } }],
    ['client_id alone (a public client)', { body: { client_id: 'gateway' } }],
    [
      'a method the client is not registered for',
      { body: { client_id: 'gateway', client_secret: GATEWAY_SECRET } },
    ],
    ['a malformed Authorization header', { headers: { authorization: 'Basic !!!' } }],
    ['a Bearer Authorization header', { headers: { authorization: `Bearer ${GATEWAY_SECRET}` } }],
  ])('%s → 401 invalid_client', async (_name, auth) => {
    const form = { ...(await gatewayForm()), ...auth.body };
    const reply = await post(url, form, { basic: auth.basic, headers: auth.headers });
    expectOAuthError(
      reply,
      { status: 401, error: 'invalid_client', error_description: CLIENT_AUTH_FAILED },
      [form.subject_token as string, GATEWAY_SECRET, AGENT_SECRET],
    );
  });

  it('two authentication methods → 400 invalid_request', async () => {
    const form = await gatewayForm({ client_id: 'gateway', client_secret: GATEWAY_SECRET });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'invalid_request',
        error_description: 'More than one client authentication method was used',
      },
      [form.subject_token as string, GATEWAY_SECRET],
    );
  });

  it('a client with allowTokenExchange false → 400 unauthorized_client', async () => {
    const form = await gatewayForm();
    const reply = await post(url, form, { basic: ['locked', LOCKED_SECRET] });
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'unauthorized_client',
        error_description: 'The client may not use token exchange',
      },
      [form.subject_token as string, LOCKED_SECRET],
    );
  });
});

describe('invalid subject token → 400 invalid_request, generic description', () => {
  it.each(['none', 'None', 'NONE'])('alg %s', async (alg) => {
    const payload = { iss: idp.issuer, sub: 'alice', aud: ORDERS, iat: now(), exp: now() + 600 };
    await expectSubjectRefused(`${b64({ alg, typ: 'at+jwt' })}.${b64(payload)}.`);
  });

  it('an embedded jwk header is not used', async () => {
    const impostor = await TestIdp.create(idp.issuer);
    const jwk = impostor.keys.find((k) => k.alg === 'ES256')?.publicJwk;
    await expectSubjectRefused(await impostor.mint({}, { header: { kid: 'embedded', jwk } }));
  });

  it('HS256 signed with the issuer’s public key', async () => {
    const rs = idp.keys.find((k) => k.alg === 'RS256');
    const pem = await exportSPKI(
      (await importJWK({ ...rs?.publicJwk }, 'RS256', { extractable: true })) as CryptoKey,
    );
    const token = await new SignJWT({ sub: 'alice', scope: 'orders:read' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rs-1', typ: 'at+jwt' })
      .setIssuer(idp.issuer)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(pem));
    await expectSubjectRefused(token);
  });

  it('a wrong signature (same issuer and kid, another key)', async () => {
    const impostor = await TestIdp.create(idp.issuer);
    await expectSubjectRefused(await impostor.mint({ scope: 'orders:read' }));
  });

  it('a tampered payload', async () => {
    const [header, , signature] = (await idp.mint()).split('.');
    const payload = b64({ iss: idp.issuer, sub: 'admin', iat: now(), exp: now() + 600 });
    await expectSubjectRefused(`${header}.${payload}.${signature}`);
  });

  it('an expired token', async () => {
    await expectSubjectRefused(await idp.mint({ iat: now() - 900, exp: now() - 300 }));
  });

  it('nbf in the future', async () => {
    await expectSubjectRefused(await idp.mint({ nbf: now() + 600 }));
  });

  it('iat in the future', async () => {
    await expectSubjectRefused(await idp.mint({ iat: now() + 600, exp: now() + 1200 }));
  });

  it('no exp', async () => {
    await expectSubjectRefused(await idp.mint({ exp: undefined }));
  });

  it('no sub', async () => {
    await expectSubjectRefused(await idp.mint({ sub: undefined }));
  });

  it('an unknown kid', async () => {
    await expectSubjectRefused(await idp.mint({}, { header: { kid: 'unknown-kid' } }));
  });

  it('a jku header is not followed', async () => {
    const impostor = await TestIdp.create(idp.issuer);
    const jku = await impostor.serveJwks();
    try {
      await expectSubjectRefused(await impostor.mint({}, { header: { kid: 'rs-9', jku } }));
      expect(impostor.jwksRequests).toBe(0);
    } finally {
      await impostor.close();
    }
  });

  it('an untrusted issuer', async () => {
    const evil = await TestIdp.create('https://evil.example.test');
    await expectSubjectRefused(await evil.mint());
  });

  it('a wrong audience (trusted issuer with audiences)', async () => {
    await expectSubjectRefused(await audIdp.mint({ aud: 'https://elsewhere.example.test' }));
  });

  it('an algorithm the issuer is not pinned to', async () => {
    // remote-idp is pinned to ES256; its RS256 key is published but not allowed.
    await expectSubjectRefused(await remoteIdp.mint({}, { alg: 'RS256' }));
  });

  it('a typ that does not fit the token type', async () => {
    await expectSubjectRefused(await idp.mint({}, { header: { typ: 'dpop+jwt' } }));
  });

  it('not a JWT', async () => {
    await expectSubjectRefused('not-a-jwt-at-all-0123456789abcdef');
  });

  it('a token over 16 KiB', async () => {
    const token = await idp.mint({ padding: 'p'.repeat(16 * 1024) });
    expect(token.length).toBeGreaterThan(16 * 1024);
    const reply = await post(url, await gatewayForm({ subject_token: token }), { basic: GATEWAY });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: 'subject_token is too large' },
      [token],
    );
  });

  it('a SAML subject_token_type', async () => {
    const token = await idp.mint();
    const reply = await post(
      url,
      await gatewayForm({ subject_token: token, subject_token_type: SAML2 }),
      {
        basic: GATEWAY,
      },
    );
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'invalid_request',
        error_description: 'Unsupported subject_token_type',
      },
      [token],
    );
  });

  it('an unknown subject_token_type', async () => {
    const reply = await post(url, await gatewayForm({ subject_token_type: 'access_token' }), {
      basic: GATEWAY,
    });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_request',
      error_description: 'Unsupported subject_token_type',
    });
  });

  it.each([
    'urn:ietf:params:oauth:token-type:refresh_token',
    'urn:ietf:params:oauth:token-type:id_token',
    SAML2,
    'urn:example:custom',
  ])('an unsupported requested_token_type: %s', async (type) => {
    const form = await gatewayForm({ requested_token_type: type });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      {
        status: 400,
        error: 'invalid_request',
        error_description: 'Unsupported requested_token_type',
      },
      [form.subject_token as string],
    );
  });
});

describe('targets → 400 invalid_target', () => {
  it('more than 10 audience + resource values', async () => {
    const audiences = Array.from({ length: 6 }, (_, i) => `${API_PREFIX}a${i}`);
    const resources = Array.from({ length: 5 }, (_, i) => `${API_PREFIX}r${i}`);
    const form = await gatewayForm({ audience: audiences, resource: resources });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_target', error_description: TARGET_NOT_ALLOWED },
      [form.subject_token as string],
    );
  });

  it('exactly 10 allowed targets are accepted', async () => {
    const audiences = Array.from({ length: 5 }, (_, i) => `${API_PREFIX}a${i}`);
    const resources = Array.from({ length: 5 }, (_, i) => `${API_PREFIX}r${i}`);
    const reply = await post(url, await gatewayForm({ audience: audiences, resource: resources }), {
      basic: GATEWAY,
    });
    expect(reply.status, reply.text).toBe(200);
  });

  it.each([`${API_PREFIX}orders#frag`, 'orders', '/relative/path'])(
    'a malformed resource %j',
    async (resource) => {
      const form = await gatewayForm({ audience: undefined, resource });
      const reply = await post(url, form, { basic: GATEWAY });
      expectOAuthError(
        reply,
        { status: 400, error: 'invalid_target', error_description: TARGET_NOT_ALLOWED },
        [form.subject_token as string],
      );
    },
  );

  it('an audience the rule does not allow (audience escalation)', async () => {
    const form = await gatewayForm({ audience: [ORDERS, 'https://payments.example.test'] });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_target', error_description: TARGET_NOT_ALLOWED },
      [form.subject_token as string],
    );
  });

  it('a prefix match is not a sibling host', async () => {
    const form = await gatewayForm({ audience: 'https://api.example.test.evil.example/' });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_target',
      error_description: TARGET_NOT_ALLOWED,
    });
  });
});

describe('scope', () => {
  it('beyond the rule, reject mode → 400 invalid_scope', async () => {
    const form = await gatewayForm({ scope: 'orders:read orders:write' });
    const reply = await post(url, form, { basic: ['strict', STRICT_SECRET] });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_scope', error_description: SCOPE_NOT_ALLOWED },
      [form.subject_token as string],
    );
  });

  it('beyond the subject token’s own scope, reject mode → 400 invalid_scope', async () => {
    const form = await gatewayForm({
      subject_token: await idp.mint({ scope: 'profile' }),
      scope: 'orders:read',
    });
    const reply = await post(url, form, { basic: ['strict', STRICT_SECRET] });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_scope',
      error_description: SCOPE_NOT_ALLOWED,
    });
  });

  it('beyond the rule, narrow mode → 200 with the smaller granted scope', async () => {
    const form = await gatewayForm({
      subject_token: await idp.mint({ scope: 'orders:read' }),
      scope: 'orders:read orders:write admin',
    });
    const reply = await post(url, form, { basic: GATEWAY });
    expect(reply.status, reply.text).toBe(200);
    expectNoStoreJson(reply);
    expect(reply.body.scope).toBe('orders:read');
  });

  it('nothing grantable, narrow mode → 400 invalid_scope', async () => {
    const form = await gatewayForm({ scope: 'admin' });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_scope',
      error_description: SCOPE_NOT_ALLOWED,
    });
  });

  it('a malformed scope → 400 invalid_scope', async () => {
    const form = await gatewayForm({ scope: 'orders:read "quoted"' });
    const reply = await post(url, form, { basic: GATEWAY });
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_scope',
      error_description: 'The requested scope is malformed',
    });
  });
});

describe('policy refusals → 400 invalid_request', () => {
  it('impersonation where only delegation is allowed (no actor token; actors without client)', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const reply = await post(url, {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
      client_id: 'agent',
      client_secret: AGENT_SECRET,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: NOT_ALLOWED },
      [subject, AGENT_SECRET],
    );
  });

  it('an actor the rule does not allow', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const actor = await actorIdp.mint({ sub: 'agent:rogue' });
    const reply = await post(url, {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      actor_token: actor,
      actor_token_type: ACCESS_TOKEN,
      audience: ORDERS,
      client_id: 'agent',
      client_secret: AGENT_SECRET,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: NOT_ALLOWED },
      [subject, actor],
    );
  });

  it('an actor token from an untrusted issuer', async () => {
    const evil = await TestIdp.create('https://evil.example.test');
    const subject = await idp.mint({ scope: 'orders:read' });
    const actor = await evil.mint({ sub: 'agent:assistant' });
    const reply = await post(url, {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      actor_token: actor,
      actor_token_type: ACCESS_TOKEN,
      audience: ORDERS,
      client_id: 'agent',
      client_secret: AGENT_SECRET,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: ACTOR_TOKEN_INVALID },
      [subject, actor],
    );
  });

  it('may_act that does not name the acting client', async () => {
    await expectNotAllowed(await idp.mint({ may_act: { sub: 'someone-else' } }));
  });

  it('may_act naming the client but another issuer', async () => {
    await expectNotAllowed(await idp.mint({ may_act: { sub: 'gateway', iss: idp.issuer } }));
  });

  it('an actor chain deeper than the rule allows', async () => {
    await expectNotAllowed(await idp.mint({ act: { sub: 'svc-earlier', iss: idp.issuer } }));
  });

  it('an act claim nested deeper than 5 on input', async () => {
    let act: Record<string, unknown> = { sub: 'a0' };
    for (let i = 1; i < 7; i++) act = { sub: `a${i}`, act };
    await expectSubjectRefused(await idp.mint({ act }));
  });

  it('no rule for the client → invalid_request', async () => {
    // The strict rule accepts idp only, so an aud-idp token (otherwise valid) matches no rule.
    const subject = await audIdp.mint({ aud: 'https://sts.example.test' });
    const reply = await post(url, await gatewayForm({ subject_token: subject }), {
      basic: ['strict', STRICT_SECRET],
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: NOT_ALLOWED },
      [subject],
    );
  });

  async function expectNotAllowed(subject: string) {
    const reply = await post(url, await gatewayForm({ subject_token: subject }), {
      basic: GATEWAY,
    });
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: NOT_ALLOWED },
      [subject],
    );
  }
});

describe('trusted issuers’ JWKS by URI', () => {
  it('a JWKS that answers 500, no cached key → 503 temporarily_unavailable with Retry-After', async () => {
    const subject = await downIdp.mint({ scope: 'orders:read' });
    const reply = await post(url, await gatewayForm({ subject_token: subject }), {
      basic: GATEWAY,
    });
    expectOAuthError(
      reply,
      { status: 503, error: 'temporarily_unavailable', error_description: UNAVAILABLE },
      [subject],
    );
    expect(downIdp.jwksRequests).toBeGreaterThan(0);
  });

  it('a JWKS fetched by loopback URI works normally (and is cached)', async () => {
    const first = await post(url, await gatewayForm({ subject_token: await remoteIdp.mint() }), {
      basic: GATEWAY,
    });
    expect(first.status, first.text).toBe(200);
    const second = await post(url, await gatewayForm({ subject_token: await remoteIdp.mint() }), {
      basic: GATEWAY,
    });
    expect(second.status, second.text).toBe(200);
    expect(remoteIdp.jwksRequests).toBe(1);
  });

  it('the remote issuer’s tokens are still checked: a wrong signature is refused', async () => {
    const impostor = await TestIdp.create(remoteIdp.issuer);
    await expectSubjectRefused(await impostor.mint());
  });
});

describe('after all of the above', () => {
  it('the server keeps serving: health, metadata and a successful exchange', async () => {
    expect((await get(`${sts.url}/healthz`)).status).toBe(200);
    expect((await get(`${sts.url}/t/acme/jwks.json`)).status).toBe(200);
    const reply = await post(url, await gatewayForm(), { basic: GATEWAY });
    expect(reply.status, reply.text).toBe(200);
    expectNoStoreJson(reply);
  });
});
