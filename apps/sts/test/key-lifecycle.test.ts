/**
 * The signing key lifecycle (decision 0020) through the real STS on a real SQLite database, with
 * a manual clock: a rotated-in key is published before it signs; once active it signs and the
 * old key keeps verifying until its last token has expired (token lifetime + clock skew); then
 * the old key leaves the JWKS and its tokens are refused. The JWKS's max-age never exceeds the
 * pre-publication delay; two replicas running the lifecycle at once promote a key once.
 */
import { randomBytes } from 'node:crypto';
import { deriveKeys, loadOrCreateMasterKey, sealedKeyPair } from '@sts/crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './helpers/clock';
import { decodeHeader, get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { keyTestTenant } from './helpers/key-tenant';
import { ACCESS_TOKEN, startTestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { expectOAuthError, SUBJECT_TOKEN_INVALID } from './token-assertions';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const PREPUBLISH_MS = 120_000;
/** The tenant's token lifetime (300 s) plus STS_CLOCK_SKEW_SECONDS (30 s). */
const VERIFY_WINDOW_MS = 330_000;

const config = (idp: TestIdp) => ({ tenants: [keyTestTenant(idp, SECRET, ORDERS)] });

const started: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function setup(env: Record<string, string> = {}) {
  const clock = manualClock();
  const idp = await TestIdp.create();
  started.push({ stop: () => idp.close() });
  const sts = await startTestSts(
    config(idp),
    {
      STS_KEY_PREPUBLISH_SECONDS: String(PREPUBLISH_MS / 1000),
      STS_CLOCK_SKEW_SECONDS: '30',
      STS_MASTER_KEY: MASTER_KEY,
      // Nothing moves keys behind the test's back: it reloads and runs the lifecycle itself.
      STS_CONFIG_POLL_MS: '60000',
      ...env,
    },
    { clock: clock.now, keyLifecycleTimer: false },
  );
  started.push(sts);

  const exchange = (subjectToken: string): Promise<Reply> =>
    post(
      sts.token('acme'),
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: subjectToken,
        subject_token_type: ACCESS_TOKEN,
        audience: ORDERS,
      },
      { basic: ['gateway', SECRET] },
    );
  /** A token issued by the STS now (by its clock). */
  const issued = async () => {
    const iat = Math.floor(clock.now() / 1000);
    const res = await exchange(await idp.mint({ scope: 'orders:read', iat, exp: iat + 600 }));
    expect(res.status, res.text).toBe(200);
    return res.body.access_token as string;
  };
  const introspect = (token: string) =>
    post(`${sts.url}/t/acme/introspect`, { token }, { basic: ['gateway', SECRET] });
  const jwks = () => get(`${sts.url}/t/acme/jwks.json`);
  const jwksKids = async () =>
    ((await jwks()).body.keys as { kid: string }[]).map((k) => k.kid).sort();
  /** What the console's "Rotate now" does: a pending key, signing after the delay. */
  const rotate = async () => {
    const { keyEncryptionKey } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
    const rotation = await sts.database.signingKeys.rotate(
      'acme',
      (alg) => sealedKeyPair(keyEncryptionKey, 'signing_keys', 'acme', alg),
      { prepublishMs: PREPUBLISH_MS },
    );
    await sts.app.registry.reload();
    return rotation;
  };
  return { clock, idp, sts, exchange, issued, introspect, jwks, jwksKids, rotate };
}

describe('signing key lifecycle', () => {
  it('publishes a rotated-in key before it signs; the old key verifies until its last token expires, then leaves', async () => {
    const { clock, sts, exchange, issued, introspect, jwks, jwksKids, rotate } = await setup();
    const first = await issued();
    const oldKid = decodeHeader(first).kid as string;

    const rotation = await rotate();
    expect(rotation.previousKid).toBe(oldKid);
    expect(rotation.activatesAt.getTime()).toBe(clock.now() + PREPUBLISH_MS);
    // Published at once…
    expect(await jwksKids()).toEqual([oldKid, rotation.kid].sort());
    // A verifier that caches the JWKS now, before the new key signs, never needs to refetch.
    const cachedJwks = createLocalJWKSet((await jwks()).body as unknown as JSONWebKeySet);
    const verifiesWithCache = async (token: string) =>
      (await jwtVerify(token, cachedJwks, { currentDate: new Date(clock.now()) })).protectedHeader
        .kid;
    // …but the old key signs until the activation time.
    expect(decodeHeader(await issued()).kid).toBe(oldKid);
    clock.advance(PREPUBLISH_MS - 1000);
    expect(await sts.keyLifecycle.runOnce()).toEqual([]);
    const lastOld = await issued();
    expect(decodeHeader(lastOld).kid).toBe(oldKid);

    clock.advance(1000);
    const activatedAt = clock.now();
    expect(await sts.keyLifecycle.runOnce()).toEqual([
      {
        type: 'activate',
        kid: rotation.kid,
        previousKids: [oldKid],
        retireAfter: activatedAt + VERIFY_WINDOW_MS,
      },
    ]);
    const fresh = await issued();
    expect(decodeHeader(fresh).kid).toBe(rotation.kid);
    expect(await verifiesWithCache(fresh)).toBe(rotation.kid);
    expect(await verifiesWithCache(lastOld)).toBe(oldKid);
    expect(await jwksKids()).toEqual([oldKid, rotation.kid].sort());
    const [key] = (await sts.database.signingKeys.list('acme')).filter((k) => k.kid === oldKid);
    expect(key).toMatchObject({
      status: 'retiring',
      stoppedSigningAt: new Date(activatedAt),
      retireAfter: new Date(activatedAt + VERIFY_WINDOW_MS),
    });

    // The old key's last token: still verifies (introspection, re-exchange under the new key).
    clock.advance(VERIFY_WINDOW_MS - 60_000);
    expect(await sts.keyLifecycle.runOnce()).toEqual([]);
    expect((await introspect(lastOld)).body).toMatchObject({ active: true });
    const again = await exchange(lastOld);
    expect(again.status, again.text).toBe(200);
    expect(decodeHeader(again.body.access_token as string).kid).toBe(rotation.kid);
    expect(await verifiesWithCache(again.body.access_token as string)).toBe(rotation.kid);
    expect(await verifiesWithCache(lastOld)).toBe(oldKid);

    // At retire_after the old key leaves the JWKS and verifies nothing.
    clock.advance(60_000);
    expect(await sts.keyLifecycle.runOnce()).toEqual([{ type: 'retire', kid: oldKid }]);
    expect(await jwksKids()).toEqual([rotation.kid]);
    expect((await introspect(lastOld)).body).toEqual({ active: false });
    expectOAuthError(
      await exchange(lastOld),
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [lastOld],
    );
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({ decision: 'denied', reason: 'subject_token.keys' });

    const { items } = await sts.database.adminActions.list('acme', { limit: 10 });
    expect(items.slice(0, 2).map((a) => [a.action, a.target, a.actorEmail])).toEqual([
      ['key.retire', oldKid, 'system'],
      ['key.activate', rotation.kid, 'system'],
    ]);
  });

  it.each([
    [{}, 'public, max-age=120'],
    [{ STS_KEY_PREPUBLISH_SECONDS: '3600' }, 'public, max-age=300'],
    [{ STS_KEY_PREPUBLISH_SECONDS: '60' }, 'public, max-age=60'],
    [{ STS_KEY_PREPUBLISH_SECONDS: '0' }, 'no-cache'],
  ])(
    'the JWKS is cached no longer than a new key is pre-published (%o → %s)',
    async (env, cacheControl) => {
      const { jwks } = await setup(env);
      const res = await jwks();
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe(cacheControl);
    },
  );

  it('two STS processes running the lifecycle at once promote the key once', async () => {
    const { clock, idp, sts, issued, rotate } = await setup();
    const rotation = await rotate();
    // A second replica on the same database and master key.
    const replica = await startTestSts(
      config(idp),
      {
        STS_DATABASE_URL: sts.databaseUrl,
        STS_DATA_DIR: sts.dir,
        STS_KEY_PREPUBLISH_SECONDS: String(PREPUBLISH_MS / 1000),
        STS_CLOCK_SKEW_SECONDS: '30',
        STS_MASTER_KEY: MASTER_KEY,
        STS_CONFIG_POLL_MS: '60000',
      },
      { clock: clock.now, keyLifecycleTimer: false },
    );
    started.push(replica);

    clock.advance(PREPUBLISH_MS);
    const runs = await Promise.all([sts.keyLifecycle.runOnce(), replica.keyLifecycle.runOnce()]);
    expect(runs.flat().map((t) => [t.type, t.kid])).toEqual([['activate', rotation.kid]]);
    const active = (await sts.database.signingKeys.list('acme')).filter(
      (k) => k.status === 'active',
    );
    expect(active.map((k) => k.kid)).toEqual([rotation.kid]);
    const { items } = await sts.database.adminActions.list('acme', { limit: 20 });
    expect(items.filter((a) => a.action === 'key.activate')).toHaveLength(1);
    await sts.app.registry.reload();
    expect(decodeHeader(await issued()).kid).toBe(rotation.kid);
  });
});
