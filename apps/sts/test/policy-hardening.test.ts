/**
 * The policy holes of the security review, through HTTP (decisions 0010 and 0011): token type
 * confusion (an ID token of another relying party), subject collision across issuers,
 * impersonation of a delegated token, actor loops, re-exchange by a client that does not hold
 * the token, subject token age, RSA keys over 4096 bits, and one description for every refusal.
 * Each test failed before the fix.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, post, type Reply } from './helpers/http';
import { IDP_AUDIENCE, TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { EXCHANGE_REFUSED, expectOAuthError } from './token-assertions';

const ORDERS = 'https://orders.example.test';
const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef0123';
const OTHER_SECRET = 'other-secret-0123456789abcdef0123456';
const SUPPORT_SECRET = 'support-secret-0123456789abcdef01234';
const FRESH_SECRET = 'fresh-secret-0123456789abcdef0123456';
const GATEWAY: [string, string] = ['gateway', GATEWAY_SECRET];
const OTHER: [string, string] = ['other', OTHER_SECRET];
const SUPPORT: [string, string] = ['support', SUPPORT_SECRET];
const FRESH: [string, string] = ['fresh', FRESH_SECRET];

/** TEST ONLY: an 8192-bit RSA key (generating one takes half a minute). */
const RSA_8192 = JSON.parse(
  readFileSync(new URL('./fixtures/rsa-8192.private.jwk.json', import.meta.url), 'utf8'),
) as JWK;

let sts: TestSts;
let url: string;
let issuer: string;
/** Its tokens are for this STS (audiences set): the well-configured issuer. */
let idp: TestIdp;
/** A second identity provider whose users may have the same `sub` as idp's. */
let partner: TestIdp;
/** Trusted as earlier versions stored it: no audiences, no opt-in. */
let legacy: TestIdp;
/** Sends typ JWT on access tokens and has no audience to give: both opted in explicitly. */
let loose: TestIdp;
let bigKeyJwks: Server;
const BIG_KEY_ISSUER = 'https://big-key.example.test';

beforeAll(async () => {
  idp = await TestIdp.create('https://idp.example.test');
  partner = await TestIdp.create('https://partner.example.test');
  legacy = await TestIdp.create('https://legacy.example.test');
  loose = await TestIdp.create('https://loose.example.test');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = RSA_8192;
  bigKeyJwks = createServer((_req, res) =>
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ keys: [publicJwk] })),
  );
  await new Promise<void>((ok) => bigKeyJwks.listen(0, '127.0.0.1', ok));
  const bigKeyUri = `http://127.0.0.1:${(bigKeyJwks.address() as AddressInfo).port}/jwks`;

  const client = (clientId: string, secret: string) => ({
    clientId,
    authMethod: 'client_secret_basic',
    secret,
  });
  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [
          client('gateway', GATEWAY_SECRET),
          client('other', OTHER_SECRET),
          client('support', SUPPORT_SECRET),
          client('fresh', FRESH_SECRET),
        ],
        trustedIssuers: [
          idp.trusted(),
          partner.trusted(),
          legacy.trusted({ audiences: [] }),
          loose.trusted({ audiences: [], anyAudience: true, accessTokenTyp: ['JWT'] }),
          {
            issuer: BIG_KEY_ISSUER,
            jwksUri: bigKeyUri,
            algorithms: ['RS256'],
            audiences: [IDP_AUDIENCE],
          },
        ],
        rules: [
          {
            id: 'gateway',
            clients: ['gateway'],
            subjectIssuers: [idp.issuer, partner.issuer, legacy.issuer, loose.issuer],
            mode: 'delegation',
            actors: ['client', { issuer: idp.issuer }],
            audiences: [ORDERS],
            scopes: ['orders:read', 'orders:write'],
            maxChainDepth: 3,
          },
          {
            id: 'big-key',
            clients: ['gateway'],
            subjectIssuers: [BIG_KEY_ISSUER],
            mode: 'impersonation',
            audiences: [ORDERS],
          },
          {
            id: 'fresh-only',
            clients: ['fresh'],
            subjectIssuers: [idp.issuer],
            mode: 'impersonation',
            audiences: ['https://fresh.example.test'],
            maxSubjectAgeSeconds: 60,
          },
          {
            id: 'support',
            clients: ['support'],
            subjectIssuers: [idp.issuer, 'self'],
            mode: 'impersonation',
            audiences: [ORDERS],
            scopes: ['orders:read'],
            // Support may exchange any token of the tenant, but never launder a delegated one.
            anyHolder: true,
          },
          {
            id: 'again',
            clients: ['gateway', 'other'],
            subjectIssuers: ['self'],
            mode: 'impersonation',
            impersonateDelegated: true,
            audiences: ['https://reports.example.test'],
            scopes: ['orders:read'],
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
  await new Promise((ok) => bigKeyJwks?.close(ok));
});

