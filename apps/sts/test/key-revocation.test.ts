/**
 * Revoking a signing key (the console's "Revoke", a key.revoke admin action on the shared
 * database): once the STS reloads, the key is out of the tenant's JWKS and verifies nothing —
 * a token it signed is inactive at introspection and refused as a subject token. Rotation alone
 * keeps the old key verifying (the control).
 */
import { randomBytes } from 'node:crypto';
import { deriveKeys, loadOrCreateMasterKey, sealedKeyPair } from '@sts/crypto';
import { type Database, databaseLocation, openDatabase } from '@sts/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { keyTestTenant } from './helpers/key-tenant';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { expectOAuthError, SUBJECT_TOKEN_INVALID } from './token-assertions';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
/** The test STS polls config_version every 200 ms: a change applies well within this. */
const WITHIN_MS = 3000;

let idp: TestIdp;
let sts: TestSts;
/** A second connection to the STS's database, as the console has. */
let consoleDb: Database;

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts(
    { tenants: [keyTestTenant(idp, SECRET, ORDERS)] },
    { STS_MASTER_KEY: MASTER_KEY },
  );
  consoleDb = await openDatabase(databaseLocation({ databaseUrl: sts.databaseUrl }, sts.dir));
});

afterAll(async () => {
  await consoleDb?.close();
  await sts?.stop();
});

const owner = { id: 'owner-1', email: 'owner@example.test' };
const introspectUrl = () => `${sts.url}/t/acme/introspect`;

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

async function issued(): Promise<string> {
  const res = await exchange(await idp.mint({ scope: 'orders:read' }));
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}

const jwksKids = async () => {
  const res = await get(`${sts.url}/t/acme/jwks.json`);
  expect(res.status).toBe(200);
  return (res.body.keys as { kid: string }[]).map((k) => k.kid);
};

/**
 * What the console's "Rotate now" does, with no pre-publication delay (key-lifecycle.test.ts
 * covers it), then the STS's key lifecycle: the new key signs, the old one starts retiring.
 */
async function rotate() {
  const { keyEncryptionKey } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
  const rotation = await consoleDb.signingKeys.rotate(
    'acme',
    (alg) => sealedKeyPair(keyEncryptionKey, 'signing_keys', 'acme', alg),
    { prepublishMs: 0 },
  );
  await sts.keyLifecycle.runOnce();
  return rotation;
}

/** Polls until `done()`, failing after WITHIN_MS. */
async function until(done: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + WITHIN_MS;
  while (!(await done())) {
    if (Date.now() > deadline) expect.unreachable(`${what}: not applied within ${WITHIN_MS} ms`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

describe('revoking a signing key', () => {
  it('takes it out of the JWKS, introspection and re-exchange at once; rotation alone does not', async () => {
    const token = await issued();
    const kid = decodeHeader(token).kid as string;

    // Rotation: a new key signs; the old one still verifies what it signed.
    const rotation = await rotate();
    expect(rotation.previousKid).toBe(kid);
    await until(async () => (await jwksKids()).includes(rotation.kid), 'rotation');
    expect(await jwksKids()).toContain(kid);
    const stillActive = await post(introspectUrl(), { token }, { basic: ['gateway', SECRET] });
    expect(stillActive.body).toMatchObject({ active: true, sub: 'alice' });
    const reExchanged = await exchange(token);
    expect(reExchanged.status, reExchanged.text).toBe(200);

    // Revocation, as the console records it.
    const revocation = await consoleDb.signingKeys.revoke('acme', kid, (r) => ({
      actor: owner,
      action: 'key.revoke',
      tenantId: 'acme',
      target: r.kid,
      details: { alg: r.alg, previousStatus: r.previousStatus },
    }));
    expect(revocation).toEqual({ kid, alg: 'ES256', previousStatus: 'retiring' });
    await until(async () => !(await jwksKids()).includes(kid), 'revocation');
    expect(await jwksKids()).toEqual([rotation.kid]);

    const introspected = await post(introspectUrl(), { token }, { basic: ['gateway', SECRET] });
    expect(introspected.status, introspected.text).toBe(200);
    expect(introspected.body).toEqual({ active: false });

    const refused = await exchange(token);
    expectOAuthError(
      refused,
      { status: 400, error: 'invalid_request', error_description: SUBJECT_TOKEN_INVALID },
      [token],
    );
    const [event] = await sts.auditEvents('acme');
    expect(event).toMatchObject({ decision: 'denied', reason: 'subject_token.keys' });

    // The new key's tokens are unaffected.
    const fresh = await issued();
    expect(decodeHeader(fresh).kid).toBe(rotation.kid);
    const freshIntrospected = await post(
      introspectUrl(),
      { token: fresh },
      { basic: ['gateway', SECRET] },
    );
    expect(freshIntrospected.body).toMatchObject({ active: true });
  });
});
