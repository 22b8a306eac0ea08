/**
 * The STS's log lines (decision 0021), read from the real server's logger through a captured
 * destination: one JSON access line per request carrying the request id the response header
 * carried (the caller's X-Request-Id when it is a short safe token, else a generated one), with
 * tenant, route, status, duration, client and, for a refusal, the OAuth error and reason code;
 * and never a token, any part of a signature, a client secret or an Authorization header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { type CapturedLog, captureLog } from './helpers/log';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const AGENT = 'agent:assistant';

let idp: TestIdp;
let agents: TestIdp;
let sts: TestSts;
let captured: CapturedLog;
/** Every credential the tests sent or received: none may reach the log. */
const secrets = new Set<string>([SECRET]);

beforeAll(async () => {
  [idp, agents] = await Promise.all([
    TestIdp.create('https://idp.example.test'),
    TestIdp.create('https://agents.example.test'),
  ]);
  captured = captureLog('info');
  sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
          trustedIssuers: [
            idp.trusted(),
            agents.trusted({ audiences: undefined, anyAudience: true }),
          ],
          rules: [
            {
              id: 'gateway',
              clients: ['gateway'],
              subjectIssuers: [idp.issuer],
              mode: 'delegation',
              actors: [{ issuer: agents.issuer, subjects: [AGENT] }],
              audiences: [ORDERS],
            },
          ],
        },
      ],
    },
    {},
    { log: captured.log },
  );
});

afterAll(async () => {
  await sts?.stop();
  await Promise.all([idp?.close(), agents?.close()]);
});

/** A token exchange with a subject and an actor token, the client's secret in Authorization. */
async function exchange(
  options: { secret?: string; actor?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const subject = await idp.mint();
  const actor = await agents.mint({ sub: options.actor ?? AGENT, aud: sts.issuer('acme') });
  const secret = options.secret ?? SECRET;
  for (const sent of [subject, actor, secret]) secrets.add(sent);
  secrets.add(Buffer.from(`gateway:${secret}`).toString('base64'));
  const reply = await post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN,
      actor_token: actor,
      actor_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic: ['gateway', secret], headers: options.headers },
  );
  if (typeof reply.body.access_token === 'string') secrets.add(reply.body.access_token);
  return reply;
}

/** The lines written about the request that got `reply`, by the id its response header carried. */
function linesOf(reply: Reply): Record<string, unknown>[] {
  const id = reply.headers.get('x-request-id');
  expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  return captured.lines().filter((line) => line.request_id === id);
}

/** Nothing sent or issued as a credential appears in the log, whole or in part. */
function expectNoCredentialLogged(): void {
  const text = captured.text();
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    // Every segment of a JWT, and any 12 characters of its signature.
    for (const part of secret.split('.')) if (part.length >= 12) expect(text).not.toContain(part);
    const signature = secret.split('.')[2];
    if (signature)
      for (let i = 0; i + 12 <= signature.length; i++)
        expect(text).not.toContain(signature.slice(i, i + 12));
  }
  expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
}

