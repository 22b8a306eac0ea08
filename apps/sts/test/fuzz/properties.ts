/**
 * Fuzzing the token and introspection endpoints over HTTP with fast-check (docs/decisions/0016):
 * request bodies and headers, subject tokens with mutated claims (signed with the IdP's real key,
 * so the policy decides), and tokens with mutated headers. Whatever is sent: no 5xx, the error
 * contract holds, the server keeps answering, and no token is issued that the policy, stated
 * independently in ./world.ts, would refuse.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Reply } from '../helpers/http';
import { ACCESS_TOKEN, JWT_TYPE, TOKEN_EXCHANGE } from '../helpers/sts';
import { ERROR_DESCRIPTION_CHARSET, rawRequest } from '../token-assertions';
import {
  API_PREFIX,
  AUDITOR_SECRET,
  decodePart,
  encode,
  type FuzzWorld,
  GATEWAY_SECRET,
  IDP_AUDIENCE,
  ORDERS,
  policyViolations,
} from './world';

const KEEP = Symbol('keep');
const DROP = Symbol('drop');
type Mutation = unknown | typeof KEEP | typeof DROP;

/** Mostly unchanged, sometimes removed, else one of `values`. */
const mutate = (...values: fc.Arbitrary<unknown>[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(KEEP) },
    { weight: 1, arbitrary: fc.constant(DROP) },
    { weight: 3, arbitrary: fc.oneof(...values) },
  );

function apply(base: Record<string, unknown>, mutations: Record<string, Mutation>) {
  const out: Record<string, unknown> = { ...base };
  for (const [name, m] of Object.entries(mutations)) {
    if (m === KEEP) continue;
    if (m === DROP) delete out[name];
    else out[name] = m;
  }
  return out;
}

const odd = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

const nested = (depth: number, leaf: Record<string, unknown>): Record<string, unknown> =>
  depth <= 1 ? leaf : { ...leaf, act: nested(depth - 1, leaf) };

/** Claims of an IdP subject token, each one kept, removed or replaced. */
function claimMutations(world: FuzzWorld, now: number) {
  const t = (offset: number) => fc.constant(now + offset);
  return fc.record({
    iss: mutate(
      fc.constantFrom(
        `${world.idp.issuer}/`,
        world.idp.issuer.toUpperCase(),
        world.tenantIssuer,
        'https://evil.example.test',
        [world.idp.issuer],
      ),
      odd,
    ),
    sub: mutate(fc.constantFrom('', ' ', 'gateway', 'bob', 'x'.repeat(4000), ['alice']), odd),
    aud: mutate(
      fc.constantFrom(
        [IDP_AUDIENCE],
        [IDP_AUDIENCE, ORDERS],
        ORDERS,
        world.tenantIssuer,
        [],
        `${IDP_AUDIENCE}/`,
      ),
      odd,
    ),
    exp: mutate(
      t(-3600),
      t(-31),
      t(-29),
      t(0),
      t(1),
      t(2),
      t(10 ** 10),
      t(0.5),
      fc.constant('9999999999'),
      odd,
    ),
    nbf: mutate(t(3600), t(29), t(31), t(-10), fc.constant('0'), odd),
    iat: mutate(t(3600), t(29), t(31), t(-1_000_000), fc.constant(-1), fc.constant('0'), odd),
    jti: mutate(odd),
    scope: mutate(
      fc.constantFrom('orders:read orders:write admin', 'admin', '', '  orders:write  ', [
        'orders:read',
        'admin',
      ]),
      odd,
    ),
    scp: mutate(fc.constantFrom(['orders:write', 'admin'], 'orders:read admin', [1, 2]), odd),
    act: mutate(
      fc.constantFrom(
        { sub: 'svc' },
        { sub: 'svc', iss: 'https://svc.example.test' },
        { sub: '' },
        { sub: 'svc', iss: 5 },
        { sub: 'a', act: { sub: 'b' } },
        nested(6, { sub: 'deep' }),
        nested(200, { sub: 'deeper' }),
      ),
      odd,
    ),
    may_act: mutate(
      fc.constantFrom(
        { sub: 'gateway' },
        { sub: 'gateway', iss: world.tenantIssuer },
        { sub: 'gateway', iss: 'https://evil.example.test' },
        { sub: 'someone-else' },
        'gateway',
        [{ sub: 'gateway' }],
      ),
      odd,
    ),
    client_id: mutate(fc.constantFrom('gateway', 'auditor'), odd),
    extra: mutate(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }))),
  });
}

