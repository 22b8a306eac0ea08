/**
 * The console's simulator and the STS decide with the same core and build the token with the
 * same claims builder: for the same request, the simulator's would-be token carries exactly the
 * claims the STS issues (iat, exp and jti aside, which only exist at issue), its header names the
 * key the STS signs with, and its response is the STS's without the token.
 */
import { randomBytes } from 'node:crypto';
import { consoleContext, runSimulation, type SimulationInput } from '@sts/console';
import { deriveKeys, loadOrCreateMasterKey } from '@sts/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, decodePayload, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, JWT_TYPE, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const TOOLS = 'https://tools.example.test/';

let idp: TestIdp;
let agents: TestIdp;
let sts: TestSts;
let simulate: (input: SimulationInput) => ReturnType<typeof runSimulation>;

beforeAll(async () => {
  idp = await TestIdp.create('https://idp.example.test');
  agents = await TestIdp.create('https://agents.example.test');
  const client = (clientId: string) => ({
    clientId,
    authMethod: 'client_secret_basic',
    secret: SECRET,
  });
  sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          accessTokenTtlSeconds: 600,
          clients: [client('gateway'), client('agent'), client('batch')],
          trustedIssuers: [
            {
              issuer: idp.issuer,
              jwks: idp.jwks,
              algorithms: ['ES256', 'RS256'],
              audiences: ['https://gateway.example.test'],
            },
            {
              issuer: agents.issuer,
              jwks: agents.jwks,
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
              carryClaims: ['email'],
              maxTtlSeconds: 300,
              requestedTokenTypes: [ACCESS_TOKEN, JWT_TYPE],
            },
            {
              id: 'agent',
              clients: ['agent'],
              subjectIssuers: [idp.issuer, 'self'],
              mode: 'delegation',
              actors: [{ issuer: agents.issuer }],
              audiencePrefixes: [TOOLS],
              scopes: ['orders:read'],
              maxChainDepth: 3,
              // The simulator and the STS decide a moment apart: a lifetime capped by the subject
              // token's remaining seconds would differ by one when a second ticks in between (the
              // second hop's subject is the first hop's token). Not capped by it here.
              allowBeyondSubjectExpiry: true,
            },
            {
              id: 'batch',
              clients: ['batch'],
              subjectIssuers: [idp.issuer],
              mode: 'impersonation',
              defaultAudiences: [ORDERS],
              audiences: [ORDERS],
              scopes: ['orders:read'],
              allowBeyondSubjectExpiry: true,
            },
          ],
        },
      ],
    },
    { STS_MASTER_KEY: MASTER_KEY },
  );
  const ctx = consoleContext({
    db: sts.database,
    keys: deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY)),
    stsPublicUrl: sts.publicUrl,
    consoleUrl: 'http://localhost:3000',
    allowLoopbackHttpJwks: true,
  });
  simulate = (input) => runSimulation(ctx, { showComposedTokens: true }, input);
});
afterAll(async () => {
  await sts?.stop();
});

const paste = (token: string) =>
  ({ source: 'paste', tokenType: ACCESS_TOKEN, token }) satisfies SimulationInput['subject'];
const withoutIssueTime = ({ iat, exp, jti, ...claims }: Record<string, unknown>) => claims;

/** The same request to the simulator and to the real token endpoint. */
async function both(
  clientId: string,
  request: {
    subject: string;
    actor?: string;
    audiences?: string[];
    resources?: string[];
    scope?: string;
    requestedTokenType?: typeof ACCESS_TOKEN | typeof JWT_TYPE;
  },
) {
  const simulated = await simulate({
    tenantId: 'acme',
    clientId,
    subject: paste(request.subject),
    actor: request.actor ? paste(request.actor) : undefined,
    audiences: request.audiences ?? [],
    resources: request.resources ?? [],
    scope: request.scope,
    requestedTokenType: request.requestedTokenType,
  });
  const form: Record<string, string | string[]> = {
    grant_type: TOKEN_EXCHANGE,
    subject_token: request.subject,
    subject_token_type: ACCESS_TOKEN,
  };
  if (request.actor) {
    form.actor_token = request.actor;
    form.actor_token_type = ACCESS_TOKEN;
  }
  if (request.audiences) form.audience = request.audiences;
  if (request.resources) form.resource = request.resources;
  if (request.scope) form.scope = request.scope;
  if (request.requestedTokenType) form.requested_token_type = request.requestedTokenType;
  const issued = await post(sts.token('acme'), form, { basic: [clientId, SECRET] });
  return { simulated, issued };
}

