/**
 * Composing a token as a trusted issuer or as the tenant itself: the simulator signs it with a
 * key made for the run and accepts that key for that issuer alone. Nothing is trusted, stored or
 * changed, and the token is of no use against the real STS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token' as const;
const IDP = 'https://idp.example';
const SELF = 'http://localhost:8080/t/initech';

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;

beforeAll(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
  await t.as(owner).tenant.create({
    id: 'initech',
    displayName: 'Initech',
    accessTokenTtlSeconds: 300,
    signingAlg: 'ES256',
  });
  await t.as(owner).client.create({
    tenantId: 'initech',
    clientId: 'gateway',
    authMethod: 'client_secret_basic',
    allowTokenExchange: true,
  });
  // An RS256-only issuer, by JWKS URI: never fetched by a simulation of a composed token.
  await t.as(owner).issuer.create({
    tenantId: 'initech',
    issuer: IDP,
    jwksUri: 'https://idp.example/jwks',
    audiences: ['https://sts.example'],
    algorithms: ['RS256'],
  });
  await t.as(owner).rule.create({
    tenantId: 'initech',
    id: 'orders',
    clients: ['gateway'],
    subjectIssuers: [IDP, 'self'],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
  });
});
afterAll(async () => {
  await t?.close();
});

const composedAs = (
  issuer: string,
  extra: Record<string, unknown> = {},
  subject: { audiences?: string[] } = {},
) =>
  t.as(owner).simulator.run({
    tenantId: 'initech',
    clientId: 'gateway',
    subject: {
      source: 'compose',
      tokenType: ACCESS_TOKEN,
      issuer,
      sub: 'ada',
      scope: 'orders:read',
      audiences: ['https://sts.example'],
      extraClaims: '',
      lifetimeSeconds: 600,
      ...subject,
    },
    audiences: ['https://orders.example'],
    ...extra,
  });

describe('composing a token as a trusted issuer or as the tenant', () => {
  it('offers the trusted issuers first, then the tenant, then the test issuer', async () => {
    const { composeIssuers } = await t.as(owner).simulator.options({ tenantId: 'initech' });
    expect(composeIssuers).toEqual([
      { issuer: IDP, kind: 'trusted', audiences: ['https://sts.example'] },
      { issuer: SELF, kind: 'self', audiences: [] },
      { issuer: 'http://localhost:3000/test-issuer/initech', kind: 'test', audiences: [] },
    ]);
  });

  it('grants as a trusted issuer (in an algorithm it is pinned to) without changing anything', async () => {
    const version = await t.console.db.config.version();
    const issuersBefore = await t.as(owner).issuer.list({ tenantId: 'initech' });
    const result = await composedAs(IDP);
    expect(result.outcome).toMatchObject({ granted: true, ruleId: 'orders' });
    expect(result.subject).toEqual({ sub: 'ada', iss: IDP });
    expect(result.composed.subject).toMatchObject({
      header: { alg: 'RS256', typ: 'at+jwt', kid: expect.stringMatching(/^simulation-/) },
      payload: { iss: IDP, sub: 'ada' },
      token: null,
      simulationOnly: true,
    });
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        step: 'simulation',
        check: 'composed_subject_token',
        outcome: 'info',
      }),
    );
    // The real STS would need a token the issuer signed: the curl names what to send.
    expect(result.curl).toContain(`subject_token=<a subject token from ${IDP}>`);
    expect(await t.console.db.config.version()).toBe(version);
    expect(await t.as(owner).issuer.list({ tenantId: 'initech' })).toEqual(issuersBefore);
    expect(await t.console.db.testIssuerKeys.find('initech')).toBeNull();
  });

  it('grants as the tenant itself, before the tenant has any signing key', async () => {
    expect(await t.console.db.signingKeys.listUsable('initech')).toEqual([]);
    // A token of this tenant is exchanged again by its holder only: one naming gateway in aud.
    const notHeld = await composedAs(SELF);
    expect(notHeld.outcome).toMatchObject({ granted: false, error: 'invalid_request' });
    expect(notHeld.trace).toContainEqual(
      expect.objectContaining({ step: 'rule:orders', check: 'holder', outcome: 'fail' }),
    );
    const result = await composedAs(SELF, {}, { audiences: ['gateway'] });
    expect(result.outcome).toMatchObject({ granted: true, ruleId: 'orders' });
    expect(result.wouldBe?.payload.sub_id).toEqual({
      format: 'iss_sub',
      iss: SELF,
      sub: 'ada',
    });
    expect(result.composed.subject?.header).toMatchObject({ alg: 'ES256' });
    expect(await t.console.db.signingKeys.listUsable('initech')).toEqual([]);
  });

  it('still checks everything else: the issuer’s audience, the rule', async () => {
    const wrongAudience = await t.as(owner).simulator.run({
      tenantId: 'initech',
      clientId: 'gateway',
      subject: {
        source: 'compose',
        tokenType: ACCESS_TOKEN,
        issuer: IDP,
        sub: 'ada',
        scope: 'orders:read',
        audiences: ['https://elsewhere.example'],
        extraClaims: '',
        lifetimeSeconds: 600,
      },
      audiences: ['https://orders.example'],
    });
    expect(wrongAudience.outcome).toMatchObject({ granted: false, reason: 'subject_token.aud' });
    const wrongTarget = await composedAs(IDP, { audiences: ['https://billing.example'] });
    expect(wrongTarget.outcome).toMatchObject({ granted: false, reason: 'policy.target' });
  });

  it('refuses an issuer the tenant does not trust, next to the field', async () => {
    await expect(composedAs('https://stranger.example')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The tenant does not trust https://stranger.example',
    });
  });
});
