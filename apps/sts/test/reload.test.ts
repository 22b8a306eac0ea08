/**
 * Configuration changes reach a running STS within two seconds (docs/decisions/0007): another
 * writer (the console, another replica's start) applies a changed file to the same database
 * through its own connection, bumping `config_version`; the STS, polling at the default
 * STS_CONFIG_POLL_MS, reloads its in-memory tenants.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type ConfigFile, ConfigFileSchema } from '@sts/core';
import { deriveKeys, hashClientSecret, loadOrCreateMasterKey } from '@sts/crypto';
import { type Database, openDatabase } from '@sts/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretResolver } from '../src/config-file';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const NEW_SECRET = 'rotated-secret-0123456789abcdef0123456789';
const AUDIENCE = 'https://orders.example.test';
/** docs/decisions/0007: a change's delay stays under two seconds. */
const WITHIN_MS = 2000;

let idp: TestIdp;
let sts: TestSts;
/** A second connection to the STS's database, as the console or another replica has. */
let writer: Database;

const rule = () => ({
  id: 'gw',
  clients: ['gateway'],
  subjectIssuers: [idp.issuer],
  mode: 'delegation',
  actors: ['client'],
  audiences: [AUDIENCE],
  scopes: ['orders:read'],
});

const config = (options: { rules: unknown[]; secret?: string }) => ({
  tenants: [
    {
      id: 'acme',
      displayName: 'Acme',
      clients: [
        {
          clientId: 'gateway',
          authMethod: 'client_secret_basic',
          secret: options.secret ?? SECRET,
        },
      ],
      trustedIssuers: [idp.trusted()],
      rules: options.rules,
    },
  ],
});

beforeAll(async () => {
  idp = await TestIdp.create();
  sts = await startTestSts(config({ rules: [rule()] }), {
    STS_MASTER_KEY: MASTER_KEY,
    STS_CONFIG_POLL_MS: '1000',
  });
  writer = await openDatabase(join(sts.dir, 'sts.db'));
});

afterAll(async () => {
  await writer?.close();
  await sts?.stop();
});

/** Applies a configuration the way the STS's start does: validated, secrets hashed with its pepper. */
async function apply(input: { tenants: unknown[] }): Promise<number> {
  const parsed: ConfigFile = ConfigFileSchema.parse(input);
  const { clientSecretPepper } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
  const resolveSecret = clientSecretResolver({});
  const before = writer.config.version();
  expect(
    writer.config.applyFile(parsed, (client) =>
      hashClientSecret(clientSecretPepper, resolveSecret(client)),
    ),
  ).toBe(true);
  expect(writer.config.version()).toBeGreaterThan(before);
  return Date.now();
}

async function exchange(secret = SECRET): Promise<Reply> {
  return post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint({ scope: 'orders:read' }),
      subject_token_type: ACCESS_TOKEN,
      audience: AUDIENCE,
    },
    { basic: ['gateway', secret] },
  );
}

/** Polls until `done(reply)`; returns how long it took, or fails after WITHIN_MS (+ margin). */
async function until(since: number, attempt: () => Promise<Reply>, done: (r: Reply) => boolean) {
  for (;;) {
    const reply = await attempt();
    const elapsed = Date.now() - since;
    if (done(reply)) return elapsed;
    if (elapsed > WITHIN_MS + 1000)
      expect.unreachable(`not applied after ${elapsed} ms (last: ${reply.status} ${reply.text})`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

describe('configuration reload', () => {
  it('a removed rule stops exchanges within 2 s, and restoring it allows them again', async () => {
    const granted = await exchange();
    expect(granted.status, granted.text).toBe(200);

    const removedAt = await apply(config({ rules: [] }));
    const refusedAfter = await until(removedAt, exchange, (r) => r.status !== 200);
    expect(refusedAfter).toBeLessThan(WITHIN_MS);
    const refused = await exchange();
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: 'invalid_request',
      error_description: 'The subject_token or actor_token is not acceptable for this exchange',
    });
    expect(refused.headers.get('cache-control')).toBe('no-store');

    const restoredAt = await apply(config({ rules: [rule()] }));
    const grantedAfter = await until(restoredAt, exchange, (r) => r.status === 200);
    expect(grantedAfter).toBeLessThan(WITHIN_MS);
  });

  it('a changed client secret takes over within 2 s', async () => {
    expect((await exchange(SECRET)).status).toBe(200);

    const changedAt = await apply(config({ rules: [rule()], secret: NEW_SECRET }));
    const after = await until(
      changedAt,
      () => exchange(NEW_SECRET),
      (r) => r.status === 200,
    );
    expect(after).toBeLessThan(WITHIN_MS);
    const old = await exchange(SECRET);
    expect(old.status).toBe(401);
    expect(old.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });
});
