/**
 * Configuration changes reach a running STS at its next poll (docs/decisions/0007): another
 * writer (the console, another replica's start) applies a changed file to the same database
 * through its own connection, bumping `config_version`; the STS, polling every
 * STS_CONFIG_POLL_MS, reloads its in-memory tenants. A reload that fails keeps the previous
 * configuration in force. Every test starts from the same configuration, in force (beforeEach),
 * so the tests pass alone and in any order; they wait for a change by polling with a deadline,
 * not by timing a window.
 */
import { randomBytes } from 'node:crypto';
import { type ConfigFile, ConfigFileSchema } from '@sts/core';
import { deriveKeys, hashClientSecret, loadOrCreateMasterKey } from '@sts/crypto';
import { type Database, databaseLocation, openDatabase } from '@sts/db';
import { execSql } from '@sts/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientSecretResolver } from '../src/config-file';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { type CapturedLog, captureLog } from './helpers/log';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { EXCHANGE_REFUSED } from './token-assertions';

const MASTER_KEY = randomBytes(32).toString('base64');
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const NEW_SECRET = 'rotated-secret-0123456789abcdef0123456789';
const AUDIENCE = 'https://orders.example.test';
const POLL_MS = 200;
/** How long a test waits for the STS to notice a change: many polls, so a busy machine passes. */
const DEADLINE_MS = 10_000;

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

/** The STS's error lines (a failed reload is logged). */
let captured: CapturedLog;

beforeAll(async () => {
  idp = await TestIdp.create();
  captured = captureLog('error');
  sts = await startTestSts(
    config({ rules: [rule()] }),
    { STS_MASTER_KEY: MASTER_KEY, STS_CONFIG_POLL_MS: String(POLL_MS) },
    { log: captured.log },
  );
  writer = await openDatabase(databaseLocation({ databaseUrl: sts.databaseUrl }, sts.dir));
});

afterAll(async () => {
  await writer?.close();
  await sts?.stop();
});

/** The starting configuration, in force, whatever the previous test changed or broke. */
beforeEach(async () => {
  await write(config({ rules: [rule()] }));
  await until(exchange, (r) => r.status === 200);
});

/**
 * Applies a configuration the way the STS's start does (validated, secrets hashed with its
 * pepper); true when anything changed (then the version moved).
 */
async function write(input: { tenants: unknown[] }): Promise<boolean> {
  const parsed: ConfigFile = ConfigFileSchema.parse(input);
  const { clientSecretPepper } = deriveKeys(loadOrCreateMasterKey(sts.dir, MASTER_KEY));
  const resolveSecret = clientSecretResolver({});
  const applied = await writer.config.applyFile(parsed, (client) =>
    hashClientSecret(clientSecretPepper, resolveSecret(client)),
  );
  return applied.changed;
}

/** Applies a configuration that differs from the one stored. */
async function apply(input: { tenants: unknown[] }): Promise<void> {
  const before = await writer.config.version();
  expect(await write(input)).toBe(true);
  expect(await writer.config.version()).toBeGreaterThan(before);
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

/** Polls until `done(reply)`; fails after DEADLINE_MS with the last reply. */
async function until(attempt: () => Promise<Reply>, done: (r: Reply) => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const reply = await attempt();
    if (done(reply)) return;
    if (Date.now() > deadline)
      expect.unreachable(
        `not applied after ${DEADLINE_MS} ms (last: ${reply.status} ${reply.text})`,
      );
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

describe('configuration reload', () => {
  it('a removed rule stops exchanges, and restoring it allows them again', async () => {
    const granted = await exchange();
    expect(granted.status, granted.text).toBe(200);

    await apply(config({ rules: [] }));
    await until(exchange, (r) => r.status !== 200);
    const refused = await exchange();
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: 'invalid_request',
      error_description: 'The subject_token or actor_token is not acceptable for this exchange',
    });
    expect(refused.headers.get('cache-control')).toBe('no-store');

    await apply(config({ rules: [rule()] }));
    await until(exchange, (r) => r.status === 200);
  });

  it('a changed client secret takes over', async () => {
    expect((await exchange(SECRET)).status).toBe(200);

    await apply(config({ rules: [rule()], secret: NEW_SECRET }));
    await until(
      () => exchange(NEW_SECRET),
      (r) => r.status === 200,
    );
    const old = await exchange(SECRET);
    expect(old.status).toBe(401);
    expect(old.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });
});

describe('a reload that fails', () => {
  it('keeps the previous configuration in force, and the next good change applies', async () => {
    const failedReloads = () =>
      captured
        .lines()
        .filter(
          (l) =>
            l.msg === 'configuration reload failed (the previous configuration stays in force)',
        ).length;
    const failedBefore = failedReloads();
    // A rule the STS cannot load (not valid JSON), stored as a faulty writer would, with the
    // version bumped so that every STS process reloads.
    await execSql(
      sts.databaseUrl,
      `UPDATE "rules" SET "definition" = '{"id": "gw", ' WHERE "rule_id" = 'gw';
       UPDATE "config_version" SET "version" = "version" + 1 WHERE "id" = 1;`,
    );
    await vi.waitFor(() => expect(failedReloads()).toBeGreaterThan(failedBefore), {
      timeout: DEADLINE_MS,
      interval: 25,
    });

    // The rule as it was before the broken write still decides.
    const reply = await exchange();
    expect(reply.status, reply.text).toBe(200);

    // A valid change still reaches the STS afterwards: here, no rule at all.
    await apply(config({ rules: [] }));
    await until(exchange, (r) => r.status === 400);
    expect((await exchange()).body).toEqual({
      error: 'invalid_request',
      error_description: EXCHANGE_REFUSED,
    });
  });
});
