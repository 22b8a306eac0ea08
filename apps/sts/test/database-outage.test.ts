/**
 * The database goes away under load and comes back (docs/deployment.md): PostgreSQL is stopped
 * mid-load. The token endpoint answers 503 temporarily_unavailable with Retry-After, issues no
 * token without its audit record, and the process stays up; once PostgreSQL is back, the STS
 * serves again without a restart. The server is this test's own (it is stopped and started
 * again), so it runs in the PostgreSQL pass of the test command only.
 */
import { randomBytes } from 'node:crypto';
import { storedRows, testDialect } from '@sts/db/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresCluster, startPostgres } from '../../../scripts/postgres-cluster.mjs';
import { buildCompiled, type RunningCompiled, startCompiled, until } from './helpers/compiled';
import { post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';

let cluster: PostgresCluster;
let idp: TestIdp;
let sts: RunningCompiled;

describe.runIf(testDialect === 'postgresql')('PostgreSQL stopped under load', () => {
  beforeAll(async () => {
    buildCompiled();
    idp = await TestIdp.create();
    cluster = await startPostgres();
    sts = await startCompiled({
      config: {
        tenants: [
          {
            id: 'acme',
            displayName: 'Acme',
            clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
            trustedIssuers: [idp.trusted()],
            rules: [
              {
                id: 'gw',
                clients: ['gateway'],
                subjectIssuers: [idp.issuer],
                mode: 'delegation',
                actors: ['client'],
                audiences: [ORDERS],
              },
            ],
          },
        ],
      },
      env: {
        STS_DATABASE_URL: cluster.url,
        STS_MASTER_KEY: randomBytes(32).toString('base64'),
        STS_WORKERS: '1',
      },
      timeoutMs: 90_000,
    });
  }, 60_000);

  afterAll(async () => {
    await sts?.stop();
    await cluster?.remove();
  });

  it('answers 503 with Retry-After, issues nothing unaudited, and recovers by itself', async () => {
    const received: string[] = [];
    const refusals: { status: number; error: unknown; retryAfter: string | null }[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        const reply = await post(
          `${sts.url}/t/acme/token`,
          {
            grant_type: TOKEN_EXCHANGE,
            subject_token: await idp.mint(),
            subject_token_type: ACCESS_TOKEN,
            audience: ORDERS,
          },
          { basic: ['gateway', SECRET], signal: AbortSignal.timeout(15_000) },
        );
        if (reply.status === 200)
          received.push(decodeJwt(reply.body.access_token as string).jti as string);
        else
          refusals.push({
            status: reply.status,
            error: reply.body.error,
            retryAfter: reply.headers.get('retry-after'),
          });
      }
    };
    const clients = Array.from({ length: 4 }, client);
    try {
      await until(() => received.length >= 20);
      await cluster.stop();
      await until(() => refusals.length >= 20, 20_000);
      // Down: every answer is a 503 that says when to come back; the process is alive and says
      // it is not ready.
      expect(new Set(refusals.map((r) => JSON.stringify(r)))).toEqual(
        new Set([
          JSON.stringify({ status: 503, error: 'temporarily_unavailable', retryAfter: '5' }),
        ]),
      );
      expect(sts.child.exitCode).toBeNull();
      expect((await fetch(`${sts.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${sts.url}/readyz`)).status).toBe(503);

      const beforeRestart = received.length;
      await cluster.start();
      // Back: served again, by the same process.
      await until(() => received.length >= beforeRestart + 20, 30_000);
      expect((await fetch(`${sts.url}/readyz`)).status).toBe(200);
    } finally {
      running = false;
      await Promise.all(clients);
    }

    const audited = new Set((await storedRows(cluster.url, 'audit_events')).map((r) => r.jti));
    expect(received.filter((jti) => !audited.has(jti))).toEqual([]);
    expect(sts.child.exitCode).toBeNull();
    expect((await sts.stop()).code).toBe(0);
  });
});