const form = (subjectToken: string, extra: Record<string, string> = {}) => ({
  grant_type: TOKEN_EXCHANGE,
  subject_token: subjectToken,
  subject_token_type: ACCESS_TOKEN,
  audience: ORDERS,
  ...extra,
});

/** The reply and the audit record of the request, which the STS writes before answering. */
async function exchange(
  body: Record<string, string>,
  basic: [string, string] = GATEWAY,
): Promise<{ reply: Reply; reason: string | null; detail: string | null; ruleId: string | null }> {
  const reply = await post(url, body, { basic });
  const [event] = await sts.auditEvents('acme');
  return {
    reply,
    reason: event?.reason ?? null,
    detail: event?.errorDetail ?? null,
    ruleId: event?.ruleId ?? null,
  };
}

function expectRefused(reply: Reply, tokens: string[] = []) {
  expectOAuthError(
    reply,
    { status: 400, error: 'invalid_request', error_description: EXCHANGE_REFUSED },
    tokens,
  );
}

describe('token type confusion (finding 4)', () => {
  /** What an IdP gives another relying party: typ JWT, aud = that party's client id, no scope. */
  const idTokenOf = (from: TestIdp) =>
    from.mint({ aud: 'someone-elses-client', nonce: 'n-0S6_WzA2Mj' }, { header: { typ: 'JWT' } });

  it('refuses an ID token of another relying party from an issuer with no audiences', async () => {
    const idToken = await idTokenOf(legacy);
    const { reply, reason, detail } = await exchange(form(idToken));
    expectRefused(reply, [idToken]);
    // Refused for its typ first; shaped as an access token, for its aud: an issuer that names
    // no audience, and did not opt in to any, accepts no token (decision 0010).
    expect(reason).toBe('subject_token.typ');
    expect(detail).toBe(
      'typ "JWT" is not one this issuer uses for access tokens (accepted: at+jwt)',
    );
    const accessShaped = await legacy.mint({ aud: 'someone-elses-client' });
    const second = await exchange(form(accessShaped));
    expectRefused(second.reply, [accessShaped]);
    expect(second.reason).toBe('subject_token.aud');
  });

  it('refuses typ JWT as an access token, even with the right aud', async () => {
    const token = await idp.mint({ scope: 'orders:read' }, { header: { typ: 'JWT' } });
    const { reply, reason } = await exchange(form(token));
    expectRefused(reply, [token]);
    expect(reason).toBe('subject_token.typ');
  });

  it('refuses a foreign aud from an issuer with audiences', async () => {
    const token = await idp.mint({ aud: 'someone-elses-client', scope: 'orders:read' });
    const { reply, reason } = await exchange(form(token));
    expectRefused(reply, [token]);
    expect(reason).toBe('subject_token.aud');
  });

  it('grants a subject token without scope no scope', async () => {
    const token = await idp.mint();
    const { reply } = await exchange(form(token));
    expect(reply.status, reply.text).toBe(200);
    expect(decodePayload(reply.body.access_token as string)).not.toHaveProperty('scope');
    const asked = await exchange(form(token, { scope: 'orders:read' }));
    expectOAuthError(asked.reply, {
      status: 400,
      error: 'invalid_scope',
      error_description: 'The requested scope is not allowed',
    });
    expect(asked.reason).toBe('policy.scope');
  });

  it('accepts typ JWT and any aud only where the issuer opted in, still without scope', async () => {
    const idToken = await idTokenOf(loose);
    const { reply } = await exchange(form(idToken));
    expect(reply.status, reply.text).toBe(200);
    expect(decodePayload(reply.body.access_token as string)).not.toHaveProperty('scope');
  });
});

