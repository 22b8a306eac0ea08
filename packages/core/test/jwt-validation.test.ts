/**
 * Subject and actor token validation. RFC 8693 §2.2.2 and docs/oauth-errors.md: a token that is
 * invalid for any reason is an invalid_request with the same generic description; the precise
 * reason is in the error's detail and in the trace. Keys come only from configuration (RFC 8725
 * §3.1, §3.10): `none`, HMAC, `jwk`, `jku` and `x5u` never get a token through.
 */
import { KeyObject, randomUUID, sign } from 'node:crypto';
import { base64url } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrustedIssuerSchema } from '../src/config/schema';
import { issue } from '../src/issue';
import { TOKEN_TYPE } from '../src/token-types';
import {
  A1,
  A2,
  type AppendixA,
  AS_ISSUER,
  appendixA,
  ORIGINAL_ISSUER,
  RULE_A1,
  RULE_A2,
} from './fixtures/rfc8693-appendix-a';
import {
  ACTOR_TOKEN_INVALID,
  type ExpectedError,
  expectGranted,
  expectRefused,
  SUBJECT_TOKEN_INVALID,
} from './helpers/expect-oauth';
import {
  generateTestKey,
  limits,
  MemoryKeys,
  makeTenant,
  mintJwt,
  T0,
  type TestKey,
} from './helpers/memory-ports';

const invalidSubject = (check: string, detail: string): ExpectedError => ({
  error: 'invalid_request',
  status: 400,
  description: SUBJECT_TOKEN_INVALID,
  detail,
  trace: { step: 'subject_token', check, message: detail },
});

const invalidActor = (check: string, detail: string): ExpectedError => ({
  error: 'invalid_request',
  status: 400,
  description: ACTOR_TOKEN_INVALID,
  detail,
  trace: { step: 'actor_token', check, message: detail },
});

/** Re-exchanging tokens this tenant issued (impersonation, any depth of existing chain). */
const RULE_SELF = {
  id: 'self-reexchange',
  clients: [A1.client],
  subjectIssuers: ['self'],
  mode: 'impersonation' as const,
  audiences: [A1.audience],
  scopes: ['orders', 'profile', 'history'],
  maxChainDepth: 5,
};

let w: AppendixA;
let attacker: TestKey;
beforeAll(async () => {
  w = await appendixA({
    rules: [{ ...RULE_A1, maxChainDepth: 5, impersonateDelegated: true }, RULE_A2, RULE_SELF],
  });
  attacker = await generateTestKey('ES256', 'attacker-1');
});
beforeEach(() => w.clock.set(T0));

const exchangeA1 = async (subjectToken: string, type: string = TOKEN_TYPE.accessToken) =>
  w.exchange(w.a1.request(subjectToken, { subject_token_type: type }));

describe('a valid subject token', () => {
  it('is accepted when signed with the issuer ES256 key', async () => {
    const result = await exchangeA1(await w.a1.subjectToken());
    expectGranted(result);
    expect(result.trace).toContainEqual({
      step: 'subject_token',
      check: 'validated',
      outcome: 'pass',
      message: `Signature (ES256), issuer ${ORIGINAL_ISSUER}, audience, expiry and type are valid; sub "${A1.subject}"`,
    });
    expect(result.facts.subject).toEqual({ iss: ORIGINAL_ISSUER, sub: A1.subject });
  });

  it('is accepted when signed with the issuer RS256 key', async () => {
    expectGranted(await exchangeA1(await w.a1.subjectToken({}, { key: w.idp.rs256 })));
  });
});

