import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, decodePayload, get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, JWT_TYPE, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { expectNoStoreJson, expectOAuthError, NOT_ALLOWED } from './token-assertions';

/**
 * Successful exchanges over real HTTP against the real STS (RFC 8693 §2.2.1, RFC 9068, ADR 0006).
 */

const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef012345';
const AGENT_SECRET = 'agent-secret-0123456789abcdef0123456789';
const SUPPORT_SECRET = 'support-secret-0123456789abcdef01234567';
const ORDERS = 'https://orders.example.test';
const INVENTORY = 'https://inventory.example.test';
const API_PREFIX = 'https://api.example.test/';
const TOOLS = 'https://tools.example.test/';

let idp: TestIdp;
let agentIdp: TestIdp;
let sts: TestSts;
let url: string;
let issuer: string;

beforeAll(async () => {
  [idp, agentIdp] = await Promise.all([
    TestIdp.create('https://idp.example.test'),
    TestIdp.create('https://agents.example.test'),
  ]);
  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        accessTokenTtlSeconds: 300,
        clients: [
          { clientId: 'gateway', authMethod: 'client_secret_basic', secret: GATEWAY_SECRET },
          { clientId: 'agent', authMethod: 'client_secret_post', secret: AGENT_SECRET },
          { clientId: 'support', authMethod: 'client_secret_basic', secret: SUPPORT_SECRET },
        ],
        trustedIssuers: [
          {
            issuer: idp.issuer,
            jwks: idp.jwks,
            algorithms: ['ES256', 'RS256'],
            audiences: ['https://gateway.example.test'],
          },
          {
            issuer: agentIdp.issuer,
            jwks: agentIdp.jwks,
            algorithms: ['ES256'],
            // Its actor tokens name the tenant's issuer, known once the STS runs.
            anyAudience: true,
          },
        ],
        rules: [
          {
            id: 'gateway',
            clients: ['gateway'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: [ORDERS, INVENTORY],
            audiencePrefixes: [API_PREFIX],
            scopes: ['orders:read', 'orders:write'],
            carryClaims: ['email'],
            requestedTokenTypes: [ACCESS_TOKEN, JWT_TYPE],
          },
          {
            id: 'agent',
            clients: ['agent'],
            subjectIssuers: [idp.issuer, 'self'],
            mode: 'delegation',
            actors: [{ issuer: agentIdp.issuer, subjects: ['agent:assistant'] }],
            audiences: [ORDERS],
            audiencePrefixes: [TOOLS],
            scopes: ['orders:read'],
            maxChainDepth: 3,
            // The agent relays tokens the gateway obtained (their aud is the orders API).
            anyHolder: true,
          },
          {
            id: 'support',
            clients: ['support'],
            subjectIssuers: [idp.issuer, 'self'],
            mode: 'impersonation',
            audiences: [ORDERS],
            scopes: ['orders:read'],
            maxTtlSeconds: 60,
            anyHolder: true,
            impersonateDelegated: true,
          },
        ],
      },
    ],
  });
  url = sts.token('acme');
  issuer = sts.issuer('acme');
});

afterAll(async () => {
  await sts?.stop();
});

const GATEWAY: [string, string] = ['gateway', GATEWAY_SECRET];
type Form = Record<string, string | string[]>;

function base(subjectToken: string, extra: Form = {}): Form {
  return {
    grant_type: TOKEN_EXCHANGE,
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN,
    ...extra,
  };
}

/** The agent's request: it authenticates in the body and names itself with an actor token. */
async function asAgent(subjectToken: string, extra: Form = {}): Promise<Reply> {
  return post(url, {
    ...base(subjectToken, extra),
    actor_token: await agentIdp.mint({ sub: 'agent:assistant', aud: issuer }),
    actor_token_type: ACCESS_TOKEN,
    client_id: 'agent',
    client_secret: AGENT_SECRET,
  });
}

/** Asserts a 200 with the no-store headers and returns the issued token. */
function granted(reply: Reply): string {
  expect(reply.status, reply.text).toBe(200);
  expectNoStoreJson(reply);
  expect(reply.body.access_token).toEqual(expect.any(String));
  return reply.body.access_token as string;
}