describe('subject collision (finding 6)', () => {
  it('gives alice of two issuers distinct subjects (sub_id, RFC 9493 iss_sub)', async () => {
    const ofIdp = await exchange(form(await idp.mint({ sub: 'alice' })));
    const ofPartner = await exchange(form(await partner.mint({ sub: 'alice' })));
    const a = decodePayload(ofIdp.reply.body.access_token as string);
    const b = decodePayload(ofPartner.reply.body.access_token as string);
    expect(a.sub).toBe('alice');
    expect(b.sub).toBe('alice');
    expect(a.sub_id).toStrictEqual({ format: 'iss_sub', iss: idp.issuer, sub: 'alice' });
    expect(b.sub_id).toStrictEqual({ format: 'iss_sub', iss: partner.issuer, sub: 'alice' });
  });

  it('keeps the original issuer in sub_id when a token is exchanged again', async () => {
    const first = await exchange(form(await partner.mint({ sub: 'alice' })));
    const again = await exchange(
      form(first.reply.body.access_token as string, { audience: 'https://reports.example.test' }),
    );
    expect(again.reply.status, again.reply.text).toBe(200);
    expect(decodePayload(again.reply.body.access_token as string).sub_id).toStrictEqual({
      format: 'iss_sub',
      iss: partner.issuer,
      sub: 'alice',
    });
  });
});

describe('impersonation of a delegated token, and actor loops (finding 7)', () => {
  it('refuses to impersonate a delegated token unless the rule accepts it', async () => {
    const delegated = await exchange(form(await idp.mint({ scope: 'orders:read' })));
    expect(decodePayload(delegated.reply.body.access_token as string).act).toStrictEqual({
      sub: 'gateway',
      iss: issuer,
    });
    const token = delegated.reply.body.access_token as string;
    const { reply, reason, detail } = await exchange(form(token, { audience: ORDERS }), SUPPORT);
    expectRefused(reply, [token]);
    expect(reason).toBe('policy.delegated_subject');
    expect(detail).toBe(
      'rule support: the subject token was delegated (act: gateway); this impersonation rule does not accept delegated tokens',
    );
  });

  it('refuses an actor that is the subject itself', async () => {
    const subject = await idp.mint({ sub: 'alice', scope: 'orders:read' });
    const actor = await idp.mint({ sub: 'alice' });
    const { reply, reason } = await exchange(
      form(subject, { actor_token: actor, actor_token_type: ACCESS_TOKEN }),
    );
    expectRefused(reply, [subject, actor]);
    expect(reason).toBe('policy.actor_loop');
  });

  it('refuses an actor already in the subject token’s chain (a loop)', async () => {
    const subject = await idp.mint({
      sub: 'alice',
      scope: 'orders:read',
      act: { sub: 'svc-b', iss: idp.issuer, act: { sub: 'svc-a', iss: idp.issuer } },
    });
    const actor = await idp.mint({ sub: 'svc-a' });
    const { reply, reason, detail } = await exchange(
      form(subject, { actor_token: actor, actor_token_type: ACCESS_TOKEN }),
    );
    expectRefused(reply, [subject, actor]);
    expect(reason).toBe('policy.actor_loop');
    expect(detail).toBe(
      `rule gateway: actor svc-a (${idp.issuer}) is already in the subject token's actor chain`,
    );
  });
});