/** A JOSE header, each member kept, removed or replaced. */
const headerMutations = (world: FuzzWorld) =>
  fc.record({
    alg: mutate(
      fc.constantFrom(
        'es256',
        'ES384',
        'ES512',
        'RS256',
        'PS256',
        'EdDSA',
        'none',
        'None',
        'HS256',
      ),
      odd,
    ),
    kid: mutate(fc.constantFrom('rs-1', 'nope', '', 'es-1 ', 'x'.repeat(2000)), odd),
    typ: mutate(
      fc.constantFrom(
        'JWT',
        'jwt',
        'application/at+jwt',
        'AT+JWT',
        'dpop+jwt',
        'logout+jwt',
        'id+jwt',
      ),
      odd,
    ),
    crit: mutate(fc.constantFrom(['exp'], ['b64'], [], ['kid'], 'kid', ['unknown']), odd),
    b64: mutate(fc.constantFrom(false, true), odd),
    jku: mutate(fc.constantFrom('https://evil.example.test/jwks', 'http://127.0.0.1:1/jwks'), odd),
    x5u: mutate(fc.constant('https://evil.example.test/cert.pem'), odd),
    x5c: mutate(fc.constantFrom(['MIIB'], ['not base64!']), odd),
    jwk: mutate(fc.constant(world.idpJwk), odd),
    zip: mutate(fc.constant('DEF'), odd),
    cty: mutate(fc.constantFrom('JWT', 'at+jwt'), odd),
  });

// ---------------------------------------------------------------------------------------------
// What every answer must be

/** 429 (with Retry-After) where a rate limit applies; 403 for a client that may not introspect. */
const STATUSES = { token: [200, 400, 401, 429], introspect: [200, 400, 401, 403, 429] };

/** No 5xx; JSON, no-store; an error is exactly {error, error_description} in RFC 6749's charset. */
function expectWellFormed(reply: Reply, endpoint: 'token' | 'introspect' = 'token'): void {
  expect(STATUSES[endpoint], `${reply.status} ${reply.text}`).toContain(reply.status);
  if (reply.status === 429) expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  if (reply.status === 200) return;
  expect(Object.keys(reply.body).sort()).toEqual(['error', 'error_description']);
  expect(reply.body.error_description).toMatch(ERROR_DESCRIPTION_CHARSET);
  expect(reply.text).not.toMatch(/eyJ[\w-]{4,}\.eyJ/);
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const GATEWAY_AUTH = basic('gateway', GATEWAY_SECRET);

const form = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

async function exchange(
  world: FuzzWorld,
  params: Record<string, string | string[] | undefined>,
): Promise<{ reply: Reply; sentAt: number }> {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(params))
    if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) pairs.push([k, x]);
  const sentAt = Date.now() / 1000;
  const reply = await rawRequest(world.tokenUrl, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: GATEWAY_AUTH },
    body: form(pairs),
  });
  return { reply, sentAt };
}

// ---------------------------------------------------------------------------------------------
// The properties

/** The fuzz properties, by name: what each sends, and what must hold. */
export const FUZZ_PROPERTIES = {
  claims:
    'mutated subject token claims (signed with the IdP’s key): granted only within the policy',
  headers:
    'mutated headers signed with the IdP’s key: granted only for a header the STS may accept',
  forgeries:
    'mutated headers without a valid signature (kept, none, HMAC, garbage): always refused',
  introspection:
    'tokens of the tenant’s own key with mutated claims: active only when valid, claims echoed',
  raw: 'arbitrary bodies and headers at the token and introspection endpoints: no 5xx',
} as const;
export type FuzzPropertyName = keyof typeof FUZZ_PROPERTIES;

