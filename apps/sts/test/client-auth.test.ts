/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2 and §3,
 * docs/decisions/0004): exactly one method, the one registered for the client. Every refusal is
 * checked on the wire (exact JSON, 401 + WWW-Authenticate, no-store) and in the audit record,
 * which keeps the precise reason the client never sees.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const AUDIENCE = 'https://orders.example.test';

const BASIC_SECRET = 'basic-secret-0123456789abcdef0123456789';
const POST_SECRET = 'post-secret-0123456789abcdef0123456789ab';
/** RFC 6749 §2.3.1: both halves are form-encoded before the Basic encoding. */
const ODD_ID = 'svc:one+two%2F&three=four/five?';
const ODD_SECRET = 'a secret: with spaces+plus%25&amp=eq/é€ 0123456789';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

let idp: TestIdp;
let sts: TestSts;
let inlineKey: KeyPair;
let remoteKey: KeyPair;
let strangerKey: KeyPair;
let jwksServer: Server;
let jwksRequests = 0;

beforeAll(async () => {
  idp = await TestIdp.create();
  [inlineKey, remoteKey, strangerKey] = await Promise.all([
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const remoteJwks = JSON.stringify({
    keys: [{ ...(await exportJWK(remoteKey.publicKey)), kid: 'remote-1', alg: 'ES256' }],
  });
  jwksServer = createServer((_req, res) => {
    jwksRequests++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(remoteJwks);
  });
  await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
  const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;

  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [
          { clientId: 'basic', authMethod: 'client_secret_basic', secret: BASIC_SECRET },
          { clientId: ODD_ID, authMethod: 'client_secret_basic', secret: ODD_SECRET },
          { clientId: 'poster', authMethod: 'client_secret_post', secret: POST_SECRET },
          {
            clientId: 'jwt-inline',
            authMethod: 'private_key_jwt',
            jwks: {
              keys: [{ ...(await exportJWK(inlineKey.publicKey)), kid: 'inline-1', alg: 'ES256' }],
            },
          },
          { clientId: 'jwt-remote', authMethod: 'private_key_jwt', jwksUri },
          {
            clientId: 'disabled',
            authMethod: 'client_secret_basic',
            secret: BASIC_SECRET,
            disabled: true,
          },
        ],
        trustedIssuers: [idp.trusted()],
        rules: [
          {
            id: 'any-client',
            clients: ['*'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: [AUDIENCE],
            scopes: ['orders:read'],
          },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await sts?.stop();
  await new Promise((ok) => jwksServer?.close(ok));
});

/** A valid token exchange request, without client authentication. */
async function exchange(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    grant_type: TOKEN_EXCHANGE,
    subject_token: await idp.mint({ scope: 'orders:read' }),
    subject_token_type: ACCESS_TOKEN,
    audience: AUDIENCE,
    ...extra,
  };
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded (space as "+"). */
const formEncode = (s: string) => new URLSearchParams({ s }).toString().slice('s='.length);
const basicHeader = (id: string, secret: string, encode = formEncode) =>
  `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`, 'utf8').toString('base64')}`;

/** An RFC 7523 client assertion for `clientId`; `claims` override, `undefined` removes one. */
async function assertion(
  clientId: string,
  options: {
    key?: KeyPair['privateKey'] | Uint8Array;
    kid?: string;
    alg?: string;
    claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: sts.issuer('acme'),
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'inline-1' })
    .sign(options.key ?? inlineKey.privateKey);
}

const withAssertion = async (jwt: string, extra: Record<string, string> = {}) =>
  exchange({ client_assertion_type: JWT_BEARER, client_assertion: jwt, ...extra });

/** The newest audit record: the precise reason the client was not told. */
async function lastAudit(): Promise<{
  client_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  reason: string | null;
}> {
  const { client_id, error_code, error_detail, reason } =
    (await sts.rows('audit_events')).at(-1) ?? {};
  return { client_id, error_code, error_detail, reason } as never;
}

async function expectGranted(res: Reply, clientId: string): Promise<void> {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const claims = decodePayload(res.body.access_token as string);
  expect(claims).toMatchObject({ client_id: clientId, act: { sub: clientId } });
  expect(await lastAudit()).toEqual({
    client_id: clientId,
    error_code: null,
    error_detail: null,
    reason: null,
  });
}

/** RFC 6749 §5.2: 401 invalid_client with WWW-Authenticate; the reason only in the audit record. */
async function expectInvalidClient(res: Reply, detail: RegExp): Promise<void> {
  expect(res.status, res.text).toBe(401);
  expect(res.body).toEqual({
    error: 'invalid_client',
    error_description: 'Client authentication failed',
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('www-authenticate')).toBe(
    `Basic realm="${sts.issuer('acme')}", charset="UTF-8"`,
  );
  const audit = await lastAudit();
  expect(audit.error_code).toBe('invalid_client');
  expect(audit.error_detail).toMatch(detail);
}

function expectInvalidRequest(res: Reply, description: string): void {
  expect(res.status, res.text).toBe(400);
  expect(res.body).toEqual({ error: 'invalid_request', error_description: description });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('www-authenticate')).toBeNull();
}

describe('client_secret_basic', () => {
  it('authenticates with the registered secret', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['basic', BASIC_SECRET],
    });
    await expectGranted(res, 'basic');
  });

  it('form-decodes client id and secret (RFC 6749 §2.3.1), "+" as space', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      headers: { authorization: basicHeader(ODD_ID, ODD_SECRET) },
    });
    await expectGranted(res, ODD_ID);
  });

  it('form-decodes client id and secret percent-encoded with %20 for space', async () => {
    const res = await post(sts.token('acme'), await exchange(), { basic: [ODD_ID, ODD_SECRET] });
    await expectGranted(res, ODD_ID);
  });

  it('accepts client_id in the body when it equals the Basic one', async () => {
    const res = await post(sts.token('acme'), await exchange({ client_id: 'basic' }), {
      basic: ['basic', BASIC_SECRET],
    });
    await expectGranted(res, 'basic');
  });

  it('refuses a wrong secret', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['basic', `${BASIC_SECRET}x`],
    });
    await expectInvalidClient(res, /^client basic: unknown client or wrong secret$/);
  });

  it('refuses id and secret sent without form-encoding when they have reserved characters', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      headers: { authorization: basicHeader(ODD_ID, ODD_SECRET, (s) => s) },
    });
    // Unencoded, the id's own ":" splits the credential early: client "svc", which is unknown.
    await expectInvalidClient(res, /^client svc: unknown client or wrong secret$/);
  });

  it('refuses an unknown client', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['nobody', BASIC_SECRET],
    });
    await expectInvalidClient(res, /^client nobody: unknown client or wrong secret$/);
  });

  it('refuses a disabled client with its right secret', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['disabled', BASIC_SECRET],
    });
    await expectInvalidClient(res, /^client disabled is disabled$/);
  });

  it('refuses client_id in the body that differs from the Basic one', async () => {
    const res = await post(sts.token('acme'), await exchange({ client_id: 'poster' }), {
      basic: ['basic', BASIC_SECRET],
    });
    await expectInvalidClient(res, /^client_id differs from the Basic credential$/);
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['no credentials', 'Basic '],
    ['not base64', 'Basic !!!notbase64!!!'],
    ['no colon', `Basic ${Buffer.from('basic').toString('base64')}`],
    ['empty client id', `Basic ${Buffer.from(`:${BASIC_SECRET}`).toString('base64')}`],
    ['bad percent-encoding', `Basic ${Buffer.from('basic:%zz').toString('base64')}`],
  ])('refuses a malformed Authorization header: %s', async (_name, authorization) => {
    const res = await post(sts.token('acme'), await exchange(), { headers: { authorization } });
    await expectInvalidClient(res, /^Authorization header is not a valid Basic credential$/);
  });
});

describe('client_secret_post', () => {
  it('authenticates with client_id and client_secret in the body', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({ client_id: 'poster', client_secret: POST_SECRET }),
    );
    await expectGranted(res, 'poster');
  });

  it('refuses a wrong secret', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({ client_id: 'poster', client_secret: BASIC_SECRET }),
    );
    await expectInvalidClient(res, /^client poster: unknown client or wrong secret$/);
  });

  it('refuses client_secret without client_id', async () => {
    const res = await post(sts.token('acme'), await exchange({ client_secret: POST_SECRET }));
    await expectInvalidClient(res, /^client_secret without client_id$/);
  });
});

describe('no or public client authentication', () => {
  it('refuses a request without any credentials', async () => {
    const res = await post(sts.token('acme'), await exchange());
    await expectInvalidClient(res, /^no client authentication$/);
  });

  it('refuses a public client (client_id only)', async () => {
    const res = await post(sts.token('acme'), await exchange({ client_id: 'basic' }));
    await expectInvalidClient(res, /^no client authentication$/);
    expect((await lastAudit()).client_id).toBe('basic');
  });
});

describe('a method other than the registered one', () => {
  it('refuses Basic for a client_secret_post client', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['poster', POST_SECRET],
    });
    await expectInvalidClient(
      res,
      /^client poster is registered for client_secret_post, not client_secret_basic$/,
    );
  });

  it('refuses the body for a client_secret_basic client', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({ client_id: 'basic', client_secret: BASIC_SECRET }),
    );
    await expectInvalidClient(
      res,
      /^client basic is registered for client_secret_basic, not client_secret_post$/,
    );
  });

  it('refuses an assertion for a client_secret_basic client', async () => {
    const res = await post(sts.token('acme'), await withAssertion(await assertion('basic')));
    await expectInvalidClient(
      res,
      /^client basic is registered for client_secret_basic, not private_key_jwt$/,
    );
  });

  it('refuses a secret for a private_key_jwt client (it has none)', async () => {
    const res = await post(sts.token('acme'), await exchange(), {
      basic: ['jwt-inline', BASIC_SECRET],
    });
    await expectInvalidClient(res, /^client jwt-inline: unknown client or wrong secret$/);
  });
});

describe('more than one method', () => {
  const TWO_METHODS = 'More than one client authentication method was used';

  it('Basic and client_secret in the body', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({ client_id: 'basic', client_secret: BASIC_SECRET }),
      { basic: ['basic', BASIC_SECRET] },
    );
    expectInvalidRequest(res, TWO_METHODS);
  });

  it('Basic and a client assertion', async () => {
    const res = await post(sts.token('acme'), await withAssertion(await assertion('jwt-inline')), {
      basic: ['basic', BASIC_SECRET],
    });
    expectInvalidRequest(res, TWO_METHODS);
  });

  it('client_secret and a client assertion in the body', async () => {
    const res = await post(
      sts.token('acme'),
      await withAssertion(await assertion('jwt-inline'), {
        client_id: 'jwt-inline',
        client_secret: POST_SECRET,
      }),
    );
    expectInvalidRequest(res, TWO_METHODS);
  });
});

describe('private_key_jwt (RFC 7523)', () => {
  it('authenticates with a key from the client’s inline JWKS', async () => {
    const res = await post(sts.token('acme'), await withAssertion(await assertion('jwt-inline')));
    await expectGranted(res, 'jwt-inline');
  });

  it('authenticates with client_id in the body equal to the assertion’s sub', async () => {
    const res = await post(
      sts.token('acme'),
      await withAssertion(await assertion('jwt-inline'), { client_id: 'jwt-inline' }),
    );
    await expectGranted(res, 'jwt-inline');
  });

  it('authenticates with a key from the client’s jwksUri, fetched once', async () => {
    const sign = () => assertion('jwt-remote', { key: remoteKey.privateKey, kid: 'remote-1' });
    const before = jwksRequests;
    await expectGranted(
      await post(sts.token('acme'), await withAssertion(await sign())),
      'jwt-remote',
    );
    await expectGranted(
      await post(sts.token('acme'), await withAssertion(await sign())),
      'jwt-remote',
    );
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses a replayed assertion (jti single use)', async () => {
    const jwt = await assertion('jwt-inline');
    await expectGranted(await post(sts.token('acme'), await withAssertion(jwt)), 'jwt-inline');
    const replay = await post(sts.token('acme'), await withAssertion(jwt));
    await expectInvalidClient(replay, /^client jwt-inline: client_assertion jti was already used$/);
  });

  it('refuses aud = the token endpoint URL: only the issuer is accepted (ADR 0004)', async () => {
    const jwt = await assertion('jwt-inline', { claims: { aud: sts.token('acme') } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(aud check_failed\)/,
    );
  });

  it('refuses another tenant’s issuer as aud', async () => {
    const jwt = await assertion('jwt-inline', { claims: { aud: sts.issuer('other') } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(aud check_failed\)/,
    );
  });

  it('refuses an expired assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await assertion('jwt-inline', { claims: { iat: now - 300, exp: now - 120 } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(ERR_JWT_EXPIRED\)/,
    );
  });

  it('refuses an assertion that lives longer than 5 minutes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await assertion('jwt-inline', { claims: { iat: now, exp: now + 600 } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion lives longer than 300s/,
    );
  });

  it('refuses a long-lived assertion without iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await assertion('jwt-inline', { claims: { iat: undefined, exp: now + 3600 } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion lives longer than 300s/,
    );
  });

  it.each(['jti', 'exp'])('refuses an assertion without %s', async (claim) => {
    const jwt = await assertion('jwt-inline', { claims: { [claim]: undefined } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      new RegExp(`client_assertion rejected \\(${claim} missing\\)`),
    );
  });

  it('refuses an assertion whose iss is not the client', async () => {
    const jwt = await assertion('jwt-inline', { claims: { iss: 'someone-else' } });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(iss check_failed\)/,
    );
  });

  it('refuses an assertion signed by an unknown key under the client’s kid', async () => {
    const jwt = await assertion('jwt-inline', { key: strangerKey.privateKey });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(ERR_JWS_SIGNATURE_VERIFICATION_FAILED\)/,
    );
  });

  it('refuses an assertion signed by an unknown key with its own kid', async () => {
    const jwt = await assertion('jwt-inline', { key: strangerKey.privateKey, kid: 'stranger' });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(no key matches kid "stranger"\)/,
    );
  });

  it('refuses an HS256 assertion', async () => {
    const jwt = await assertion('jwt-inline', {
      alg: 'HS256',
      key: new TextEncoder().encode('a-shared-secret-0123456789abcdef'),
    });
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(jwt)),
      /client_assertion rejected \(ERR_JOSE_ALG_NOT_ALLOWED\)/,
    );
  });

  it('refuses an unsigned assertion (alg none)', async () => {
    const signed = await assertion('jwt-inline');
    const [, payload] = signed.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'inline-1' })).toString(
      'base64url',
    );
    await expectInvalidClient(
      await post(sts.token('acme'), await withAssertion(`${header}.${payload}.`)),
      /^client jwt-inline: client_assertion rejected \(ERR_JOSE_ALG_NOT_ALLOWED\)$/,
    );
  });

  it('refuses a wrong client_assertion_type', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
        client_assertion: await assertion('jwt-inline'),
      }),
    );
    await expectInvalidClient(res, /^client_assertion_type is missing or unsupported$/);
  });

  it('refuses an assertion without client_assertion_type', async () => {
    const res = await post(
      sts.token('acme'),
      await exchange({ client_assertion: await assertion('jwt-inline') }),
    );
    await expectInvalidClient(res, /^client_assertion_type is missing or unsupported$/);
  });

  it('refuses an assertion that is not a JWT', async () => {
    const res = await post(sts.token('acme'), await withAssertion('not-a-jwt'));
    await expectInvalidClient(res, /^client_assertion is not a JWT$/);
  });

  it('refuses an assertion for an unknown client', async () => {
    const res = await post(sts.token('acme'), await withAssertion(await assertion('nobody')));
    await expectInvalidClient(res, /^client nobody: unknown client$/);
  });

  it('refuses client_id in the body that differs from the assertion’s sub', async () => {
    const res = await post(
      sts.token('acme'),
      await withAssertion(await assertion('jwt-inline'), { client_id: 'jwt-remote' }),
    );
    await expectInvalidClient(res, /^client_id differs from the client_assertion sub$/);
  });
});