describe('algorithms (RFC 8725 §3.1)', () => {
  it('refuses alg none', async () => {
    const token = await w.a1.subjectToken({}, { alg: 'none' });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('algorithm', 'alg "none" is never accepted'),
    );
  });

  it('refuses HS256', async () => {
    const token = await w.a1.subjectToken({}, { alg: 'HS256', secret: 'a shared secret' });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('algorithm', 'alg "HS256" is never accepted'),
    );
  });

  it('refuses HS256 signed with the issuer public key as the HMAC secret, before any key lookup', async () => {
    const lookups = w.keys.lookups.length;
    const token = await w.a1.subjectToken(
      {},
      { alg: 'HS256', secret: await w.idp.publicPem(), header: { kid: w.idp.rs256.kid } },
    );
    expectRefused(
      await exchangeA1(token),
      invalidSubject('algorithm', 'alg "HS256" is never accepted'),
    );
    expect(w.keys.lookups.length).toBe(lookups);
  });

  it('refuses an alg outside the issuer pinned list', async () => {
    const pinned = await appendixA({
      trustedIssuers: (idp) => [idp.trust({ algorithms: ['ES256'] })],
    });
    const token = await pinned.a1.subjectToken({}, { key: pinned.idp.rs256 });
    expectRefused(
      await pinned.exchange(pinned.a1.request(token)),
      invalidSubject(
        'algorithm',
        `alg "RS256" is not allowed for ${ORIGINAL_ISSUER} (allowed: ES256)`,
      ),
    );
  });

  it.each(['none', 'HS256'])('cannot be configured to accept %s for a trusted issuer', (alg) => {
    const parsed = TrustedIssuerSchema.safeParse({ ...w.idp.trust(), algorithms: [alg] });
    expect(parsed.success).toBe(false);
  });
});

describe('signature and keys (keys come only from configuration)', () => {
  it('refuses a token signed with another key under the issuer kid', async () => {
    const impostor = await generateTestKey('ES256', w.idp.es256.kid, { fresh: true });
    const token = await w.a1.subjectToken({}, { key: impostor });
    expectRefused(await exchangeA1(token), invalidSubject('signature', 'signature is invalid'));
  });

  it('refuses a token whose kid the issuer does not publish', async () => {
    const token = await w.a1.subjectToken({}, { key: attacker });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('keys', `no key of ${ORIGINAL_ISSUER} matches kid "attacker-1" and alg ES256`),
    );
  });

  it('ignores an embedded jwk header carrying the attacker key', async () => {
    const token = await w.a1.subjectToken(
      {},
      { key: attacker, header: { jwk: attacker.publicJwk } },
    );
    expectRefused(
      await exchangeA1(token),
      invalidSubject('keys', `no key of ${ORIGINAL_ISSUER} matches kid "attacker-1" and alg ES256`),
    );
    expect(w.keys.lookups.at(-1)).toMatchObject({ kind: 'issuer', tenant: w.tenant.id });
  });

  it('ignores an embedded jwk header even under the issuer kid', async () => {
    const token = await w.a1.subjectToken(
      {},
      { key: attacker, header: { kid: w.idp.es256.kid, jwk: attacker.publicJwk } },
    );
    expectRefused(await exchangeA1(token), invalidSubject('signature', 'signature is invalid'));
  });

  it.each([
    ['jku', 'https://attacker.example/jwks.json'],
    ['x5u', 'https://attacker.example/cert.pem'],
    // A certificate chain carrying a key is not a key source either (RFC 8725 §3.10).
    ['x5c', ['MIIBkTCB+wIJAKHHIG...attacker-certificate']],
  ])('never uses a %s header', async (name, url) => {
    const token = await w.a1.subjectToken(
      {},
      { key: attacker, header: { kid: w.idp.es256.kid, [name]: url } },
    );
    expectRefused(await exchangeA1(token), invalidSubject('signature', 'signature is invalid'));
  });
});

