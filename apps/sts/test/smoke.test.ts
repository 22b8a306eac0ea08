import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, post } from './helpers/http.js';
import { TestIdp } from './helpers/idp.js';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts.js';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
let idp: TestIdp;
let sts: TestSts;

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
        trustedIssuers: [{ issuer: idp.issuer, jwks: idp.jwks, algorithms: ['ES256', 'RS256'] }],
        rules: [
          {
            id: 'gw',
            clients: ['gateway'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: ['https://orders.example.test'],
            scopes: ['orders:read'],
          },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await sts?.stop();
});

describe('smoke', () => {
  it('exchanges', async () => {
    const res = await post(
      sts.token('acme'),
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: await idp.mint({ scope: 'orders:read orders:write' }),
        subject_token_type: ACCESS_TOKEN,
        audience: 'https://orders.example.test',
      },
      { basic: ['gateway', SECRET] },
    );
    expect(res.status, res.text).toBe(200);
    expect(decodePayload(res.body.access_token as string)).toMatchObject({
      sub: 'alice',
      scope: 'orders:read',
    });
  });
});