describe('access lines', () => {
  it('a granted exchange: one access line with the request id of the response header', async () => {
    const reply = await exchange();
    expect(reply.status, reply.text).toBe(200);
    const lines = linesOf(reply);
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        pid: process.pid,
        msg: 'request',
        request_id: reply.headers.get('x-request-id'),
        method: 'POST',
        path: '/t/acme/token',
        route: 'token',
        tenant: 'acme',
        status: 200,
        duration_ms: expect.any(Number),
        client_id: 'gateway',
      },
    ]);
    expectNoCredentialLogged();
  });

  it('a refused exchange: its OAuth error and the audit record’s reason code', async () => {
    const reply = await exchange({ actor: 'agent:stranger' });
    expect(reply.status, reply.text).toBe(400);
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({ decision: 'denied', errorCode: 'invalid_request' });
    expect(linesOf(reply)).toEqual([
      expect.objectContaining({
        msg: 'request',
        route: 'token',
        tenant: 'acme',
        status: 400,
        client_id: 'gateway',
        error: 'invalid_request',
        reason: event?.reason,
      }),
    ]);
    expect(event?.reason).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expectNoCredentialLogged();
  });

  it('a wrong client secret: invalid_client, the claimed client, no secret', async () => {
    const reply = await exchange({ secret: 'not-the-secret-0123456789abcdef0123456789' });
    expect(reply.status).toBe(401);
    expect(linesOf(reply)).toEqual([
      expect.objectContaining({
        status: 401,
        client_id: 'gateway',
        error: 'invalid_client',
        reason: expect.stringMatching(/^client\./),
      }),
    ]);
    expectNoCredentialLogged();
  });

  it('a malformed body: invalid_request, and nothing of the body is written', async () => {
    const subject = await idp.mint();
    const assertion = await agents.mint({ sub: 'gateway' });
    secrets.add(subject).add(assertion);
    // A broken percent-escape after the credentials.
    const body = `grant_type=${encodeURIComponent(TOKEN_EXCHANGE)}&subject_token=${subject}&client_assertion=${assertion}&client_secret=${SECRET}&scope=%zz`;
    const reply = await post(sts.token('acme'), body, { basic: ['gateway', SECRET] });
    expect(reply.status).toBe(400);
    expect(linesOf(reply)).toEqual([
      expect.objectContaining({ status: 400, error: 'invalid_request', route: 'token' }),
    ]);
    expectNoCredentialLogged();
  });
});

describe('request ids', () => {
  it('a short safe X-Request-Id is kept: echoed and written', async () => {
    const id = 'edge-7f3a.9_B';
    const reply = await exchange({ headers: { 'x-request-id': id } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-request-id')).toBe(id);
    expect(linesOf(reply)).toEqual([expect.objectContaining({ request_id: id, status: 200 })]);
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['a space', 'two words'],
    ['markup', '<script>alert(1)</script>'],
    ['a log forging attempt', 'x","level":"fatal'],
  ])('an unsafe one (%s) is replaced, and not written', async (_name, unsafe) => {
    const reply = await exchange({ headers: { 'x-request-id': unsafe } });
    expect(reply.status).toBe(200);
    const id = reply.headers.get('x-request-id');
    expect(id).not.toBe(unsafe);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(reply)).toEqual([expect.objectContaining({ request_id: id, status: 200 })]);
    expect(captured.text()).not.toContain(unsafe);
  });

  it('every request gets one, outside the tenant routes too', async () => {
    const health = await fetch(`${sts.url}/healthz`);
    const missing = await fetch(`${sts.url}/nowhere?token=secret-in-query`);
    expect(missing.status).toBe(404);
    const lines = [health, missing].map((res) =>
      captured.lines().filter((l) => l.request_id === res.headers.get('x-request-id')),
    );
    expect(lines).toEqual([
      [expect.objectContaining({ route: 'healthz', status: 200, path: '/healthz' })],
      [expect.objectContaining({ route: 'not_found', status: 404, path: '/nowhere' })],
    ]);
    expect(captured.text()).not.toContain('secret-in-query');
  });
});

describe('the redaction guard', () => {
  it('censors credential fields a log call might pass by mistake, at the top and in an err or request', () => {
    const own = captureLog('info');
    const leaked = 'leaked-credential-0123456789';
    own.log.info(
      {
        authorization: `Basic ${leaked}`,
        client_secret: leaked,
        request: { body: leaked, headers: { authorization: leaked }, subject_token: leaked },
        err: { payload: { sub: leaked } },
      },
      'a careless line',
    );
    expect(own.text()).not.toContain(leaked);
    expect(own.lines()).toEqual([
      expect.objectContaining({
        authorization: '[redacted]',
        client_secret: '[redacted]',
        request: { body: '[redacted]', headers: '[redacted]', subject_token: '[redacted]' },
        err: { payload: '[redacted]' },
      }),
    ]);
  });
});