describe('issuer', () => {
  it('refuses a token from an issuer the tenant does not trust', async () => {
    const token = await w.a1.subjectToken({ iss: 'https://evil.example' });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('issuer', 'issuer https://evil.example is not trusted by tenant as-example'),
    );
  });

  it('refuses a token without iss', async () => {
    const token = await w.a1.subjectToken({ iss: undefined });
    expectRefused(await exchangeA1(token), invalidSubject('issuer', 'no iss claim'));
  });

  it('refuses a token issued by another tenant of this STS', async () => {
    const other = makeTenant({ id: 'other', displayName: 'Other' });
    await w.keys.addTenantKey(other);
    const token = await mintJwt(
      { iss: other.issuer, sub: A1.subject, exp: w.clock.seconds() + 300 },
      { key: w.keys.activeKey(other), header: { typ: 'at+jwt' } },
    );
    expectRefused(
      await exchangeA1(token),
      invalidSubject('issuer', `issuer ${other.issuer} is not trusted by tenant as-example`),
    );
  });

  it('refuses a token naming this tenant as iss but signed with another tenant key', async () => {
    const other = makeTenant({ id: 'forger', displayName: 'Forger' });
    await w.keys.addTenantKey(other);
    const token = await mintJwt(
      { iss: AS_ISSUER, sub: A1.subject, exp: w.clock.seconds() + 300 },
      { key: w.keys.activeKey(other), header: { typ: 'at+jwt' } },
    );
    expectRefused(
      await exchangeA1(token),
      invalidSubject('keys', `no key of ${AS_ISSUER} matches kid "forger-k1" and alg ES256`),
    );
  });
});

describe('time (RFC 7519 §4.1.4-6, clock skew 30 s)', () => {
  it('refuses an expired token', async () => {
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() - 31 });
    expectRefused(await exchangeA1(token), invalidSubject('exp', 'token has expired'));
  });

  it('refuses a token whose nbf is in the future', async () => {
    const token = await w.a1.subjectToken({ nbf: w.clock.seconds() + 31 });
    expectRefused(await exchangeA1(token), invalidSubject('nbf', 'token is not yet valid (nbf)'));
  });

  it('refuses a token whose iat is in the future', async () => {
    const token = await w.a1.subjectToken({ iat: w.clock.seconds() + 31 });
    expectRefused(await exchangeA1(token), invalidSubject('iat', 'iat is in the future'));
  });

  it('accepts nbf and iat within the clock skew', async () => {
    const now = w.clock.seconds();
    const token = await w.a1.subjectToken({ nbf: now + 29, iat: now + 29 });
    expectGranted(await exchangeA1(token));
  });

  it('validates a token expired within the clock skew', async () => {
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() - 29 });
    const result = await exchangeA1(token);
    expect(result.trace).toContainEqual(
      expect.objectContaining({ step: 'subject_token', check: 'validated', outcome: 'pass' }),
    );
  });

  it('refuses a token without exp', async () => {
    const token = await w.a1.subjectToken({ exp: undefined });
    expectRefused(await exchangeA1(token), invalidSubject('exp', 'exp is missing or invalid'));
  });
});

describe('audience', () => {
  it('refuses a token whose aud is not one the trusted issuer is configured with', async () => {
    const token = await w.a1.subjectToken({ aud: 'https://other-as.example' });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('aud', 'aud does not name an expected audience'),
    );
  });

  it('refuses a token without aud when the issuer has audiences', async () => {
    const token = await w.a1.subjectToken({ aud: undefined });
    expectRefused(
      await exchangeA1(token),
      invalidSubject('aud', 'aud does not name an expected audience'),
    );
  });

  it('accepts no token when the issuer has no audiences and did not opt in to any (decision 0010)', async () => {
    const open = await appendixA({ trustedIssuers: (idp) => [idp.trust({ audiences: [] })] });
    const token = await open.a1.subjectToken({ aud: 'https://anyone.example' });
    expectRefused(
      await open.exchange(open.a1.request(token)),
      invalidSubject(
        'aud',
        `trusted issuer ${ORIGINAL_ISSUER} names no audience and does not accept any audience: no token of it is accepted until audiences are set (or anyAudience)`,
      ),
    );
  });

  it('accepts any aud when the issuer opts in with anyAudience', async () => {
    const open = await appendixA({
      trustedIssuers: (idp) => [idp.trust({ audiences: [], anyAudience: true })],
    });
    const token = await open.a1.subjectToken({ aud: 'https://anyone.example' });
    const result = await open.exchange(open.a1.request(token));
    expectGranted(result);
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        step: 'subject_token',
        check: 'validated',
        message: expect.stringContaining('any audience accepted from this issuer'),
      }),
    );
  });

  it('cannot be configured with audiences and anyAudience at once', () => {
    const parsed = TrustedIssuerSchema.safeParse({
      issuer: 'https://idp.example',
      jwksUri: 'https://idp.example/jwks',
      algorithms: ['ES256'],
      audiences: ['https://sts.example'],
      anyAudience: true,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['anyAudience'],
      message: 'Give audiences or accept any audience, not both',
    });
  });
});

