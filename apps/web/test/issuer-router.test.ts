import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

const PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  kid: 'idp-1',
  alg: 'ES256',
  use: 'sig',
};

/** JWKS documents served on 127.0.0.1, by path. */
const routes: Record<string, { status: number; body: string }> = {};
let server: Server;
/** Requests the JWKS server answered. */
const served$ = { count: 0 };
let base: string;
let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;

beforeAll(async () => {
  server = createServer((req, res) => {
    served$.count++;
    const route = routes[req.url ?? ''] ?? { status: 404, body: '' };
    res.writeHead(route.status, { 'content-type': 'application/json' }).end(route.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
// A fresh database per test: each test passes alone and in any order.
beforeEach(async () => {
  // Loopback http JWKS URIs are allowed here, as STS_ALLOW_LOOPBACK_HTTP_JWKS=true does.
  t = await routerTestDb({ allowLoopbackHttpJwks: true });
  owner = await t.admin('owner');
  for (const id of ['acme', 'globex'])
    await t.as(owner).tenant.create({
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
});
afterEach(async () => {
  await t?.close();
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
});

/** The trusted issuer as stored (and as the STS loads it), or null. */
const issuerRow = async (tenantId: string, issuer: string) =>
  (await t.console.db.trustedIssuers.list(tenantId)).find((i) => i.issuer === issuer) ?? null;
/** The admin actions on `target`, oldest first. */
const actions = async (tenantId: string, target?: string) =>
  (await t.console.db.adminActions.list(tenantId, { limit: 1000 })).items
    .filter((a) => target === undefined || a.target === target)
    .reverse();

describe('issuer router (real database)', () => {
  it('adds, lists, edits and deletes trusted issuers, recording each action', async () => {
    const issuer = 'https://idp.example.test';
    await t.as(owner).issuer.create({
      tenantId: 'acme',
      issuer,
      jwksUri: 'https://idp.example.test/jwks',
      audiences: ['https://sts.example.test'],
      algorithms: ['ES256', 'RS256'],
    });
    expect(await t.as(owner).issuer.list({ tenantId: 'acme' })).toEqual([
      {
        issuer,
        jwksUri: 'https://idp.example.test/jwks',
        audiences: ['https://sts.example.test'],
        anyAudience: false,
        accessTokenTyp: ['at+jwt'],
        algorithms: ['ES256', 'RS256'],
      },
    ]);
    expect((await t.as(owner).tenant.get({ tenantId: 'acme' })).trustedIssuers).toBe(1);

    // An issuer with no audience accepts nothing: any audience must be chosen explicitly.
    await expect(
      t.as(owner).issuer.update({
        tenantId: 'acme',
        issuer,
        jwks: { keys: [PUBLIC_JWK] },
        audiences: [],
        algorithms: ['ES256'],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    // Edit: from a JWKS URI to inline keys, any audience, typ JWT and other algorithms.
    await t.as(owner).issuer.update({
      tenantId: 'acme',
      issuer,
      jwks: { keys: [PUBLIC_JWK] },
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['JWT'],
      algorithms: ['ES256'],
    });
    expect(await issuerRow('acme', issuer)).toEqual({
      issuer,
      jwks: { keys: [PUBLIC_JWK] },
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['JWT'],
      algorithms: ['ES256'],
    });
    expect((await t.as(owner).issuer.list({ tenantId: 'acme' }))[0]).toMatchObject({
      jwks: { keys: [PUBLIC_JWK] },
      algorithms: ['ES256'],
    });

    await t.as(owner).issuer.delete({ tenantId: 'acme', issuer });
    expect(await issuerRow('acme', issuer)).toBeNull();
    const recorded = await actions('acme', issuer);
    expect(recorded.map((a) => a.action)).toEqual([
      'issuer.create',
      'issuer.update',
      'issuer.delete',
    ]);
    expect(recorded.every((a) => a.actorEmail === owner.email)).toBe(true);
    expect(recorded[1]?.details).toMatchObject({ jwksKids: ['idp-1'] });
  });

  it('answers CONFLICT for an issuer trusted already and NOT_FOUND for an unknown one', async () => {
    const input = {
      tenantId: 'acme',
      issuer: 'https://twice.example.test',
      jwksUri: 'https://twice.example.test/jwks',
      audiences: ['https://sts.example.test'],
      algorithms: ['ES256' as const],
    };
    await t.as(owner).issuer.create(input);
    await expect(t.as(owner).issuer.create(input)).rejects.toMatchObject({ code: 'CONFLICT' });
    const unknown = { ...input, issuer: 'https://unknown.example.test' };
    await expect(t.as(owner).issuer.update(unknown)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.as(owner).issuer.delete({ tenantId: 'acme', issuer: unknown.issuer }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await issuerRow('acme', unknown.issuer)).toBeNull();
  });

  it('validates with the configuration rules and saves nothing on bad input', async () => {
    const good = {
      tenantId: 'acme',
      jwksUri: 'https://idp.example.test/jwks',
      audiences: ['https://sts.example.test'],
      algorithms: ['ES256'],
    };
    const bad: [string, Record<string, unknown>][] = [
      ['not a url', {}],
      ['https://no-keys.example.test', { jwksUri: undefined }],
      ['https://both.example.test', { jwks: { keys: [PUBLIC_JWK] } }],
      [
        'https://private.example.test',
        { jwksUri: undefined, jwks: { keys: [{ ...PUBLIC_JWK, d: 'private-part' }] } },
      ],
      [
        'https://symmetric.example.test',
        { jwksUri: undefined, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } },
      ],
      ['https://no-algs.example.test', { algorithms: [] }],
      ['https://hmac.example.test', { algorithms: ['HS256'] }],
      ['https://none.example.test', { algorithms: ['none'] }],
      ['https://empty-aud.example.test', { audiences: [''] }],
      // Decision 0010: no audience and no opt-in would accept nothing; both is contradictory.
      ['https://no-aud.example.test', { audiences: [] }],
      ['https://aud-and-any.example.test', { anyAudience: true }],
      ['https://no-typ.example.test', { accessTokenTyp: [] }],
      ['https://bad-typ.example.test', { accessTokenTyp: ['Bearer'] }],
      ['https://plain-http.example.test', { jwksUri: 'http://idp.example.test/jwks' }],
      ['https://fragment.example.test#x', {}],
    ];
    for (const [issuer, fields] of bad) {
      await expect(
        // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
        t.as(owner).issuer.create({ ...good, issuer, ...fields } as any),
        issuer,
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await issuerRow('acme', issuer), issuer).toBeNull();
    }
    const targets = bad.map(([issuer]) => issuer);
    expect((await actions('acme')).filter((a) => targets.includes(a.target ?? ''))).toEqual([]);

    // With STS_ALLOW_LOOPBACK_HTTP_JWKS=true, http on loopback is accepted.
    await t.as(owner).issuer.create({
      ...good,
      algorithms: ['ES256'],
      issuer: 'https://local.example.test',
      jwksUri: `${base}/jwks`,
    });
    expect((await issuerRow('acme', 'https://local.example.test'))?.jwksUri).toBe(`${base}/jwks`);
  });

  it('checks a sample token against the settings being edited, without trusting it', async () => {
    routes['/jwks'] = { status: 200, body: JSON.stringify({ keys: [PUBLIC_JWK] }) };
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    // An ID token of another application: typ JWT, its aud, no scope; not even signed.
    const idToken = `${part({ alg: 'ES256', typ: 'JWT', kid: 'idp-1' })}.${part({
      iss: 'https://idp.example.test',
      sub: 'alice',
      aud: 'another-app',
    })}.c2ln`;
    const settings = {
      tenantId: 'acme',
      issuer: 'https://idp.example.test',
      jwksUri: `${base}/jwks`,
      audiences: ['https://sts.example.test'],
      anyAudience: false,
      accessTokenTyp: ['at+jwt' as const],
      algorithms: ['ES256' as const],
    };
    const report = await t.as(owner).issuer.checkSampleToken({ ...settings, token: idToken });
    expect(report).toMatchObject({
      header: { typ: 'JWT', alg: 'ES256', kid: 'idp-1' },
      aud: ['another-app'],
      hasScope: false,
      kidKnown: true,
      accepted: false,
    });
    expect(report.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['typ', 'aud']);
    // With the settings an admin would choose for such an issuer, it would pass.
    const loose = await t.as(owner).issuer.checkSampleToken({
      ...settings,
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['JWT'],
      token: idToken,
    });
    expect(loose.accepted).toBe(true);
    // Nothing is stored, and a viewer may not make the server fetch keys.
    expect(await issuerRow('acme', 'https://idp.example.test')).toBeNull();
    const viewer = await t.admin('viewer', ['acme']);
    await expect(
      t.as(viewer).issuer.checkSampleToken({ ...settings, token: idToken }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('fetches keys from a JWKS URI and shows their public fields, or why it failed', async () => {
    routes['/jwks'] = {
      status: 200,
      body: JSON.stringify({
        keys: [PUBLIC_JWK, { kty: 'oct', k: 'c2VjcmV0', kid: 'shared' }],
      }),
    };
    routes['/html'] = { status: 200, body: '<html></html>' };
    routes['/many'] = { status: 200, body: JSON.stringify({ keys: Array(101).fill(PUBLIC_JWK) }) };
    const fetchKeys = (jwksUri: string) =>
      t.as(owner).issuer.fetchKeys({ tenantId: 'acme', jwksUri });

    expect(await fetchKeys(`${base}/jwks`)).toEqual({
      ok: true,
      keys: [
        { kid: 'idp-1', kty: 'EC', alg: 'ES256', use: 'sig', usable: true, unusableReason: null },
        {
          kid: 'shared',
          kty: 'oct',
          alg: null,
          use: null,
          usable: false,
          unusableReason: 'a symmetric key (kty "oct")',
        },
      ],
    });
    expect(JSON.stringify(await fetchKeys(`${base}/jwks`))).not.toContain('c2VjcmV0');
    // Whatever failed, one word: the precise reason goes to the server's log only.
    expect(await fetchKeys(`${base}/missing`)).toEqual({ ok: false, error: 'unreachable' });
    expect(await fetchKeys(`${base}/html`)).toEqual({ ok: false, error: 'unreachable' });
    expect(await fetchKeys(`${base}/many`)).toEqual({ ok: false, error: 'unreachable' });
    expect(await fetchKeys('http://idp.example.test/jwks')).toMatchObject({
      ok: false,
      error: expect.stringContaining('must use https'),
    });
    await expect(fetchKeys('not a url')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('"Fetch keys" reaches no loopback or private address, and cannot tell them from a closed port', async () => {
    const strict = await routerTestDb({ allowLoopbackHttpJwks: false });
    try {
      const admin = await strict.admin('owner');
      const fetchKeys = (jwksUri: string) =>
        strict.as(admin).issuer.fetchKeys({ tenantId: 'acme', jwksUri });
      const port = new URL(base).port;
      routes['/jwks'] = { status: 200, body: JSON.stringify({ keys: [PUBLIC_JWK] }) };
      const served = served$.count;
      for (const uri of [
        `https://localhost:${port}/jwks`,
        `https://127.1:${port}/jwks`,
        `https://0x7f000001:${port}/jwks`,
        `https://[::ffff:127.0.0.1]:${port}/jwks`,
        'https://10.0.0.1/jwks',
        'https://169.254.169.254/latest/meta-data',
      ])
        expect(await fetchKeys(uri), uri).toEqual({ ok: false, error: 'unreachable' });
      expect(served$.count).toBe(served);
    } finally {
      await strict.close();
    }
  });

  it('scopes tenant admins to their tenants and keeps viewers read-only', async () => {
    const issuer = 'https://globex-idp.example.test';
    const input = {
      tenantId: 'globex',
      issuer,
      jwksUri: 'https://globex-idp.example.test/jwks',
      audiences: ['https://sts.example.test'],
      algorithms: ['ES256' as const],
    };
    await t.as(owner).issuer.create(input);
    const acmeAdmin = await t.admin('tenant_admin', ['acme']);
    const viewer = await t.admin('viewer', ['globex']);
    const changed = { ...input, algorithms: ['RS256' as const] };

    for (const call of [
      () => () => t.as(acmeAdmin).issuer.list({ tenantId: 'globex' }),
      () => () =>
        t.as(acmeAdmin).issuer.create({ ...input, issuer: 'https://intruder.example.test' }),
      () => () => t.as(acmeAdmin).issuer.update(changed),
      () => () => t.as(acmeAdmin).issuer.delete({ tenantId: 'globex', issuer }),
      () => () => t.as(acmeAdmin).issuer.fetchKeys({ tenantId: 'globex', jwksUri: `${base}/jwks` }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect((await t.as(viewer).issuer.list({ tenantId: 'globex' })).map((i) => i.issuer)).toEqual([
      issuer,
    ]);
    for (const call of [
      () => () => t.as(viewer).issuer.create({ ...input, issuer: 'https://viewer.example.test' }),
      () => () => t.as(viewer).issuer.update(changed),
      () => () => t.as(viewer).issuer.delete({ tenantId: 'globex', issuer }),
      () => () => t.as(viewer).issuer.fetchKeys({ tenantId: 'globex', jwksUri: `${base}/jwks` }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect((await issuerRow('globex', issuer))?.algorithms).toEqual(['ES256']);
    expect(await issuerRow('globex', 'https://intruder.example.test')).toBeNull();
    expect(await issuerRow('globex', 'https://viewer.example.test')).toBeNull();
    expect((await actions('globex', issuer)).map((a) => a.action)).toEqual(['issuer.create']);
  });
});
