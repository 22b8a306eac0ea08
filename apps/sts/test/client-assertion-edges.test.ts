/**
 * Edges of private_key_jwt (RFC 7523 §3, draft-ietf-oauth-rfc7523bis, decision 0004): the
 * assertion's `aud` is the issuer as one string, its `iat` is not in the future beyond the
 * tolerated skew, and a refused assertion is audited under the client it claims to be.
 */
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const AUDIENCE = 'https://orders.example.test';
const SKEW = 30;

let idp: TestIdp;
let sts: TestSts;
let key: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  idp = await TestIdp.create();
  key = await generateKeyPair('ES256', { extractable: true });
  sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          clients: [
            {
              clientId: 'jwt-inline',
              authMethod: 'private_key_jwt',
              jwks: { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'ES256' }] },
            },
          ],
          trustedIssuers: [idp.trusted()],
          rules: [
            {
              id: 'r',
              clients: ['*'],
              subjectIssuers: [idp.issuer],
              mode: 'impersonation',
              audiences: [AUDIENCE],
              scopes: ['orders:read'],
            },
          ],
        },
      ],
    },
    { STS_CLOCK_SKEW_SECONDS: String(SKEW) },
  );
});
afterAll(async () => {
  await sts?.stop();
});

async function withAssertion(claims: Record<string, unknown>): Promise<Reply> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({
    iss: 'jwt-inline',
    sub: 'jwt-inline',
    aud: sts.issuer('acme'),
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
    ...claims,
  } as JWTPayload)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .sign(key.privateKey);
  return post(sts.token('acme'), {
    grant_type: TOKEN_EXCHANGE,
    subject_token: await idp.mint({ scope: 'orders:read' }),
    subject_token_type: ACCESS_TOKEN,
    audience: AUDIENCE,
    client_assertion_type: JWT_BEARER,
    client_assertion: jwt,
  });
}

async function lastAudit() {
  const { client_id, error_code, error_detail, reason } =
    (await sts.rows('audit_events')).at(-1) ?? {};
  return { client_id, error_code, error_detail, reason };
}

async function expectRefused(res: Reply, reason: string, detail: string): Promise<void> {
  expect(res.status, res.text).toBe(401);
  expect(res.body).toEqual({
    error: 'invalid_client',
    error_description: 'Client authentication failed',
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await lastAudit()).toEqual({
    client_id: 'jwt-inline',
    error_code: 'invalid_client',
    error_detail: detail,
    reason,
  });
}

describe('client assertion edges', () => {
  it('accepts aud = the issuer as a string', async () => {
    const res = await withAssertion({});
    expect(res.status, res.text).toBe(200);
  });

  it('refuses aud as an array, even one holding only the issuer', async () => {
    for (const aud of [[sts.issuer('acme')], [sts.issuer('acme'), 'https://other.example.test']])
      await expectRefused(
        await withAssertion({ aud }),
        'client.assertion_audience',
        'client jwt-inline: client_assertion aud must be the issuer as a single string',
      );
  });

  it('refuses an iat further in the future than the clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Far in the future, with an exp that keeps the assertion "young" by its own account.
    await expectRefused(
      await withAssertion({ iat: now + 3600, exp: now + 3660 }),
      'client.assertion_iat',
      'client jwt-inline: client_assertion iat is in the future',
    );
    // Within the skew: accepted.
    const res = await withAssertion({ iat: now + SKEW - 5, exp: now + 60 });
    expect(res.status, res.text).toBe(200);
  });

  it('audits a refused assertion under the client id it claims (its sub)', async () => {
    const res = await withAssertion({ jti: undefined });
    expect(res.status).toBe(401);
    expect(await lastAudit()).toMatchObject({
      client_id: 'jwt-inline',
      reason: 'client.assertion',
    });
  });
});