export function fuzzProperty(
  world: FuzzWorld,
  name: FuzzPropertyName,
): fc.IAsyncProperty<unknown[]> {
  const now = Math.floor(Date.now() / 1000);
  const idpClaims = () => ({
    iss: world.idp.issuer,
    sub: 'alice',
    aud: IDP_AUDIENCE,
    scope: 'orders:read',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
    jti: crypto.randomUUID(),
  });
  const goodHeader = { alg: 'ES256', kid: 'es-1', typ: 'at+jwt' };

  const fewClaims = fc.subarray(
    [
      'iss',
      'sub',
      'aud',
      'exp',
      'nbf',
      'iat',
      'jti',
      'scope',
      'scp',
      'act',
      'may_act',
      'client_id',
      'extra',
    ],
    { minLength: 1, maxLength: 3 },
  );
  const request = fc.record({
    audience: fc.constantFrom<string[] | undefined>(
      undefined,
      [ORDERS],
      [`${API_PREFIX}x`],
      [ORDERS, 'https://evil.example.test'],
      [API_PREFIX],
    ),
    scope: fc.constantFrom<string[] | undefined>(
      undefined,
      ['orders:read'],
      ['orders:write', 'admin'],
      ['admin'],
    ),
    subjectTokenType: fc.constantFrom(ACCESS_TOKEN, JWT_TYPE),
  });

  const properties: Record<FuzzPropertyName, () => fc.IAsyncProperty<never>> = {
    claims: () =>
      fc.asyncProperty(claimMutations(world, now), fewClaims, request, async (m, only, r) => {
        const { extra, ...claims } = m;
        // A few claims at a time, so that many mutated tokens still pass the other checks.
        const chosen = Object.fromEntries(Object.entries(claims).filter(([k]) => only.includes(k)));
        const payload = apply(
          {
            ...idpClaims(),
            ...(only.includes('extra') && typeof extra === 'object' && extra ? extra : {}),
          },
          chosen,
        );
        const token = world.signWithIdp(goodHeader, payload);
        const { reply, sentAt } = await exchange(world, {
          grant_type: TOKEN_EXCHANGE,
          subject_token: token,
          subject_token_type: r.subjectTokenType,
          audience: r.audience,
          scope: r.scope?.join(' '),
        });
        expectWellFormed(reply);
        if (reply.status !== 200) return;
        const violations = policyViolations(world, {
          subject: payload,
          subjectIssuer: world.idp.issuer,
          targets: r.audience ?? [],
          scope: r.scope,
          issued: decodePart(reply.body.access_token as string, 1),
          sentAt,
        });
        expect(violations, JSON.stringify(payload)).toEqual([]);
      }) as never,

    headers: () =>
      fc.asyncProperty(headerMutations(world), async (m) => {
        const header = apply(goodHeader, m);
        const token = world.signWithIdp(header, idpClaims());
        const { reply } = await exchange(world, {
          grant_type: TOKEN_EXCHANGE,
          subject_token: token,
          subject_token_type: ACCESS_TOKEN,
          audience: [ORDERS],
        });
        expectWellFormed(reply);
        if (reply.status !== 200) return;
        // The key is the ES256 key "es-1" (or the only ES256 key, without kid); RFC 7515 §4.1.11:
        // a crit header the STS does not understand is refused, so is an unencoded payload
        // (RFC 7797 needs "b64" in crit; without crit, b64 is an unknown member and ignored).
        expect(header.alg).toBe('ES256');
        expect([undefined, 'es-1']).toContain(header.kid);
        // The one extension understood is b64 (RFC 7797), and only with the payload encoded.
        if (header.crit !== undefined) expect(header).toMatchObject({ crit: ['b64'], b64: true });
        const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : header.typ;
        expect([undefined, 'at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']).toContain(
          typ,
        );
      }) as never,

    forgeries: () =>
      fc.asyncProperty(
        headerMutations(world),
        fc.constantFrom('kept', 'empty', 'hmac', 'garbage'),
        fc.boolean(),
        async (m, signature, self) => {
          const header = apply(goodHeader, m);
          // A token the tenant or the IdP really signed, with another header put in front.
          const original = self
            ? (world.issued[0] as string)
            : world.signWithIdp(goodHeader, idpClaims());
          const [oldHeader, payload, realSignature] = original.split('.') as [
            string,
            string,
            string,
          ];
          const newHeader = encode(header);
          fc.pre(newHeader !== oldHeader);
          const sig =
            signature === 'kept'
              ? realSignature
              : signature === 'empty'
                ? ''
                : signature === 'hmac'
                  ? createHmac('sha256', world.idpPublicPem)
                      .update(`${newHeader}.${payload}`)
                      .digest('base64url')
                  : 'AAAA';
          const { reply } = await exchange(world, {
            grant_type: TOKEN_EXCHANGE,
            subject_token: `${newHeader}.${payload}.${sig}`,
            subject_token_type: ACCESS_TOKEN,
            audience: [ORDERS],
          });
          expectWellFormed(reply);
          expect(reply.status, reply.text).toBe(400);
          const introspected = await rawRequest(world.introspectUrl, {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form([
              ['token', `${newHeader}.${payload}.${sig}`],
              ['client_id', 'auditor'],
              ['client_secret', AUDITOR_SECRET],
            ]),
          });
          expectWellFormed(introspected, 'introspect');
          expect(introspected.body).toEqual({ active: false });
        },
      ) as never,

    introspection: () =>
      fc.asyncProperty(claimMutations(world, now), fewClaims, async (m, only) => {
        const { extra, ...claims } = m;
        const chosen = Object.fromEntries(Object.entries(claims).filter(([k]) => only.includes(k)));
        const payload = apply(
          {
            ...idpClaims(),
            iss: world.tenantIssuer,
            aud: ORDERS,
            client_id: 'gateway',
            ...(only.includes('extra') && typeof extra === 'object' && extra ? extra : {}),
          },
          { ...chosen, iss: chosen.iss === world.idp.issuer ? KEEP : (chosen.iss ?? KEEP) },
        );
        const sentAt = Date.now() / 1000;
        const reply = await rawRequest(world.introspectUrl, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form([
            ['token', world.signWithTenant(payload)],
            ['client_id', 'auditor'],
            ['client_secret', AUDITOR_SECRET],
          ]),
        });
        expectWellFormed(reply, 'introspect');
        if (reply.status !== 200 || reply.body.active !== true) {
          if (reply.status === 200) expect(reply.body).toEqual({ active: false });
          return;
        }
        // RFC 7662 §2.2: active only for a token of this tenant, unexpired, already valid, with
        // the claims this STS always sets; the server's own members are not the token's.
        expect(payload.iss).toBe(world.tenantIssuer);
        expect(typeof payload.exp).toBe('number');
        expect(payload.exp as number).toBeGreaterThan(sentAt - 1);
        if (payload.nbf !== undefined)
          expect(payload.nbf as number).toBeLessThanOrEqual(sentAt + 2);
        for (const claim of ['iat', 'jti', 'sub']) expect(payload).toHaveProperty(claim);
        const { active: _a, token_type: tokenType, ...echoed } = reply.body;
        expect(tokenType).toBe('Bearer');
        const { active: _b, token_type: _c, ...sent } = payload;
        expect(echoed).toEqual(JSON.parse(JSON.stringify(sent)));
      }) as never,

    raw: () => rawProperty(world) as never,
  };
  return properties[name]();
}

