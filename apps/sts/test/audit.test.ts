import type { AuditEvent } from '@sts/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import {
  CLIENT_AUTH_FAILED,
  expectOAuthError,
  NOT_ALLOWED,
  rawRequest,
  SUBJECT_TOKEN_INVALID,
  TARGET_NOT_ALLOWED,
} from './token-assertions';

/**
 * The audit log over real HTTP and real SQLite: one record per attempt, granted or denied; the
 * precise reason in the record while the wire stays generic; no raw token stored anywhere.
 */

const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef012345';
const AGENT_SECRET = 'agent-secret-0123456789abcdef0123456789';
const LOCKED_SECRET = 'locked-secret-0123456789abcdef012345678';
const ORDERS = 'https://orders.example.test';
const TOOLS = 'https://tools.example.test/';

let idp: TestIdp;
let agentIdp: TestIdp;
let sts: TestSts;
let url: string;
let issuer: string;
/** Every token sent or received in this file: none may appear in the audit table. */
const tokens: string[] = [];

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
        clients: [
          { clientId: 'gateway', authMethod: 'client_secret_basic', secret: GATEWAY_SECRET },
          { clientId: 'agent', authMethod: 'client_secret_post', secret: AGENT_SECRET },
          {
            clientId: 'locked',
            authMethod: 'client_secret_basic',
            secret: LOCKED_SECRET,
            allowTokenExchange: false,
          },
        ],
        trustedIssuers: [
          idp.trusted(),
          {
            issuer: agentIdp.issuer,
            jwks: agentIdp.jwks,
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
            scopes: ['orders:read', 'orders:write'],
          },
          {
            id: 'agent',
            clients: ['agent'],
            subjectIssuers: [idp.issuer, 'self'],
            mode: 'delegation',
            actors: [{ issuer: agentIdp.issuer, subjects: ['agent:assistant'] }],
            audiencePrefixes: [TOOLS],
            scopes: ['orders:read'],
            maxChainDepth: 3,
            // The agent relays tokens the gateway obtained (their aud is the orders API).
            anyHolder: true,
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

async function subjectToken(claims: Record<string, unknown> = {}, ttlSeconds?: number) {
  const token = await idp.mint({ scope: 'orders:read orders:write', ...claims }, { ttlSeconds });
  tokens.push(token);
  return token;
}

function form(subject: string, extra: Record<string, string | string[]> = {}) {
  return {
    grant_type: TOKEN_EXCHANGE,
    subject_token: subject,
    subject_token_type: ACCESS_TOKEN,
    audience: ORDERS,
    ...extra,
  };
}

interface Act {
  sub: string;
  iss?: string;
  act?: Act;
}
const chainOf = (act: Act | undefined): { sub: string; iss?: string }[] =>
  act ? [{ sub: act.sub, iss: act.iss }, ...chainOf(act.act)] : [];

const auditIds = async (): Promise<string[]> =>
  (await sts.rows('audit_events')).map((r) => String(r.id));

/**
 * Runs one attempt and returns its reply and the one audit event it wrote (found by id, not by
 * order: two events of the same millisecond need not sort in request order).
 */
async function audited(send: () => Promise<Reply>): Promise<{ reply: Reply; event: AuditEvent }> {
  const before = new Set(await auditIds());
  const reply = await send();
  const added = (await auditIds()).filter((id) => !before.has(id));
  expect(added, 'exactly one audit record per attempt').toHaveLength(1);
  const event = await sts.database.audit.get('acme', added[0] ?? '');
  if (typeof reply.body.access_token === 'string') tokens.push(reply.body.access_token);
  return { reply, event };
}

describe('granted attempts', () => {
  it('record who, what was asked, what was granted, the rule, the jti and the trace', async () => {
    const subject = await subjectToken();
    const { reply, event } = await audited(() =>
      post(url, form(subject, { scope: 'orders:read admin' }), { basic: GATEWAY }),
    );
    expect(reply.status, reply.text).toBe(200);
    const issued = decodePayload(reply.body.access_token as string);
    expect(event).toStrictEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      createdAt: expect.any(Date),
      tenantId: 'acme',
      clientId: 'gateway',
      subjectIssuer: idp.issuer,
      subjectSub: 'alice',
      actor: { sub: 'gateway', iss: issuer },
      actorChain: [{ sub: 'gateway', iss: issuer }],
      requestedAudiences: [ORDERS],
      requestedScope: 'orders:read admin',
      grantedAudiences: [ORDERS],
      grantedScope: 'orders:read',
      decision: 'granted',
      ruleId: 'gateway',
      jti: issued.jti,
      errorCode: undefined,
      reason: undefined,
      errorDetail: undefined,
      trace: expect.any(Array),
      endpoint: 'token',
      truncatedChars: undefined,
    });
    expect(Math.abs(event.createdAt.getTime() - Date.now())).toBeLessThan(10_000);
    expect(event.trace).toContainEqual(
      expect.objectContaining({ step: 'policy', check: 'decision', outcome: 'pass' }),
    );
    expect(event.trace).toContainEqual(
      expect.objectContaining({ step: 'rule:gateway', check: 'scope', outcome: 'pass' }),
    );
  });

  it('the issued jti equals the token’s jti, for each token', async () => {
    for (let i = 0; i < 3; i++) {
      const { reply, event } = await audited(async () =>
        post(url, form(await subjectToken()), { basic: GATEWAY }),
      );
      expect(reply.status).toBe(200);
      expect(event.jti).toBe(decodePayload(reply.body.access_token as string).jti);
    }
  });

  it('record the actor chain outermost (newest) first', async () => {
    const first = await audited(async () =>
      post(url, form(await subjectToken()), { basic: GATEWAY }),
    );
    const actor = await agentIdp.mint({ sub: 'agent:assistant' });
    tokens.push(actor);
    const { reply, event } = await audited(() =>
      post(url, {
        ...form(first.reply.body.access_token as string, { audience: `${TOOLS}mail` }),
        actor_token: actor,
        actor_token_type: ACCESS_TOKEN,
        client_id: 'agent',
        client_secret: AGENT_SECRET,
      }),
    );
    expect(reply.status, reply.text).toBe(200);
    expect(event).toMatchObject({
      clientId: 'agent',
      subjectIssuer: issuer,
      subjectSub: 'alice',
      ruleId: 'agent',
      decision: 'granted',
      grantedAudiences: [`${TOOLS}mail`],
      grantedScope: 'orders:read',
    });
    expect(event.actorChain).toStrictEqual([
      { sub: 'agent:assistant', iss: agentIdp.issuer },
      { sub: 'gateway', iss: issuer },
    ]);
    // The same chain as the issued token's act claim, read from the outside in.
    expect(event.actorChain).toStrictEqual(
      chainOf(decodePayload(reply.body.access_token as string).act as Act),
    );
    expect(event.actor).toStrictEqual({ sub: 'agent:assistant', iss: agentIdp.issuer });
  });

  it('record who tried to act, also when refused: the actor token’s subject, or the client', async () => {
    const first = await audited(async () =>
      post(url, form(await subjectToken()), { basic: GATEWAY }),
    );
    expect(first.event.actor).toStrictEqual({ sub: 'gateway', iss: issuer });

    const stranger = await agentIdp.mint({ sub: 'agent:stranger' });
    tokens.push(stranger);
    const { reply, event } = await audited(() =>
      post(url, {
        ...form(first.reply.body.access_token as string, { audience: `${TOOLS}mail` }),
        actor_token: stranger,
        actor_token_type: ACCESS_TOKEN,
        client_id: 'agent',
        client_secret: AGENT_SECRET,
      }),
    );
    expect(reply.status).toBe(400);
    expect(event).toMatchObject({
      decision: 'denied',
      reason: 'policy.mode',
      // Who tried, and, apart, the subject token's own chain (the gateway acted before).
      actor: { sub: 'agent:stranger', iss: agentIdp.issuer },
      actorChain: [{ sub: 'gateway', iss: issuer }],
    });
  });
});