describe('delegation', () => {
  it('the client acting: act names the client and the tenant issuer; exact response and claims', async () => {
    const subject = await idp.mint({
      scope: 'orders:read orders:write',
      email: 'alice@example.test',
      department: 'sales',
    });
    const reply = await post(
      url,
      base(subject, { audience: ORDERS, scope: 'orders:read orders:write' }),
      {
        basic: GATEWAY,
      },
    );
    const token = granted(reply);
    // RFC 8693 §2.2.1: exactly these members (no scope: it equals the requested one; no refresh token).
    expect(reply.body).toStrictEqual({
      access_token: token,
      issued_token_type: ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: 300,
    });
    const payload = decodePayload(token);
    expect(payload).toStrictEqual({
      iss: issuer,
      sub: 'alice',
      sub_id: { format: 'iss_sub', iss: idp.issuer, sub: 'alice' },
      aud: ORDERS,
      client_id: 'gateway',
      scope: 'orders:read orders:write',
      act: { sub: 'gateway', iss: issuer },
      email: 'alice@example.test',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(300);
    expect(decodeHeader(token)).toStrictEqual({
      alg: 'ES256',
      kid: expect.any(String),
      typ: 'at+jwt',
    });
  });

  it('with an actor token: act names the actor token’s sub and iss', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const token = granted(await asAgent(subject, { audience: `${TOOLS}calendar` }));
    expect(decodePayload(token)).toMatchObject({
      iss: issuer,
      sub: 'alice',
      aud: `${TOOLS}calendar`,
      client_id: 'agent',
      scope: 'orders:read',
      act: { sub: 'agent:assistant', iss: agentIdp.issuer },
    });
    expect(decodePayload(token).act).toStrictEqual({
      sub: 'agent:assistant',
      iss: agentIdp.issuer,
    });
  });

  it('a token the STS issued, exchanged again (subjectIssuers self), nests the chain newest actor outermost', async () => {
    const first = granted(
      await post(
        url,
        base(await idp.mint({ scope: 'orders:read orders:write' }), { audience: ORDERS }),
        {
          basic: GATEWAY,
        },
      ),
    );
    expect(decodePayload(first).act).toStrictEqual({ sub: 'gateway', iss: issuer });

    const second = granted(await asAgent(first, { audience: `${TOOLS}mail` }));
    const payload = decodePayload(second);
    expect(payload).toMatchObject({
      iss: issuer,
      sub: 'alice',
      client_id: 'agent',
      scope: 'orders:read',
    });
    expect(payload.act).toStrictEqual({
      sub: 'agent:assistant',
      iss: agentIdp.issuer,
      act: { sub: 'gateway', iss: issuer },
    });

    // The agent again, on its own token: it is in the chain already, a loop (RFC 8693 §4.1).
    const third = await asAgent(second, { audience: `${TOOLS}mail` });
    expectOAuthError(third, {
      status: 400,
      error: 'invalid_request',
      error_description: NOT_ALLOWED,
    });
    expect((await sts.auditEvents('acme'))[0]).toMatchObject({
      reason: 'policy.actor_loop',
      errorDetail: `rule agent: actor agent:assistant (${agentIdp.issuer}) is already in the subject token's actor chain`,
    });
  });

  it('an RS256 subject token is accepted when the issuer is pinned to it', async () => {
    const token = granted(
      await post(
        url,
        base(await idp.mint({ scope: 'orders:read' }, { alg: 'RS256' }), { audience: ORDERS }),
        {
          basic: GATEWAY,
        },
      ),
    );
    expect(decodePayload(token)).toMatchObject({ sub: 'alice', aud: ORDERS });
  });
});

describe('impersonation', () => {
  it('the issued token names the subject alone (no act)', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read' }), { audience: ORDERS }),
      {
        basic: ['support', SUPPORT_SECRET],
      },
    );
    const token = granted(reply);
    const payload = decodePayload(token);
    expect(payload).toStrictEqual({
      iss: issuer,
      sub: 'alice',
      sub_id: { format: 'iss_sub', iss: idp.issuer, sub: 'alice' },
      aud: ORDERS,
      client_id: 'support',
      scope: 'orders:read',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    expect(payload).not.toHaveProperty('act');
    // The rule's maxTtlSeconds caps the tenant default.
    expect(reply.body.expires_in).toBe(60);
  });

  it('keeps an existing actor chain when the rule accepts delegated tokens (impersonateDelegated)', async () => {
    const delegated = granted(
      await post(url, base(await idp.mint({ scope: 'orders:read' }), { audience: ORDERS }), {
        basic: GATEWAY,
      }),
    );
    const token = granted(
      await post(url, base(delegated, { audience: ORDERS }), {
        basic: ['support', SUPPORT_SECRET],
      }),
    );
    expect(decodePayload(token).act).toStrictEqual({ sub: 'gateway', iss: issuer });
  });
});

describe('scope', () => {
  it('narrowing returns the granted scope (RFC 8693 §2.2.1)', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read orders:write' }), {
        audience: ORDERS,
        scope: 'orders:read admin',
      }),
      { basic: GATEWAY },
    );
    const token = granted(reply);
    expect(reply.body).toStrictEqual({
      access_token: token,
      issued_token_type: ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'orders:read',
    });
    expect(decodePayload(token).scope).toBe('orders:read');
  });

  it('limited by the subject token’s own scope', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read profile' }), {
        audience: ORDERS,
        scope: 'orders:read orders:write',
      }),
      { basic: GATEWAY },
    );
    granted(reply);
    expect(reply.body.scope).toBe('orders:read');
  });

  it('no scope requested: the granted scope is returned', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:write' }), { audience: ORDERS }),
      {
        basic: GATEWAY,
      },
    );
    granted(reply);
    expect(reply.body.scope).toBe('orders:write');
  });

  it('the identical scope (in another order) → no scope field', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read orders:write' }), {
        audience: ORDERS,
        scope: 'orders:write orders:read',
      }),
      { basic: GATEWAY },
    );
    const token = granted(reply);
    expect(reply.body).not.toHaveProperty('scope');
    expect((decodePayload(token).scope as string).split(' ').sort()).toEqual([
      'orders:read',
      'orders:write',
    ]);
  });
});

