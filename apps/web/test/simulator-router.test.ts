import { openPrivateJwk, sealedKeyPair } from '@sts/crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

// The console's defaults (env.ts): the STS at localhost:8080, the console at localhost:3000.
const TEST_ISSUER = 'http://localhost:3000/test-issuer/acme';
const TOKEN_ENDPOINT = 'http://localhost:8080/t/acme/token';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token' as const;

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;

// A fresh database per test: each test passes alone and in any order.
beforeEach(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
  for (const id of ['acme', 'globex'])
    await t.as(owner).tenant.create({
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
  const client = async (
    clientId: string,
    extra: { disabled?: boolean; authMethod?: 'client_secret_basic' | 'client_secret_post' } = {},
  ) => {
    const change = { actor: owner, action: 'client.create', tenantId: 'acme', target: clientId };
    await t.console.db.clients.create(
      'acme',
      {
        clientId,
        allowTokenExchange: true,
        credentials: {
          authMethod: extra.authMethod ?? 'client_secret_basic',
          secretHash: 'not-a-real-hash',
        },
      },
      change,
    );
    if (extra.disabled) await t.console.db.clients.setDisabled('acme', clientId, true, change);
  };
  await client('gateway');
  await client('poster', { authMethod: 'client_secret_post' });
  await client('off', { disabled: true });
  await t.as(owner).rule.create({
    tenantId: 'acme',
    id: 'orders',
    clients: ['gateway', 'poster'],
    subjectIssuers: [TEST_ISSUER, 'self'],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
    carryClaims: ['email'],
  });
});
afterEach(async () => {
  await t?.close();
});

/** Trusts the tenant's test issuer (what the first test does through the UI's procedure). */
const trustTestIssuer = () => t.as(owner).simulator.trustTestIssuer({ tenantId: 'acme' });

/** The exchange attempts recorded for the test's tenants: a simulation records none. */
const auditCount = async () =>
  (
    await Promise.all(
      ['acme', 'globex'].map((id) => t.console.db.audit.query(id, {}, { limit: 10 })),
    )
  ).flatMap((page) => page.items).length;

const composed = (sub: string, extra: Record<string, unknown> = {}) => ({
  source: 'compose' as const,
  tokenType: ACCESS_TOKEN,
  issuer: TEST_ISSUER,
  sub,
  scope: 'orders:read orders:write',
  extraClaims: '{"email": "ada@example.com"}',
  lifetimeSeconds: 600,
  ...extra,
});
const run = (who: Parameters<RouterTestDb['as']>[0], extra: Record<string, unknown> = {}) =>
  t.as(who).simulator.run({
    tenantId: 'acme',
    clientId: 'gateway',
    subject: composed('ada'),
    audiences: ['https://orders.example'],
    ...extra,
  });

describe('simulator router (real database)', () => {
  it('refuses composed tokens until the test issuer is trusted, which is an admin action', async () => {
    const before = await t.as(owner).simulator.options({ tenantId: 'acme' });
    expect(before.testIssuer).toMatchObject({ issuer: TEST_ISSUER, trusted: false });
    expect(before.clients.map((c) => c.clientId)).toEqual(['gateway', 'off', 'poster']);
    expect(before.tokenEndpoint).toBe(TOKEN_ENDPOINT);

    const untrusted = await run(owner);
    expect(untrusted.outcome).toEqual({
      granted: false,
      error: 'invalid_request',
      status: 400,
      description: 'The subject_token or actor_token is not acceptable for this exchange',
      detail: `issuer ${TEST_ISSUER} is not trusted by tenant acme`,
      reason: 'subject_token.issuer',
    });

    const status = await t.as(owner).simulator.trustTestIssuer({ tenantId: 'acme' });
    expect(status).toMatchObject({ issuer: TEST_ISSUER, trusted: true, trustedWithKey: true });
    const action = (await t.console.db.adminActions.list('acme', { limit: 100 })).items.find(
      (a) => a.target === TEST_ISSUER,
    );
    expect(action).toMatchObject({ action: 'issuer.create', actorEmail: owner.email });
    expect(await t.as(owner).issuer.list({ tenantId: 'acme' })).toEqual([
      expect.objectContaining({ issuer: TEST_ISSUER, algorithms: ['ES256'] }),
    ]);
  });

  it('grants a composed token under a saved rule, showing the trace, the would-be token and curl', async () => {
    await trustTestIssuer();
    const result = await run(owner);
    expect(result.outcome).toMatchObject({
      granted: true,
      ruleId: 'orders',
      mode: 'delegation',
      scope: ['orders:read'],
      response: {
        issued_token_type: ACCESS_TOKEN,
        token_type: 'Bearer',
        scope: 'orders:read',
        access_token: '<not issued: this is a simulation>',
      },
    });
    expect(result.trace).toContainEqual({
      step: 'policy',
      check: 'decision',
      outcome: 'pass',
      message: 'granted by rule orders',
    });
    expect(result.trace).toContainEqual(
      expect.objectContaining({ step: 'rule:orders', check: 'scope', outcome: 'pass' }),
    );
    expect(result.subject).toEqual({ sub: 'ada', iss: TEST_ISSUER });
    expect(result.actorChain).toEqual([{ sub: 'gateway', iss: 'http://localhost:8080/t/acme' }]);
    expect(result.wouldBe?.header).toMatchObject({ typ: 'at+jwt' });
    expect(result.wouldBe?.payload).toMatchObject({
      iss: 'http://localhost:8080/t/acme',
      sub: 'ada',
      aud: 'https://orders.example',
      client_id: 'gateway',
      scope: 'orders:read',
      email: 'ada@example.com',
      act: { sub: 'gateway', iss: 'http://localhost:8080/t/acme' },
      iat: '<time of issue>',
      jti: '<a random UUID>',
    });
    const subjectToken = result.composed.subject?.token;
    expect(subjectToken).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(result.composed.subject?.payload).toMatchObject({ iss: TEST_ISSUER, sub: 'ada' });
    expect(result.composed.subject?.header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(result.curl).toContain(`curl -sS -X POST '${TOKEN_ENDPOINT}'`);
    expect(result.curl).toContain("--user 'gateway:<client secret>'");
    expect(result.curl).toContain(`--data-urlencode 'subject_token=${subjectToken}'`);
    expect(result.curl).toContain("--data-urlencode 'audience=https://orders.example'");

    // client_secret_post puts the placeholders in the body.
    const post = await run(owner, { clientId: 'poster' });
    expect(post.curl).toContain("--data-urlencode 'client_secret=<client secret>'");
    expect(post.curl).not.toContain('--user');

    // A simulation records nothing in the exchange audit.
    expect(await auditCount()).toBe(0);
  });

  it('runs against an unsaved draft rule: another audience is refused with invalid_target', async () => {
    await trustTestIssuer();
    const draft = {
      id: 'orders',
      clients: ['gateway'],
      subjectIssuers: [TEST_ISSUER],
      mode: 'delegation' as const,
      actors: ['client' as const],
      audiences: ['https://billing.example'],
      scopes: ['orders:read'],
    };
    const result = await run(owner, { draftRule: draft, draftReplacesRuleId: 'orders' });
    expect(result.outcome).toEqual({
      granted: false,
      error: 'invalid_target',
      status: 400,
      description: 'The requested audience or resource is not allowed',
      detail: 'rule orders: not allowed: [https://orders.example]',
      reason: 'policy.target',
    });
    expect(result.trace).toContainEqual({
      step: 'rule:orders',
      check: 'target',
      outcome: 'fail',
      message: 'not allowed: [https://orders.example]',
    });
    expect(result.trace).toContainEqual(
      expect.objectContaining({ step: 'simulation', check: 'draft' }),
    );
    expect(result.rules).toEqual([{ id: 'orders', disabled: false, draft: true }]);
    expect(result.wouldBe).toBeNull();

    // A draft with a new id is appended after the saved rules: "orders" grants first, so the
    // draft is never tried, and the rules evaluated say so.
    const appended = await run(owner, { draftRule: { ...draft, id: 'new-rule' } });
    expect(appended.rules.map((r) => [r.id, r.draft])).toEqual([['orders', false]]);
    expect(appended.outcome).toMatchObject({ granted: true, ruleId: 'orders' });
    expect(appended.trace.some((e) => e.step === 'rule:new-rule')).toBe(false);
    // A request "orders" refuses reaches the draft.
    const reached = await run(owner, {
      draftRule: { ...draft, id: 'new-rule' },
      audiences: ['https://billing.example'],
    });
    expect(reached.rules.map((r) => [r.id, r.draft])).toEqual([
      ['orders', false],
      ['new-rule', true],
    ]);

    // The draft is validated as a rule.
    await expect(run(owner, { draftRule: { ...draft, actors: [] } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // And nothing of it was saved.
    expect(
      (await t.as(owner).rule.list({ tenantId: 'acme' })).rules.map((r) => r.rule.audiences),
    ).toEqual([['https://orders.example']]);
  });

  it('refuses a pasted token that is not a JWT with invalid_request and the precise detail', async () => {
    await trustTestIssuer();
    const result = await run(owner, {
      subject: { source: 'paste', tokenType: ACCESS_TOKEN, token: 'not-a-jwt' },
    });
    expect(result.outcome).toEqual({
      granted: false,
      error: 'invalid_request',
      status: 400,
      description: 'The subject_token or actor_token is not acceptable for this exchange',
      detail: 'not a compact JWS (three dot-separated parts)',
      reason: 'subject_token.format',
    });
    expect(result.trace).toContainEqual({
      step: 'subject_token',
      check: 'format',
      outcome: 'fail',
      message: 'not a compact JWS (three dot-separated parts)',
    });
    expect(result.curl).toContain("--data-urlencode 'subject_token=not-a-jwt'");
  });

  it('verifies the tenant’s own tokens with its public signing keys, and composed actor tokens', async () => {
    await trustTestIssuer();
    const kek = t.console.keys.keyEncryptionKey;
    await t.console.db.signingKeys.ensureActive('acme', 'ES256', (alg) =>
      sealedKeyPair(kek, 'signing_keys', 'acme', alg),
    );
    const [active] = await t.console.db.signingKeys.listUsable('acme');
    if (!active) throw new Error('no key');
    const privateJwk = openPrivateJwk(
      kek,
      'signing_keys',
      'acme',
      active.kid,
      active.sealedPrivateKey,
    );
    // Issued to the gateway (its client_id): the gateway holds it (decision 0006).
    const own = await new SignJWT({ sub: 'bob', scope: 'orders:read', client_id: 'gateway' })
      .setProtectedHeader({ alg: 'ES256', kid: active.kid, typ: 'at+jwt' })
      .setIssuer('http://localhost:8080/t/acme')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importJWK(privateJwk as JWK, 'ES256'));
    const result = await run(owner, {
      subject: { source: 'paste', tokenType: ACCESS_TOKEN, token: own },
    });
    expect(result.outcome).toMatchObject({ granted: true, ruleId: 'orders' });
    expect(result.trace).toContainEqual(
      expect.objectContaining({ step: 'subject_token', check: 'validated', outcome: 'pass' }),
    );
    expect(await t.console.db.signingKeys.listUsable('acme')).toHaveLength(1);

    // An actor token from the test issuer: this rule lets only the client act.
    const withActor = await run(owner, { actor: composed('robot', { scope: '' }) });
    expect(withActor.outcome).toMatchObject({
      granted: false,
      error: 'invalid_request',
      detail:
        'rule orders: actor robot from http://localhost:3000/test-issuer/acme is not an allowed actor',
    });
    expect(withActor.composed.actor?.payload).toMatchObject({ sub: 'robot', iss: TEST_ISSUER });
    expect(withActor.curl).toContain(`--data-urlencode 'actor_token_type=${ACCESS_TOKEN}'`);
  });

  it('shows what the STS does with a disabled client, and refuses an unknown one', async () => {
    await trustTestIssuer();
    const result = await run(owner, { clientId: 'off' });
    expect(result.outcome).toEqual({
      granted: false,
      error: 'invalid_client',
      status: 401,
      description: 'Client authentication failed',
      detail: 'client off is disabled',
      reason: 'client.disabled',
    });
    await expect(run(owner, { clientId: 'ghost' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      run(owner, { subject: composed('ada', { extraClaims: '[1, 2]' }) }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lets a viewer simulate on its tenant (composed tokens decoded, not handed out), nowhere else', async () => {
    await trustTestIssuer();
    const viewer = await t.admin('viewer', ['acme']);
    const result = await run(viewer);
    expect(result.outcome).toMatchObject({ granted: true, ruleId: 'orders' });
    expect(result.composed.subject?.token).toBeNull();
    expect(result.composed.subject?.payload).toMatchObject({ sub: 'ada' });
    expect(result.curl).not.toMatch(/subject_token=ey/);

    await expect(
      t.as(viewer).simulator.run({
        tenantId: 'globex',
        clientId: 'gateway',
        subject: composed('ada'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.as(viewer).simulator.options({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      t.as(viewer).simulator.trustTestIssuer({ tenantId: 'acme' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await t.admin('tenant_admin', ['acme']);
    await expect(
      t.as(admin).simulator.trustTestIssuer({ tenantId: 'globex' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await auditCount()).toBe(0);
  });

  it('stores the test issuer key encrypted: no private member in the row', async () => {
    await trustTestIssuer();
    const row = await t.console.db.testIssuerKeys.find('acme');
    expect(row?.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: row?.kid });
    expect(row?.publicJwk).not.toHaveProperty('d');
    expect(row?.sealedPrivateKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(row)).not.toMatch(/"d"\s*:/);
  });
});
