import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, get, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'signing-alg-secret-0123456789abcdef0123';
const ALGS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const;
let idp: TestIdp;
let sts: TestSts;

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts({
    tenants: ALGS.map((alg) => ({
      id: alg.toLowerCase(),
      displayName: `Signs with ${alg}`,
      signingAlg: alg,
      clients: [{ clientId: 'svc', authMethod: 'client_secret_basic', secret: SECRET }],
      trustedIssuers: [idp.trusted()],
      rules: [
        {
          id: 'impersonate',
          clients: ['svc'],
          subjectIssuers: [idp.issuer],
          mode: 'impersonation',
          audiences: ['https://api.example.test'],
        },
      ],
    })),
  });
});
afterAll(async () => {
  await sts?.stop();
});

describe('tenant signing algorithms (RFC 9068 §2.1: typ at+jwt, kid set)', () => {
  for (const alg of ALGS) {
    it(`issues ${alg} tokens that verify against the tenant's JWKS`, async () => {
      const tenant = alg.toLowerCase();
      const jwks = await get(`${sts.url}/t/${tenant}/jwks.json`);
      expect(jwks.status).toBe(200);
      const keys = jwks.body.keys as Record<string, unknown>[];
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ alg, use: 'sig' });
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(keys[0]).not.toHaveProperty(privateMember);

      const res = await post(
        sts.token(tenant),
        {
          grant_type: TOKEN_EXCHANGE,
          subject_token: await idp.mint(),
          subject_token_type: ACCESS_TOKEN,
          audience: 'https://api.example.test',
        },
        { basic: ['svc', SECRET] },
      );
      expect(res.status, res.text).toBe(200);
      const token = res.body.access_token as string;
      expect(decodeHeader(token)).toEqual({ alg, kid: keys[0]?.kid, typ: 'at+jwt' });
      const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: keys as never }), {
        issuer: sts.issuer(tenant),
        audience: 'https://api.example.test',
        typ: 'at+jwt',
        algorithms: [alg],
      });
      expect(payload).toMatchObject({ sub: 'alice', client_id: 'svc' });
      expect(payload).not.toHaveProperty('act');
    });
  }
});
