/**
 * Keys come only from a trusted issuer's configured JWKS (SECURITY.md, RFC 8725 §3.10): the STS's
 * real key resolver, fetching the issuer's JWKS URI over HTTP, never follows `jku` or `x5u`, and
 * never trusts a key carried in `jwk` or `x5c`. Tokens signed by an attacker's key that point at
 * the attacker's key set, certificate or key are refused, and the attacker's server is never
 * asked for anything; the same headers on a token the issuer really signed change nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, importPKCS8, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKER_CERT_DER_BASE64, ATTACKER_KEY_PEM } from './fixtures/attacker-certificate';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { expectOAuthError, SUBJECT_TOKEN_INVALID } from './token-assertions';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const IDP_ISSUER = 'https://idp.example.test';

let idp: TestIdp;
let sts: TestSts;
let attackerKey: CryptoKey;
let attackerJwk: JWK;
let attacker: Server;
let attackerUrl: string;
/** Every request the attacker's server received: must stay empty. */
const attackerRequests: string[] = [];

beforeAll(async () => {
  idp = await TestIdp.create(IDP_ISSUER);
  const jwksUri = await idp.serveJwks();
  attackerKey = (await importPKCS8(ATTACKER_KEY_PEM, 'ES256', { extractable: true })) as CryptoKey;
  const { d: _private, ...publicJwk } = await exportJWK(attackerKey);
  attackerJwk = { ...publicJwk, kid: 'attacker', alg: 'ES256', use: 'sig' };
  attacker = createServer((req, res) => {
    attackerRequests.push(req.url ?? '');
    if (req.url === '/cert.pem')
      res
        .writeHead(200, { 'Content-Type': 'application/pem-certificate-chain' })
        .end(
          `-----BEGIN CERTIFICATE-----\n${ATTACKER_CERT_DER_BASE64}\n-----END CERTIFICATE-----\n`,
        );
    else
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ keys: [attackerJwk, { ...attackerJwk, kid: 'es-1' }] }));
  });
  await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', ok));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
        trustedIssuers: [
          {
            issuer: idp.issuer,
            jwksUri,
            algorithms: ['ES256'],
            audiences: ['https://gateway.example.test'],
          },
        ],
        rules: [
          {
            id: 'gateway',
            clients: ['gateway'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: [ORDERS],
            scopes: ['orders:read'],
          },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await sts?.stop();
  await idp?.close();
  await new Promise((ok) => attacker?.close(ok));
});

/** A subject token with the IdP's claims, signed by the attacker's key with `header`. */
function forged(header: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: idp.issuer,
    sub: 'alice',
    aud: 'https://gateway.example.test',
    scope: 'orders:read',
    iat: now,
    exp: now + 600,
    jti: crypto.randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...header })
    .sign(attackerKey);
}

const exchange = (subject: string): Promise<Reply> =>
  post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic: ['gateway', SECRET] },
  );

const NO_KEY = (kid: string) => `no key of ${IDP_ISSUER} matches kid "${kid}" and alg ES256`;

describe('tokens signed by an attacker’s key are refused, whatever key their header points at', () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    [
      'jku at the attacker’s JWKS, the issuer’s kid',
      () => ({ kid: 'es-1', jku: `${attackerUrl}/jwks` }),
      'signature is invalid',
    ],
    [
      'jku at the attacker’s JWKS, the attacker’s kid',
      () => ({ kid: 'attacker', jku: `${attackerUrl}/jwks` }),
      NO_KEY('attacker'),
    ],
    [
      'x5u at the attacker’s certificate',
      () => ({ kid: 'attacker', x5u: `${attackerUrl}/cert.pem` }),
      NO_KEY('attacker'),
    ],
    [
      'x5c with the attacker’s certificate, no kid',
      () => ({ x5c: [ATTACKER_CERT_DER_BASE64] }),
      // No kid: the issuer's one ES256 key is tried, and the signature does not verify with it.
      'signature is invalid',
    ],
    [
      'x5c with the attacker’s certificate, the issuer’s kid',
      () => ({ kid: 'es-1', x5c: [ATTACKER_CERT_DER_BASE64] }),
      'signature is invalid',
    ],
    [
      'jwk with the attacker’s public key',
      () => ({ kid: 'attacker', jwk: attackerJwk }),
      NO_KEY('attacker'),
    ],
    [
      'jwk with the attacker’s public key, the issuer’s kid',
      () => ({ kid: 'es-1', jwk: { ...attackerJwk, kid: 'es-1' } }),
      'signature is invalid',
    ],
    [
      'all four at once',
      () => ({
        kid: 'es-1',
        jku: `${attackerUrl}/jwks`,
        x5u: `${attackerUrl}/cert.pem`,
        x5c: [ATTACKER_CERT_DER_BASE64],
        jwk: { ...attackerJwk, kid: 'es-1' },
      }),
      'signature is invalid',
    ],
  ];

  it.each(cases)('%s', async (_name, header, detail) => {
    const subject = await forged(header());
    const reply = await exchange(subject);
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [subject],
    );
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({
      decision: 'denied',
      reason: expect.stringMatching(/^subject_token\./),
      errorDetail: detail,
    });
    expect(attackerRequests).toEqual([]);
  });
});

describe('the same headers on a token the issuer really signed', () => {
  it('change nothing: the key comes from the configured JWKS URI, the attacker is never asked', async () => {
    const subject = await idp.mint(
      { scope: 'orders:read' },
      {
        header: {
          jku: `${attackerUrl}/jwks`,
          x5u: `${attackerUrl}/cert.pem`,
          x5c: [ATTACKER_CERT_DER_BASE64],
          jwk: attackerJwk,
        },
      },
    );
    const reply = await exchange(subject);
    expect(reply.status, reply.text).toBe(200);
    expect(attackerRequests).toEqual([]);
    // The real resolver got the key from the issuer's JWKS URI (fetched now, or cached before).
    expect(idp.jwksRequests).toBeGreaterThan(0);
  });
});
