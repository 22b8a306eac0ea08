/**
 * /readyz reflects what serving needs: 200 `{"status":"ready"}` when the database answers and
 * every loaded tenant has a usable active signing key; else 503 naming the failing checks
 * (`database`, `signing_keys`, `tenants`) and nothing else. Each test runs its own STS.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deriveKeys, loadOrCreateMasterKey, sealedKeyPair } from '@sts/crypto';
import { databaseLocation, openDatabase } from '@sts/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { get, post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { keyTestTenant } from './helpers/key-tenant';
import { captureLog } from './helpers/log';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
/** The test STS polls config_version every 200 ms: a change applies well within this. */
const WITHIN_MS = 3000;

const running: TestSts[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sts) => sts.stop()));
});

async function start(
  idp: TestIdp,
  options: { masterKey?: string; log?: ReturnType<typeof captureLog>['log'] } = {},
): Promise<TestSts> {
  const sts = await startTestSts(
    { tenants: [keyTestTenant(idp, SECRET, ORDERS)] },
    options.masterKey ? { STS_MASTER_KEY: options.masterKey } : {},
    { keyLifecycleTimer: false, log: options.log },
  );
  running.push(sts);
  return sts;
}

const readyz = (sts: TestSts): Promise<Reply> => get(`${sts.url}/readyz`);

async function exchange(sts: TestSts, idp: TestIdp): Promise<Reply> {
  return post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint({ scope: 'orders:read' }),
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic: ['gateway', SECRET] },
  );
}

describe('/readyz', () => {
  it('answers 200 when the database answers and the tenants have their keys', async () => {
    const sts = await start(await TestIdp.create());
    const res = await readyz(sts);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('answers 503 naming `database` once the database is closed', async () => {
    // (Its timers' failures to read the closed database are logged: not the subject here.)
    const sts = await start(await TestIdp.create(), { log: captureLog('silent').log });
    await sts.database.close();
    const res = await readyz(sts);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not ready', failing: ['database'] });
  });

  it('answers 503 naming `signing_keys` while a tenant’s active key cannot be opened, and 200 once a good key signs', async () => {
    const idp = await TestIdp.create();
    const masterKey = randomBytes(32).toString('base64');
    const captured = captureLog('error');
    const sts = await start(idp, { masterKey, log: captured.log });
    expect((await readyz(sts)).status).toBe(200);

    // A second connection, as the console has, rotates in keys with no pre-publication delay:
    // first one sealed under another master key (a restored backup of another installation,
    // say), which this STS cannot open once it becomes active.
    const consoleDb = await openDatabase(
      databaseLocation({ databaseUrl: sts.databaseUrl }, sts.dir),
    );
    try {
      const stranger = deriveKeys(createSecretKey(randomBytes(32))).keyEncryptionKey;
      const bad = await consoleDb.signingKeys.rotate(
        'acme',
        (alg) => sealedKeyPair(stranger, 'signing_keys', 'acme', alg),
        { prepublishMs: 0 },
      );
      await sts.keyLifecycle.runOnce();
      await vi.waitFor(
        async () =>
          expect((await readyz(sts)).body).toEqual({
            status: 'not ready',
            failing: ['signing_keys'],
          }),
        { timeout: WITHIN_MS, interval: 25 },
      );
      expect((await readyz(sts)).status).toBe(503);
      expect(captured.lines()).toContainEqual(
        expect.objectContaining({
          level: 'error',
          msg: 'signing key cannot be opened',
          tenant: 'acme',
          kid: bad.kid,
        }),
      );
      // The tenant keeps the key ring it had: exchanges are still signed, by the previous key.
      const during = await exchange(sts, idp);
      expect(during.status, during.text).toBe(200);

      // The remedy: rotate again, with a key this STS can open.
      const { keyEncryptionKey } = deriveKeys(loadOrCreateMasterKey(sts.dir, masterKey));
      await consoleDb.signingKeys.rotate(
        'acme',
        (alg) => sealedKeyPair(keyEncryptionKey, 'signing_keys', 'acme', alg),
        { prepublishMs: 0 },
      );
      await sts.keyLifecycle.runOnce();
      await vi.waitFor(async () => expect((await readyz(sts)).status).toBe(200), {
        timeout: WITHIN_MS,
        interval: 25,
      });
      expect((await readyz(sts)).body).toEqual({ status: 'ready' });
      expect((await exchange(sts, idp)).status).toBe(200);
    } finally {
      await consoleDb.close();
    }
  });
});