describe('denied attempts: a generic answer on the wire, the precise reason in the record', () => {
  it('an expired subject token: errorDetail "token has expired"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const subject = await subjectToken({ iat: now - 900, exp: now - 300 });
    const { reply, event } = await audited(() => post(url, form(subject), { basic: GATEWAY }));
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [subject],
    );
    expect(reply.text).not.toContain('expired');
    expect(event).toMatchObject({
      tenantId: 'acme',
      clientId: 'gateway',
      decision: 'denied',
      errorCode: 'invalid_request',
      errorDetail: 'token has expired',
      requestedAudiences: [ORDERS],
      grantedAudiences: [],
      grantedScope: undefined,
      jti: undefined,
    });
    expect(event.trace).toContainEqual({
      step: 'subject_token',
      check: 'exp',
      outcome: 'fail',
      message: 'token has expired',
    });
  });

  it.each<[string, () => Promise<string>, string]>([
    [
      'a wrong signature',
      async () => (await TestIdp.create('https://idp.example.test')).mint(),
      'signature is invalid',
    ],
    [
      'an untrusted issuer',
      async () => (await TestIdp.create('https://evil.example.test')).mint(),
      'issuer https://evil.example.test is not trusted by tenant acme',
    ],
    [
      'nbf in the future',
      () => subjectToken({ nbf: Math.floor(Date.now() / 1000) + 600 }),
      'token is not yet valid (nbf)',
    ],
    [
      'an unknown kid',
      async () => idp.mint({}, { header: { kid: 'nope' } }),
      'no key of https://idp.example.test matches kid "nope" and alg ES256',
    ],
  ])('%s', async (_name, make, detail) => {
    const subject = await make();
    tokens.push(subject);
    const { reply, event } = await audited(() => post(url, form(subject), { basic: GATEWAY }));
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [subject],
    );
    expect(event).toMatchObject({
      decision: 'denied',
      errorCode: 'invalid_request',
      errorDetail: detail,
    });
  });

  it('a policy refusal records the subject (iss + sub) and the rule’s reason', async () => {
    const subject = await subjectToken({ sub: 'bob', may_act: { sub: 'someone-else' } });
    const { reply, event } = await audited(() => post(url, form(subject), { basic: GATEWAY }));
    expectOAuthError(
      reply,
      { status: 400, error: 'invalid_request', error_description: NOT_ALLOWED },
      [subject],
    );
    expect(event).toMatchObject({
      clientId: 'gateway',
      subjectIssuer: idp.issuer,
      subjectSub: 'bob',
      decision: 'denied',
      errorCode: 'invalid_request',
      errorDetail: `rule gateway: may_act does not name gateway (${issuer}); without iss it names a party of ${idp.issuer}`,
    });
    expect(event.trace).toContainEqual(
      expect.objectContaining({ step: 'rule:gateway', check: 'may_act', outcome: 'fail' }),
    );
  });

  it('a refused target records what was requested', async () => {
    const subject = await subjectToken();
    const { reply, event } = await audited(() =>
      post(url, form(subject, { audience: [ORDERS, 'https://payments.example.test'] }), {
        basic: GATEWAY,
      }),
    );
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_target',
      error_description: TARGET_NOT_ALLOWED,
    });
    expect(event).toMatchObject({
      decision: 'denied',
      errorCode: 'invalid_target',
      errorDetail: 'rule gateway: not allowed: [https://payments.example.test]',
      requestedAudiences: [ORDERS, 'https://payments.example.test'],
      grantedAudiences: [],
    });
  });

  it('a client that may not exchange', async () => {
    const subject = await subjectToken();
    const { reply, event } = await audited(() =>
      post(url, form(subject), { basic: ['locked', LOCKED_SECRET] }),
    );
    expect(reply.status).toBe(400);
    expect(event).toMatchObject({
      clientId: 'locked',
      decision: 'denied',
      errorCode: 'unauthorized_client',
      reason: 'client.grant_type',
      errorDetail: 'client locked may not use token exchange',
    });
    expect(event.trace).toContainEqual({
      step: 'client',
      check: 'grant_type',
      outcome: 'fail',
      message: 'client locked may not use token exchange',
    });
  });
});