describe('typ (RFC 7515 §4.1.9, RFC 9068 §4)', () => {
  it('refuses an at+jwt access token presented as an id_token', async () => {
    const token = await w.a1.subjectToken();
    expectRefused(
      await exchangeA1(token, TOKEN_TYPE.idToken),
      invalidSubject('typ', `typ "at+jwt" does not fit token type ${TOKEN_TYPE.idToken}`),
    );
  });

  it.each(['AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])(
    'compares typ case-insensitively, with an optional application/ prefix (%s)',
    async (typ) => {
      const token = await w.a1.subjectToken({}, { header: { typ } });
      expectGranted(await exchangeA1(token));
    },
  );

  it('refuses an access token without typ unless the issuer lists "absent"', async () => {
    const token = await w.a1.subjectToken({}, { header: { typ: undefined } });
    expectRefused(
      await exchangeA1(token),
      invalidSubject(
        'typ',
        'no typ header is not one this issuer uses for access tokens (accepted: at+jwt)',
      ),
    );
    const lax = await appendixA({
      trustedIssuers: (idp) => [idp.trust({ accessTokenTyp: ['at+jwt', 'absent'] })],
    });
    const laxToken = await lax.a1.subjectToken({}, { header: { typ: undefined } });
    expectGranted(await lax.exchange(lax.a1.request(laxToken)));
  });

  it('refuses typ JWT (what ID tokens carry) as an access token unless the issuer lists it', async () => {
    const token = await w.a1.subjectToken({}, { header: { typ: 'JWT' } });
    expectRefused(
      await exchangeA1(token),
      invalidSubject(
        'typ',
        'typ "JWT" is not one this issuer uses for access tokens (accepted: at+jwt)',
      ),
    );
    const jwtIdp = await appendixA({
      trustedIssuers: (idp) => [idp.trust({ accessTokenTyp: ['JWT'] })],
    });
    expectGranted(
      await jwtIdp.exchange(
        jwtIdp.a1.request(await jwtIdp.a1.subjectToken({}, { header: { typ: 'jwt' } })),
      ),
    );
    // Listing JWT does not make at+jwt acceptable: the list is what the issuer uses.
    expectRefused(
      await jwtIdp.exchange(jwtIdp.a1.request(await jwtIdp.a1.subjectToken())),
      invalidSubject(
        'typ',
        'typ "at+jwt" is not one this issuer uses for access tokens (accepted: JWT)',
      ),
    );
  });

  it('still accepts a token without typ as a generic JWT (subject_token_type jwt)', async () => {
    const token = await w.a2.subjectToken({}, { header: { typ: undefined } });
    expectGranted(await w.exchange(w.a2.request(token, await w.a2.actorToken()), A2.client));
  });

  it.each(['dpop+jwt', 'logout+jwt', 'secevent+jwt'])(
    'refuses a token made for another purpose (typ %s)',
    async (typ) => {
      const token = await w.a1.subjectToken({}, { header: { typ } });
      expectRefused(
        await exchangeA1(token),
        invalidSubject(
          'typ',
          `typ "${typ}" is not one this issuer uses for access tokens (accepted: at+jwt)`,
        ),
      );
    },
  );

  it('refuses a typ that is not a string (not a server error)', async () => {
    const token = await w.a1.subjectToken({}, { header: { typ: 42 } });
    expectRefused(await exchangeA1(token), invalidSubject('typ', 'typ is not a string'));
  });
});

describe('required claims', () => {
  it('refuses a token without sub', async () => {
    const token = await w.a1.subjectToken({ sub: undefined });
    expectRefused(await exchangeA1(token), invalidSubject('sub', 'sub is missing'));
  });

  it('refuses a token with an empty sub', async () => {
    const token = await w.a1.subjectToken({ sub: '' });
    expectRefused(await exchangeA1(token), invalidSubject('sub', 'sub is empty'));
  });
});

describe('format', () => {
  it('refuses a JWE-like five-part token', async () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn';
    expectRefused(
      await exchangeA1(jwe),
      invalidSubject('format', 'not a compact JWS (three dot-separated parts)'),
    );
  });

  it.each([
    ['one word', 'garbage'],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.e30'],
  ])('refuses garbage (%s)', async (_what, token) => {
    expectRefused(
      await exchangeA1(token),
      invalidSubject('format', 'not a compact JWS (three dot-separated parts)'),
    );
  });

  it.each([
    ['parts that are not base64url JSON', 'not.a.jwt'],
    ['a header that is a JSON string', `${base64url.encode('"x"')}.${base64url.encode('{}')}.c2ln`],
    [
      'a payload that is a JSON array',
      `${base64url.encode('{"alg":"ES256"}')}.${base64url.encode('[1]')}.c2ln`,
    ],
  ])('refuses %s', async (_what, token) => {
    expectRefused(
      await exchangeA1(token),
      invalidSubject('format', 'header or payload is not base64url-encoded JSON'),
    );
  });
});