describe('token types', () => {
  it('requested_token_type jwt → issued_token_type jwt, token_type N_A, typ JWT', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read' }), {
        audience: ORDERS,
        scope: 'orders:read',
        requested_token_type: JWT_TYPE,
      }),
      { basic: GATEWAY },
    );
    const token = granted(reply);
    expect(reply.body).toStrictEqual({
      access_token: token,
      issued_token_type: JWT_TYPE,
      token_type: 'N_A',
      expires_in: 300,
    });
    expect(decodeHeader(token).typ).toBe('JWT');
  });

  it('requested_token_type access_token → Bearer, typ at+jwt', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read' }), {
        audience: ORDERS,
        requested_token_type: ACCESS_TOKEN,
      }),
      { basic: GATEWAY },
    );
    const token = granted(reply);
    expect(reply.body.token_type).toBe('Bearer');
    expect(reply.body.issued_token_type).toBe(ACCESS_TOKEN);
    expect(decodeHeader(token).typ).toBe('at+jwt');
  });

  it('subject_token_type jwt is accepted', async () => {
    const reply = await post(
      url,
      {
        ...base(await idp.mint({ scope: 'orders:read' }, { header: { typ: 'JWT' } })),
        subject_token_type: JWT_TYPE,
        audience: ORDERS,
      },
      { basic: GATEWAY },
    );
    granted(reply);
  });
});

describe('the issued token', () => {
  it('verifies against the tenant’s JWKS (GET /t/acme/jwks.json) and is an RFC 9068 access token', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read' }), { audience: ORDERS }),
      {
        basic: GATEWAY,
      },
    );
    const token = granted(reply);

    const jwks = await get(`${sts.url}/t/acme/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    for (const key of jwks.body.keys as Record<string, unknown>[]) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ kid: expect.any(String), alg: 'ES256', use: 'sig' });
    }

    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${sts.url}/t/acme/jwks.json`)),
      {
        issuer,
        audience: ORDERS,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        requiredClaims: ['iat', 'jti'],
      },
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti (and scope when granted).
    for (const claim of ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'scope'])
      expect(payload).toHaveProperty(claim);
    expect(payload.client_id).toBe('gateway');
    expect(payload.exp).toBe((payload.iat as number) + (reply.body.expires_in as number));
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('every issued token has its own jti', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const token = granted(
        await post(url, base(await idp.mint({ scope: 'orders:read' }), { audience: ORDERS }), {
          basic: GATEWAY,
        }),
      );
      jtis.add(decodePayload(token).jti);
    }
    expect(jtis.size).toBe(3);
  });
});

describe('lifetime', () => {
  it('expires_in is capped by the subject token’s remaining lifetime', async () => {
    const subject = await idp.mint({ scope: 'orders:read' }, { ttlSeconds: 100 });
    const reply = await post(url, base(subject, { audience: ORDERS }), { basic: GATEWAY });
    const token = granted(reply);
    const expiresIn = reply.body.expires_in as number;
    expect(expiresIn).toBeGreaterThanOrEqual(97);
    expect(expiresIn).toBeLessThanOrEqual(100);
    const payload = decodePayload(token);
    expect(payload.exp).toBe((payload.iat as number) + expiresIn);
    expect(payload.exp as number).toBeLessThanOrEqual(decodePayload(subject).exp as number);
  });

  it('a long-lived subject token gets the tenant default', async () => {
    const subject = await idp.mint({ scope: 'orders:read' }, { ttlSeconds: 3600 });
    const reply = await post(url, base(subject, { audience: ORDERS }), { basic: GATEWAY });
    granted(reply);
    expect(reply.body.expires_in).toBe(300);
  });
});

describe('targets', () => {
  it('audience and resource repeated: all become aud, in order, without duplicates', async () => {
    const reply = await post(
      url,
      base(await idp.mint({ scope: 'orders:read' }), {
        audience: [ORDERS, INVENTORY],
        resource: [`${API_PREFIX}stock`, `${API_PREFIX}prices`, ORDERS],
      }),
      { basic: GATEWAY },
    );
    const token = granted(reply);
    expect(decodePayload(token).aud).toStrictEqual([
      ORDERS,
      INVENTORY,
      `${API_PREFIX}stock`,
      `${API_PREFIX}prices`,
    ]);
  });

  it('a single resource becomes a string aud', async () => {
    const token = granted(
      await post(
        url,
        base(await idp.mint({ scope: 'orders:read' }), { resource: `${API_PREFIX}stock` }),
        {
          basic: GATEWAY,
        },
      ),
    );
    expect(decodePayload(token).aud).toBe(`${API_PREFIX}stock`);
  });
});