describe('client authentication failures are audited', () => {
  it.each<
    [
      string,
      { basic?: [string, string]; body?: Record<string, string> },
      string | undefined,
      string,
      string,
    ]
  >([
    [
      'a wrong secret',
      { basic: ['gateway', `${GATEWAY_SECRET}!`] },
      'gateway',
      'client gateway: unknown client or wrong secret',
      'client.secret',
    ],
    [
      'an unknown client',
      { basic: ['nobody', GATEWAY_SECRET] },
      'nobody',
      'client nobody: unknown client or wrong secret',
      'client.secret',
    ],
    ['no authentication', {}, undefined, 'no client authentication', 'client.credentials'],
    [
      'the wrong method for the client',
      { body: { client_id: 'gateway', client_secret: GATEWAY_SECRET } },
      'gateway',
      'client gateway is registered for client_secret_basic, not client_secret_post',
      'client.method',
    ],
  ])('%s', async (_name, auth, clientId, detail, reason) => {
    const subject = await subjectToken();
    const { reply, event } = await audited(() =>
      post(url, { ...form(subject), ...auth.body }, { basic: auth.basic }),
    );
    expectOAuthError(
      reply,
      { status: 401, error: 'invalid_client', error_description: CLIENT_AUTH_FAILED },
      [subject, GATEWAY_SECRET],
    );
    expect(event).toMatchObject({
      tenantId: 'acme',
      clientId,
      decision: 'denied',
      errorCode: 'invalid_client',
      reason,
      errorDetail: detail,
      subjectIssuer: undefined,
      subjectSub: undefined,
      jti: undefined,
    });
    expect(JSON.stringify(event)).not.toContain(GATEWAY_SECRET);
  });
});

