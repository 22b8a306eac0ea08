/**
 * Several STS processes on one database behave as one service (docs/deployment.md). Each replica
 * is the compiled production start, as it runs behind a load balancer: the same STS_PUBLIC_URL
 * and master key, the test pass's database (one SQLite file shared by both processes, or
 * PostgreSQL). A console change reaches every replica within 2 s with the default poll, a client
 * assertion is refused by every replica after its first use, and every replica serves the same
 * JWKS and recognises the others' tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RuleConfig, RuleSchema } from '@sts/core';
import { deriveKeys, hashClientSecret, loadOrCreateMasterKey } from '@sts/crypto';
import { type AdminChange, type Database, databaseLocation, openDatabase } from '@sts/db';
import { createTestDatabase, type TestDatabase } from '@sts/db/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompiled, type RunningCompiled, startCompiled } from './helpers/compiled';
import { get, post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, TOKEN_EXCHANGE } from './helpers/sts';

const PUBLIC_URL = 'https://sts.example.test';
const ISSUER = `${PUBLIC_URL}/t/acme`;
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';
const BILLING = 'https://billing.example.test';
const MASTER_KEY = randomBytes(32).toString('base64');
const CHANGE: AdminChange = { actor: { id: null, email: 'test' }, action: 'rule.update' };

let dir: string;
let idp: TestIdp;
let agentKey: Awaited<ReturnType<typeof generateKeyPair>>;
let database: TestDatabase;
let db: Database;
let replicas: RunningCompiled[] = [];

const rule = (audiences: string[]): RuleConfig =>
  RuleSchema.parse({
    id: 'gw',
    clients: ['gateway', 'agent'],
    subjectIssuers: [idp.issuer],
    mode: 'delegation',
    actors: ['client'],
    audiences,
  });

beforeAll(async () => {
  buildCompiled();
  dir = mkdtempSync(join(tmpdir(), 'sts-replicas-'));
  idp = await TestIdp.create();
  agentKey = await generateKeyPair('ES256');
  database = await createTestDatabase(dir);
  db = await openDatabase(databaseLocation({ databaseUrl: database.url }, dir));
  // A console-managed tenant, made as the console makes it.
  const { clientSecretPepper } = deriveKeys(loadOrCreateMasterKey(undefined, MASTER_KEY));
  await db.tenants.create(
    { id: 'acme', displayName: 'Acme', accessTokenTtlSeconds: 600, signingAlg: 'ES256' },
    CHANGE,
  );
  await db.clients.create(
    'acme',
    {
      clientId: 'gateway',
      allowTokenExchange: true,
      allowIntrospection: true,
      credentials: {
        authMethod: 'client_secret_basic',
        secretHash: hashClientSecret(clientSecretPepper, SECRET),
      },
    },
    CHANGE,
  );
  await db.clients.create(
    'acme',
    {
      clientId: 'agent',
      allowTokenExchange: true,
      credentials: {
        authMethod: 'private_key_jwt',
        jwks: {
          keys: [
            { ...(await exportJWK(agentKey.publicKey)), kty: 'EC', kid: 'agent-1', alg: 'ES256' },
          ],
        },
      },
    },
    CHANGE,
  );
  await db.trustedIssuers.create('acme', idp.trusted() as never, CHANGE);
  await db.rules.create('acme', rule([ORDERS]), CHANGE);

  const env = {
    STS_DATABASE_URL: database.url,
    STS_MASTER_KEY: MASTER_KEY,
    STS_PUBLIC_URL: PUBLIC_URL,
    STS_WORKERS: '1',
  };
  replicas = await Promise.all([startCompiled({ env }), startCompiled({ env })]);
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await db?.close();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function exchange(replica: RunningCompiled, audience = ORDERS) {
  return post(
    `${replica.url}/t/acme/token`,
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint(),
      subject_token_type: ACCESS_TOKEN,
      audience,
    },
    { basic: ['gateway', SECRET] },
  );
}

/** Milliseconds until `check` holds for `replica`, polling every 25 ms (fails after 10 s). */
async function msUntil(check: () => Promise<boolean>, since: number): Promise<number> {
  while (!(await check())) {
    if (Date.now() - since > 10_000) throw new Error('the replica never saw the change');
    await new Promise((ok) => setTimeout(ok, 25));
  }
  return Date.now() - since;
}

describe('two STS processes on one database', () => {
  it('a console change reaches every replica within 2 s (default poll), and back', async () => {
    for (const replica of replicas) expect((await exchange(replica)).status).toBe(200);

    const changedAt = Date.now();
    await db.rules.update('acme', 'gw', rule([BILLING]), CHANGE);
    const seen = await Promise.all(
      replicas.map((replica) =>
        msUntil(async () => (await exchange(replica)).status === 400, changedAt),
      ),
    );
    for (const ms of seen) expect(ms).toBeLessThanOrEqual(2000);
    for (const replica of replicas) expect((await exchange(replica, BILLING)).status).toBe(200);

    const restoredAt = Date.now();
    await db.rules.update('acme', 'gw', rule([ORDERS]), CHANGE);
    const restored = await Promise.all(
      replicas.map((replica) =>
        msUntil(async () => (await exchange(replica)).status === 200, restoredAt),
      ),
    );
    for (const ms of restored) expect(ms).toBeLessThanOrEqual(2000);
  });

  it('a client assertion is refused by every replica after its first use', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'agent-1' })
      .setIssuer('agent')
      .setSubject('agent')
      .setAudience(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(agentKey.privateKey);
    const send = async (replica: RunningCompiled) =>
      post(`${replica.url}/t/acme/token`, {
        grant_type: TOKEN_EXCHANGE,
        subject_token: await idp.mint(),
        subject_token_type: ACCESS_TOKEN,
        audience: ORDERS,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
    const [first, second] = replicas as [RunningCompiled, RunningCompiled];
    const used = await send(first);
    expect(used.status, used.text).toBe(200);
    for (const replica of [second, first]) {
      const replayed = await send(replica);
      expect(replayed.status).toBe(401);
      expect(replayed.body).toEqual({
        error: 'invalid_client',
        error_description: 'Client authentication failed',
      });
    }
  });

  it("serves the same JWKS from every replica, and each recognises the others' tokens", async () => {
    const [first, second] = replicas as [RunningCompiled, RunningCompiled];
    const jwks = await Promise.all(replicas.map((r) => get(`${r.url}/t/acme/jwks.json`)));
    expect(jwks[0]?.body).toEqual(jwks[1]?.body);
    expect(jwks[0]?.body.keys).toHaveLength(1);

    const issued = await exchange(first);
    expect(issued.status, issued.text).toBe(200);
    // The second replica verifies the first one's token with the tenant's shared key (RFC 7662).
    const introspected = await post(
      `${second.url}/t/acme/introspect`,
      { token: issued.body.access_token as string },
      { basic: ['gateway', SECRET] },
    );
    expect(introspected.status).toBe(200);
    expect(introspected.body).toMatchObject({ active: true, iss: ISSUER, aud: ORDERS });
  });
});
