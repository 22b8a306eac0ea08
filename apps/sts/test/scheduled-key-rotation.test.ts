/**
 * Scheduled signing key rotation (a tenant's `keyRotationDays`, decision 0020) through the real
 * STS and database, with a manual clock: when the active key has signed for the period, the
 * lifecycle makes a new key, pending for the pre-publication delay exactly like "Rotate now"; it
 * is in the JWKS before it signs, tokens of the old key keep verifying, and two STS processes at
 * the due time rotate once. Recorded as key.rotate of "system".
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './helpers/clock';
import { decodeHeader, get, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { keyTestTenant } from './helpers/key-tenant';
import { ACCESS_TOKEN, startTestSts, TOKEN_EXCHANGE } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const PREPUBLISH_MS = 120_000;
const DAY_MS = 86_400_000;
const ROTATION_DAYS = 30;

const config = (idp: TestIdp, keyRotationDays?: number) => ({
  tenants: [{ ...keyTestTenant(idp, SECRET, ORDERS), keyRotationDays }],
});
const env = {
  STS_KEY_PREPUBLISH_SECONDS: String(PREPUBLISH_MS / 1000),
  STS_CLOCK_SKEW_SECONDS: '30',
  STS_MASTER_KEY: MASTER_KEY,
  // Nothing moves keys behind the test's back: it runs the lifecycle itself.
  STS_CONFIG_POLL_MS: '60000',
};

const started: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function setup(keyRotationDays?: number) {
  const clock = manualClock();
  const idp = await TestIdp.create();
  started.push({ stop: () => idp.close() });
  const sts = await startTestSts(config(idp, keyRotationDays), env, {
    clock: clock.now,
    keyLifecycleTimer: false,
  });
  started.push(sts);
  /** A token issued by the STS now (by its clock). */
  const issued = async () => {
    const iat = Math.floor(clock.now() / 1000);
    const subject = await idp.mint({ scope: 'orders:read', iat, exp: iat + 600 });
    const res = await post(
      sts.token('acme'),
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN,
        audience: ORDERS,
      },
      { basic: ['gateway', SECRET] },
    );
    expect(res.status, res.text).toBe(200);
    return res.body.access_token as string;
  };
  const introspect = async (token: string) =>
    (await post(`${sts.url}/t/acme/introspect`, { token }, { basic: ['gateway', SECRET] })).body;
  const jwksKids = async () =>
    ((await get(`${sts.url}/t/acme/jwks.json`)).body.keys as { kid: string }[])
      .map((k) => k.kid)
      .sort();
  return { clock, idp, sts, issued, introspect, jwksKids };
}

describe('scheduled signing key rotation', () => {
  it('rotates after keyRotationDays: the new kid is published before it signs, old tokens still verify', async () => {
    const { clock, sts, issued, introspect, jwksKids } = await setup(ROTATION_DAYS);
    const oldKid = decodeHeader(await issued()).kid as string;
    const activatedAt = clock.now();

    clock.advance(ROTATION_DAYS * DAY_MS - 1000);
    expect(await sts.keyLifecycle.runOnce()).toEqual([]);
    expect(await jwksKids()).toEqual([oldKid]);

    clock.advance(1000);
    const transitions = await sts.keyLifecycle.runOnce();
    expect(transitions).toEqual([
      { type: 'rotate', previousKid: oldKid, dueAt: expect.any(Number), kid: expect.any(String) },
    ]);
    // Dated from the key's activation (within the second the test took to issue a token).
    expect(
      Math.abs(
        (transitions[0] as { dueAt: number }).dueAt - (activatedAt + ROTATION_DAYS * DAY_MS),
      ),
    ).toBeLessThan(5000);
    const pending = (await sts.database.signingKeys.list('acme')).find(
      (k) => k.status === 'pending',
    );
    expect(pending?.activatesAt).toEqual(new Date(clock.now() + PREPUBLISH_MS));
    const newKid = pending?.kid as string;
    // Published at once, while the old key still signs…
    expect(await jwksKids()).toEqual([oldKid, newKid].sort());
    const lastOld = await issued();
    expect(decodeHeader(lastOld).kid).toBe(oldKid);
    // …and one rotation only: the next runs find the pending key.
    expect(await sts.keyLifecycle.runOnce()).toEqual([]);

    clock.advance(PREPUBLISH_MS);
    expect((await sts.keyLifecycle.runOnce()).map((t) => t.type)).toEqual(['activate']);
    expect(decodeHeader(await issued()).kid).toBe(newKid);
    expect(await introspect(lastOld)).toMatchObject({ active: true });

    const { items } = await sts.database.adminActions.list('acme', { limit: 10 });
    const rotate = items.find((a) => a.action === 'key.rotate');
    expect(rotate).toMatchObject({
      actorEmail: 'system',
      target: newKid,
      details: { scheduled: true, previousKid: oldKid, alg: 'ES256' },
    });

    // The period counts again from the new key's activation.
    clock.advance(ROTATION_DAYS * DAY_MS - PREPUBLISH_MS);
    expect((await sts.keyLifecycle.runOnce()).map((t) => t.type)).not.toContain('rotate');
  });

  it('never rotates a tenant without keyRotationDays', async () => {
    const { clock, sts, issued } = await setup();
    const kid = decodeHeader(await issued()).kid;
    clock.advance(3650 * DAY_MS);
    expect(await sts.keyLifecycle.runOnce()).toEqual([]);
    expect((await sts.database.signingKeys.list('acme')).map((k) => k.status)).toEqual(['active']);
    expect(decodeHeader(await issued()).kid).toBe(kid);
  });

  it('two STS processes at the due time rotate once', async () => {
    const { clock, idp, sts } = await setup(ROTATION_DAYS);
    const replica = await startTestSts(
      config(idp, ROTATION_DAYS),
      { ...env, STS_DATABASE_URL: sts.databaseUrl, STS_DATA_DIR: sts.dir },
      { clock: clock.now, keyLifecycleTimer: false },
    );
    started.push(replica);

    clock.advance(ROTATION_DAYS * DAY_MS);
    const runs = await Promise.all([sts.keyLifecycle.runOnce(), replica.keyLifecycle.runOnce()]);
    expect(runs.flat().map((t) => t.type)).toEqual(['rotate']);
    const keys = await sts.database.signingKeys.list('acme');
    expect(keys.map((k) => k.status).sort()).toEqual(['active', 'pending']);
    const { items } = await sts.database.adminActions.list('acme', { limit: 20 });
    expect(items.filter((a) => a.action === 'key.rotate')).toHaveLength(1);
  });
});