describe('the low findings of the policy engine (finding 8)', () => {
  it('lets only the holder (aud or client_id) exchange a token of this tenant again', async () => {
    const own = (await exchange(form(await idp.mint({ scope: 'orders:read' })))).reply.body
      .access_token as string;
    const stranger = await exchange(form(own, { audience: 'https://reports.example.test' }), OTHER);
    expectRefused(stranger.reply, [own]);
    expect(stranger.reason).toBe('policy.holder');
    expect(stranger.detail).toBe(
      `rule again: client other holds neither the token's aud [${ORDERS}] nor its client_id`,
    );
    const holder = await exchange(form(own, { audience: 'https://reports.example.test' }));
    expect(holder.reply.status, holder.reply.text).toBe(200);
  });

  it('refuses a subject token older than the rule’s maximum age', async () => {
    const old = await idp.mint({ iat: Math.floor(Date.now() / 1000) - 3600 });
    const { reply, reason } = await exchange(
      form(old, { audience: 'https://fresh.example.test' }),
      FRESH,
    );
    expectRefused(reply, [old]);
    expect(reason).toBe('policy.subject_age');
    const fresh = await exchange(
      form(await idp.mint(), { audience: 'https://fresh.example.test' }),
      FRESH,
    );
    expect(fresh.reply.status, fresh.reply.text).toBe(200);
  });

  it('reads may_act without iss as naming a party of the subject token’s issuer', async () => {
    // The gateway acts for itself (iss: this tenant); may_act names "gateway" without iss.
    const subject = await idp.mint({ scope: 'orders:read', may_act: { sub: 'gateway' } });
    const { reply, reason } = await exchange(form(subject));
    expectRefused(reply, [subject]);
    expect(reason).toBe('policy.may_act');
    const named = await idp.mint({
      scope: 'orders:read',
      may_act: { sub: 'gateway', iss: issuer },
    });
    expect((await exchange(form(named))).reply.status).toBe(200);
  });

  it('never verifies with an RSA key over 4096 bits (8192), fetched or inline', async () => {
    const key = await importJWK(RSA_8192, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'alice', aud: IDP_AUDIENCE, iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'RS256', kid: RSA_8192.kid, typ: 'at+jwt' })
      .setIssuer(BIG_KEY_ISSUER)
      .sign(key);
    const { reply, reason, detail } = await exchange(form(token));
    expectRefused(reply, [token]);
    expect(reason).toBe('subject_token.keys');
    expect(detail).toBe(`no key of ${BIG_KEY_ISSUER} matches kid "rsa-8192" and alg RS256`);

    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = RSA_8192;
    await expect(
      startTestSts({
        tenants: [
          {
            id: 'big',
            displayName: 'Big',
            trustedIssuers: [
              {
                issuer: BIG_KEY_ISSUER,
                jwks: { keys: [publicJwk] },
                algorithms: ['RS256'],
                anyAudience: true,
              },
            ],
          },
        ],
      }),
    ).rejects.toThrow(
      /tenants\[0\]\.trustedIssuers\[0\]\.jwks\.keys\[0\]: RSA keys over 4096 bits are refused/,
    );
  });
});

describe('error wording (finding 9)', () => {
  it('answers a token that did not verify and one no rule accepts with the same words', async () => {
    const forged = `${(await idp.mint({ scope: 'orders:read' })).slice(0, -4)}AAAA`;
    const bad = await exchange(form(forged));
    const valid = await idp.mint({ scope: 'orders:read', may_act: { sub: 'nobody' } });
    const refused = await exchange(form(valid));
    expect(bad.reason).toBe('subject_token.signature');
    expect(refused.reason).toBe('policy.may_act');
    expectRefused(bad.reply, [forged]);
    expectRefused(refused.reply, [valid]);
    expect(bad.reply.body).toStrictEqual(refused.reply.body);
  });
});