function expectSameToken({ simulated, issued }: Awaited<ReturnType<typeof both>>) {
  expect(issued.status, issued.text).toBe(200);
  expect(simulated.outcome.granted).toBe(true);
  const token = issued.body.access_token as string;
  const payload = decodePayload(token);
  expect(simulated.wouldBe?.payload).toMatchObject({
    iat: '<time of issue>',
    jti: '<a random UUID>',
  });
  expect(withoutIssueTime(simulated.wouldBe?.payload ?? {})).toEqual(withoutIssueTime(payload));
  expect(simulated.wouldBe?.header).toEqual(decodeHeader(token));
  if (simulated.outcome.granted) {
    const { access_token: _, ...response } = issued.body;
    const { access_token: __, ...wouldRespond } = simulated.outcome.response;
    expect(wouldRespond).toEqual(response);
    expect(payload.exp).toBe((payload.iat as number) + simulated.outcome.ttlSeconds);
  }
  expect(simulated.actorChain).toEqual(chain(payload.act as Record<string, unknown> | undefined));
}

const chain = (act: Record<string, unknown> | undefined): { sub: string; iss?: string }[] =>
  act
    ? [
        { sub: act.sub as string, ...(act.iss ? { iss: act.iss as string } : {}) },
        ...chain(act.act as Record<string, unknown> | undefined),
      ]
    : [];

describe('the simulator shows the token the STS issues', () => {
  it('delegation with the client as actor, narrowed scope and a carried claim', async () => {
    const subject = await idp.mint({
      scope: 'orders:read orders:write profile',
      email: 'alice@example.test',
    });
    expectSameToken(
      await both('gateway', { subject, audiences: [ORDERS], scope: 'orders:read admin' }),
    );
  });

  it('a plain JWT when requested, under the rule’s lifetime cap', async () => {
    const subject = await idp.mint({ scope: 'orders:read' }, { alg: 'RS256' });
    expectSameToken(
      await both('gateway', { subject, audiences: [ORDERS], requestedTokenType: JWT_TYPE }),
    );
  });

  it('an actor token, and a token of this tenant exchanged again (a chain of two actors)', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const first = await both('agent', {
      subject,
      actor: await agents.mint({ sub: 'agent:planner' }),
      resources: [`${TOOLS}calendar`, `${TOOLS}mail`],
    });
    expectSameToken(first);
    const again = await both('agent', {
      subject: first.issued.body.access_token as string,
      actor: await agents.mint({ sub: 'agent:mailer' }),
      resources: [`${TOOLS}mail`],
    });
    expectSameToken(again);
    expect(again.simulated.actorChain.map((a) => a.sub)).toEqual(['agent:mailer', 'agent:planner']);
  });

  it('impersonation with the default audience, outliving the subject token', async () => {
    const subject = await idp.mint({ scope: 'orders:read' }, { ttlSeconds: 60 });
    expectSameToken(await both('batch', { subject }));
  });

  it('the same refusal, with the same error the client gets', async () => {
    const subject = await idp.mint({ scope: 'orders:read' });
    const { simulated, issued } = await both('gateway', { subject, audiences: [TOOLS] });
    expect(simulated.outcome).toMatchObject({
      granted: false,
      status: issued.status,
      error: issued.body.error,
      description: issued.body.error_description,
      reason: 'policy.target',
    });
    expect(simulated.wouldBe).toBeNull();
  });
});