// ---------------------------------------------------------------------------------------------
// Raw requests: bodies, content types, authorization, repeated parameters, odd encodings

const PARAM_NAMES = [
  'grant_type',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'token',
  'token_type_hint',
];

function rawProperty(world: FuzzWorld) {
  const value = fc.oneof(
    fc.constantFrom(
      TOKEN_EXCHANGE,
      ACCESS_TOKEN,
      JWT_TYPE,
      'urn:ietf:params:oauth:token-type:saml2',
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      ORDERS,
      `${API_PREFIX}a`,
      'orders:read',
      'gateway',
      'auditor',
      GATEWAY_SECRET,
      AUDITOR_SECRET,
      'a.b.c',
      '...',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'x'.repeat(17 * 1024),
      'https://evil.example.test#frag',
    ),
    fc.constantFrom(...world.issued),
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  const name = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...PARAM_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  /** A form body (possibly with repeated names), raw text, odd escapes or raw bytes. */
  const body = fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 12 }).map(form) },
    {
      weight: 1,
      arbitrary: fc
        .array(
          fc.constantFrom(
            '%',
            '%zz',
            '%00',
            '%C0%AF',
            '%FF',
            '+',
            '&',
            '=',
            '&&',
            '==',
            'a',
            '%E2%82',
          ),
          { maxLength: 10 },
        )
        .map((parts) => `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}&${parts.join('')}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constant(`scope=${'s'.repeat(70 * 1024)}`) },
  );
  const contentType = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constantFrom<string | string[] | undefined>(
        'application/x-www-form-urlencoded',
        'application/x-www-form-urlencoded; charset=utf-8',
        'APPLICATION/X-WWW-FORM-URLENCODED; Charset="UTF-8"',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | string[] | undefined>(
        undefined,
        '',
        'application/x-www-form-urlencoded; charset=iso-8859-1',
        'application/json',
        'multipart/form-data; boundary=x',
        'text/plain',
        ['application/json', 'application/x-www-form-urlencoded'],
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter(isHeaderValue) },
  );
  const authorization = fc.oneof(
    fc.constantFrom<string | string[] | undefined>(
      undefined,
      GATEWAY_AUTH,
      basic('auditor', AUDITOR_SECRET),
      basic('gateway', 'wrong'),
      'Basic ',
      'Basic !!!',
      'Bearer abc',
      [GATEWAY_AUTH, basic('auditor', AUDITOR_SECRET)],
      `Basic ${Buffer.from('gateway').toString('base64')}`,
      `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
      `Basic ${'A'.repeat(10_000)}`,
    ),
    fc.string({ maxLength: 60 }).filter(isHeaderValue),
  );

  return fc.asyncProperty(
    fc.constantFrom('token', 'introspect'),
    body,
    contentType,
    authorization,
    async (endpoint, payload, type, auth) => {
      const headers: Record<string, string | string[]> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (auth !== undefined) headers.authorization = auth;
      const url = endpoint === 'token' ? world.tokenUrl : world.introspectUrl;
      const sentAt = Date.now() / 1000;
      const reply = await rawRequest(url, { headers, body: payload });
      expectWellFormed(reply, endpoint);
      if (reply.status !== 200) return;
      if (endpoint === 'introspect') {
        // Only a token this tenant issued is active; anything else is {"active": false} alone.
        if (reply.body.active === true) {
          const token = new URLSearchParams(payload.toString()).get('token');
          expect(world.issued).toContain(token);
        } else expect(reply.body).toEqual({ active: false });
        return;
      }
      // A granted exchange from random input: its subject token was one of the valid ones.
      const params = new URLSearchParams(payload.toString());
      const subject = params.get('subject_token') ?? '';
      expect(world.issued).toContain(subject);
      const violations = policyViolations(world, {
        subject: decodePart(subject, 1),
        subjectIssuer: world.tenantIssuer,
        targets: [...params.getAll('audience'), ...params.getAll('resource')],
        scope: params.get('scope')?.split(' ').filter(Boolean),
        issued: decodePart(reply.body.access_token as string, 1),
        sentAt,
      });
      expect(violations).toEqual([]);
    },
  );
}

/** Node refuses to send header values with control characters or non-Latin-1 text. */
const isHeaderValue = (v: string) => /^[\x20-\x7e]*$/.test(v) && v.trim() === v;