describe('act nesting on input (docs/oauth-errors.md: depth 5)', () => {
  const nested = (depth: number) => {
    let act: Record<string, unknown> | undefined;
    for (let i = depth; i >= 1; i--) act = act ? { sub: `actor-${i}`, act } : { sub: `actor-${i}` };
    return act;
  };

  it('accepts an act chain 5 deep', async () => {
    const token = await w.a1.subjectToken({ act: nested(5) });
    const result = await exchangeA1(token);
    expectGranted(result);
    expect(result.facts.actorChain).toHaveLength(5);
  });

  it('refuses an act chain 6 deep', async () => {
    const token = await w.a1.subjectToken({ act: nested(6) });
    expectRefused(await exchangeA1(token), invalidSubject('act', 'act claim nested deeper than 5'));
  });

  it('refuses an act chain 3000 deep without crashing, when the token limit lets it in', async () => {
    const token = await w.a1.subjectToken({ act: nested(3000) });
    expect(token.length).toBeGreaterThan(16 * 1024);
    const result = await w.exchange(w.a1.request(token), A1.client, {
      limits: limits({ maxTokenChars: 1024 * 1024 }),
    });
    expectRefused(result, invalidSubject('act', 'act claim nested deeper than 5'));
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('refuses the same token for its size under the default limit', async () => {
    const token = await w.a1.subjectToken({ act: nested(3000) });
    const result = await exchangeA1(token);
    expectRefused(result, {
      error: 'invalid_request',
      status: 400,
      description: 'subject_token is too large',
      detail: `${token.length} characters, limit 16384`,
      trace: { step: 'request', check: 'token_size' },
    });
  });

  it.each([
    ['not an object', 'admin'],
    ['without sub', { iss: ORIGINAL_ISSUER }],
    ['with a nested member that is an array', { sub: 'a', act: [{ sub: 'b' }] }],
  ])('refuses an act claim %s', async (_what, act) => {
    const token = await w.a1.subjectToken({ act });
    const result = await exchangeA1(token);
    expectRefused(result, {
      ...invalidSubject('act', ''),
      detail: /^act claim (is not a JSON object|has no sub)$/,
      trace: { step: 'subject_token', check: 'act' },
    });
  });
});

describe('tokens this tenant issued', () => {
  it('accepts them back as subject tokens (exchanged again)', async () => {
    const first = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    const result = await exchangeA1(first.response.access_token);
    const decision = expectGranted(result);
    expect(decision.ruleId).toBe('self-reexchange');
    expect(result.facts.subject).toEqual({ iss: AS_ISSUER, sub: A1.subject });
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        step: 'subject_token',
        check: 'validated',
        message: expect.stringContaining(`issuer ${AS_ISSUER} (this tenant)`),
      }),
    );
  });

  it('accepts them after a key rotation, verified with the retiring key', async () => {
    const own = await appendixA({ rules: [RULE_A1, RULE_SELF] });
    const first = await own.exchangeAndIssue(own.a1.request(await own.a1.subjectToken()));
    await own.keys.addTenantKey(own.tenant);
    expect(own.keys.activeKey(own.tenant).kid).not.toBe(first.kid);
    expectGranted(await own.exchange(own.a1.request(first.response.access_token)));
  });

  it('refuses one signed by a key the tenant never had', async () => {
    const stranger = new MemoryKeys();
    await stranger.addTenantKey({ id: 'as-example-stolen' });
    const decision = expectGranted(await exchangeA1(await w.a1.subjectToken()));
    const forged = await issue(
      decision,
      { ...w.tenant, id: 'as-example-stolen' },
      {
        signer: stranger,
        clock: w.clock.now,
      },
    );
    expectRefused(
      await exchangeA1(forged.response.access_token),
      invalidSubject(
        'keys',
        `no key of ${AS_ISSUER} matches kid "as-example-stolen-k1" and alg ES256`,
      ),
    );
  });
});