describe('malformed requests at a known tenant are audited', () => {
  const basic = `Basic ${Buffer.from(`gateway:${GATEWAY_SECRET}`).toString('base64')}`;
  it.each<[string, Record<string, string>, string, string, string, string]>([
    [
      'bad percent-encoding',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=%zz',
      'invalid_request',
      'The request body is not valid form encoding',
      'form_encoding',
    ],
    [
      'a JSON body',
      { 'content-type': 'application/json' },
      '{}',
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
      'content_type',
    ],
    [
      'a repeated parameter',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=a&grant_type=b',
      'invalid_request',
      'Parameter grant_type is repeated',
      'repeated_parameter',
    ],
    [
      'no grant_type',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'scope=a',
      'invalid_request',
      'Missing grant_type',
      'grant_type',
    ],
    [
      'an unknown grant_type',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=password',
      'unsupported_grant_type',
      'The grant_type is not supported',
      'grant_type',
    ],
    [
      'a body over 64 KiB',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `grant_type=x&scope=${'s'.repeat(70 * 1024)}`,
      'invalid_request',
      'The request body is too large',
      'body_size',
    ],
  ])('%s', async (_name, headers, body, errorCode, detail, check) => {
    const { reply, event } = await audited(() =>
      rawRequest(url, { headers: { ...headers, authorization: basic }, body }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe(errorCode);
    expect(event).toMatchObject({
      tenantId: 'acme',
      decision: 'denied',
      errorCode,
      reason: `request.${check}`,
      errorDetail: detail,
    });
    expect(event.trace).toEqual([{ step: 'request', check, outcome: 'fail', message: detail }]);
  });

  it('a missing subject_token records the client and the request’s targets', async () => {
    const { reply, event } = await audited(() =>
      post(
        url,
        {
          grant_type: TOKEN_EXCHANGE,
          subject_token_type: ACCESS_TOKEN,
          audience: ORDERS,
          scope: 'orders:read',
        },
        {
          basic: GATEWAY,
        },
      ),
    );
    expect(reply.status).toBe(400);
    expect(event).toMatchObject({
      clientId: 'gateway',
      decision: 'denied',
      errorCode: 'invalid_request',
      errorDetail: 'Missing subject_token',
      requestedAudiences: [ORDERS],
      requestedScope: 'orders:read',
    });
  });
});

describe('no raw token is stored', () => {
  it('no subject, actor or issued token (nor its payload or signature) appears in any audit_events row', async () => {
    // Attempts of its own (the other tests' tokens are checked too when they ran first): granted,
    // exchanged again with an actor token, refused at client authentication, refused for size.
    const granted = await audited(async () =>
      post(url, form(await subjectToken()), { basic: GATEWAY }),
    );
    expect(granted.reply.status, granted.reply.text).toBe(200);
    const actor = await agentIdp.mint({ sub: 'agent:assistant' });
    tokens.push(actor);
    const delegated = await audited(() =>
      post(url, {
        ...form(granted.reply.body.access_token as string, { audience: `${TOOLS}mail` }),
        actor_token: actor,
        actor_token_type: ACCESS_TOKEN,
        client_id: 'agent',
        client_secret: AGENT_SECRET,
      }),
    );
    expect(delegated.reply.status, delegated.reply.text).toBe(200);
    const unauthenticated = await audited(async () =>
      post(url, form(await subjectToken()), { basic: ['gateway', `${GATEWAY_SECRET}!`] }),
    );
    expect(unauthenticated.reply.status).toBe(401);
    const big = await idp.mint({ padding: 'p'.repeat(17 * 1024) });
    tokens.push(big);
    const tooBig = await audited(() => post(url, form(big), { basic: GATEWAY }));
    expect(tooBig.reply.status).toBe(400);

    const dump = (await sts.rows('audit_events')).map((row) => JSON.stringify(row)).join('\n');
    // Two subject tokens, two issued tokens, the actor token and the big one at least.
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    for (const token of tokens) {
      const parts = token.split('.');
      expect(parts).toHaveLength(3);
      const [, payload, signature] = parts as [string, string, string];
      expect(signature.length).toBeGreaterThan(0);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(payload);
      expect(dump).not.toContain(signature);
    }
    for (const secret of [GATEWAY_SECRET, AGENT_SECRET, LOCKED_SECRET])
      expect(dump).not.toContain(secret);
  });
});