describe('the actor token is validated like the subject token', () => {
  it('refuses an expired actor token', async () => {
    const request = w.a2.request(
      await w.a2.subjectToken(),
      await w.a2.actorToken({ exp: w.clock.seconds() - 60 }),
    );
    expectRefused(await w.exchange(request, A2.client), invalidActor('exp', 'token has expired'));
  });

  it('refuses an actor token with alg none', async () => {
    const request = w.a2.request(
      await w.a2.subjectToken(),
      await w.a2.actorToken({}, { alg: 'none' }),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      invalidActor('algorithm', 'alg "none" is never accepted'),
    );
  });

  it('refuses an actor token for another audience', async () => {
    const request = w.a2.request(
      await w.a2.subjectToken(),
      await w.a2.actorToken({ aud: 'https://elsewhere.example', jti: randomUUID() }),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      invalidActor('aud', 'aud does not name an expected audience'),
    );
  });
});

describe('crit (RFC 7515 §4.1.11)', () => {
  /** A token the issuer really signed, with `extra` in its protected header. */
  async function signedWithHeader(extra: Record<string, unknown>): Promise<string> {
    const key = w.idp.es256;
    const header = Buffer.from(
      JSON.stringify({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...extra }),
    ).toString('base64url');
    const payload = (await w.a1.subjectToken()).split('.')[1];
    const input = `${header}.${payload}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: KeyObject.from(key.privateKey),
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
  }

  it('accepts the same token without crit (the signing here is sound)', async () => {
    expectGranted(await exchangeA1(await signedWithHeader({})));
  });

  it.each([
    [{ crit: ['exp'] }],
    [{ crit: ['unknown'], unknown: 1 }],
    [{ crit: [] }],
    [{ crit: 'b64' }],
  ])('refuses a crit the STS does not understand (%j)', async (extra) => {
    expectRefused(
      await exchangeA1(await signedWithHeader(extra)),
      invalidSubject('crit', 'crit names an extension this STS does not support'),
    );
  });

  it('refuses an unencoded payload (b64 false), and accepts b64 true', async () => {
    expectRefused(
      await exchangeA1(await signedWithHeader({ crit: ['b64'], b64: false })),
      invalidSubject('crit', 'an unencoded payload (b64 false) is not a JWT'),
    );
    expectGranted(await exchangeA1(await signedWithHeader({ crit: ['b64'], b64: true })));
  });
});
