/**
 * The production start: the compiled entry (`node dist/main.js`, built by `pnpm build`) as a
 * real process, without a TypeScript loader (decision 0018), and its supervisor with
 * STS_WORKERS=2 (decision 0019): connections spread over both workers, a killed worker is
 * replaced, concurrent writers to one SQLite file never fail as busy, and SIGTERM lets an
 * in-flight request finish before the exit. Every spawn is bounded in time and killed by its pid.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { storedRows } from '@sts/db/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompiled, childPids, startCompiled as start, until } from './helpers/compiled';
import { post } from './helpers/http';
import { IDP_AUDIENCE, TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, TOKEN_EXCHANGE } from './helpers/sts';

const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef0123456789';
const GATEWAY: [string, string] = ['gateway', GATEWAY_SECRET];

let idp: TestIdp;
/** The IdP's JWKS; answers are held while `holdJwks` is set, and `jwksWaiting` counts them. */
let jwksServer: Server;
let jwksUri: string;
let holdJwks: Promise<void> | undefined;
let jwksWaiting = 0;

beforeAll(async () => {
  // The compiled entry under test is the current source's: building takes well under a second.
  buildCompiled();
  idp = await TestIdp.create();
  jwksServer = createServer(async (_req, res) => {
    jwksWaiting++;
    await holdJwks;
    jwksWaiting--;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(idp.jwks));
  });
  await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
});

afterAll(async () => {
  await new Promise((ok) => jwksServer?.close(ok));
});

const config = () => ({
  tenants: [
    {
      id: 'acme',
      displayName: 'Acme',
      clients: [
        { clientId: 'gateway', authMethod: 'client_secret_basic', secretEnv: 'GATEWAY_SECRET' },
      ],
      trustedIssuers: [
        { issuer: idp.issuer, jwksUri, algorithms: ['ES256'], audiences: [IDP_AUDIENCE] },
      ],
      rules: [
        {
          id: 'gw',
          clients: ['gateway'],
          subjectIssuers: [idp.issuer],
          mode: 'delegation',
          actors: ['client'],
          audiences: ['https://orders.example.test'],
        },
      ],
    },
  ],
});

/** The compiled STS on a fresh database, with this file's configuration. */
const startCompiled = (env: Record<string, string>) =>
  start({
    config: config(),
    env: { STS_MASTER_KEY: randomBytes(32).toString('base64'), GATEWAY_SECRET, ...env },
  });

async function exchange(url: string, timeoutMs = 10_000) {
  return post(
    `${url}/t/acme/token`,
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint(),
      subject_token_type: ACCESS_TOKEN,
      audience: 'https://orders.example.test',
    },
    // A new connection for each request: the supervisor spreads connections, not requests.
    { basic: GATEWAY, headers: { connection: 'close' }, signal: AbortSignal.timeout(timeoutMs) },
  );
}

describe('the compiled entry (node dist/main.js)', () => {
  it('performs a token exchange with no TypeScript loader in the process', async () => {
    const sts = await startCompiled({ STS_WORKERS: '1' });
    try {
      const pid = sts.child.pid as number;
      // What the process was started with: node and the compiled file, no --import/--loader.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv).toEqual([process.execPath, 'dist/main.js']);
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ.filter((v) => v.startsWith('NODE_OPTIONS='))).toEqual([]);
      // One process: no supervisor, no workers.
      expect(childPids(pid)).toEqual([]);

      const reply = await exchange(sts.url);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toMatchObject({
        token_type: 'Bearer',
        issued_token_type: ACCESS_TOKEN,
      });
      expect(typeof reply.body.access_token).toBe('string');
      expect((await fetch(`${sts.url}/readyz`)).status).toBe(200);
    } finally {
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
    }
  });
});

describe('STS_WORKERS=2', () => {
  it('serves from both workers; concurrent audit writes to one SQLite file never fail as busy', async () => {
    const sts = await startCompiled({ STS_WORKERS: '2', STS_DEBUG_WORKER_HEADER: 'true' });
    try {
      const workers = childPids(sts.child.pid as number);
      expect(workers).toHaveLength(2);
      const replies = await Promise.all(Array.from({ length: 80 }, () => exchange(sts.url)));
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      const answeredBy = new Set(replies.map((r) => Number(r.headers.get('x-sts-worker'))));
      expect([...answeredBy].sort()).toEqual([...workers].sort());
      // Every token has its audit record, written by one worker or the other.
      const audited = new Set(
        (await storedRows(sts.databaseUrl, 'audit_events')).map((row) => row.jti),
      );
      const issued = replies.map((r) => decodeJwt(r.body.access_token as string).jti);
      expect(issued.filter((jti) => !audited.has(jti))).toEqual([]);
    } finally {
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
    }
  });

  it('serves the metrics of both workers, summed, from the supervisor', async () => {
    const sts = await startCompiled({
      STS_WORKERS: '2',
      STS_DEBUG_WORKER_HEADER: 'true',
      STS_METRICS_PORT: '0',
    });
    try {
      const workers = childPids(sts.child.pid as number);
      expect(sts.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const replies = await Promise.all(Array.from({ length: 30 }, () => exchange(sts.url)));
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      // Both workers answered some: a sum of one worker's counters would fall short.
      const answeredBy = new Set(replies.map((r) => Number(r.headers.get('x-sts-worker'))));
      expect([...answeredBy].sort()).toEqual([...workers].sort());

      const res = await fetch(`${sts.metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(
        'sts_token_exchanges_total{tenant="acme",client="gateway",rule="gw",outcome="granted"} 30',
      );
      expect(text).toContain(
        'sts_http_request_duration_seconds_count{route="token",status="200"} 30',
      );
      // Both workers loaded the same key: its age once, not twice.
      expect(
        text.match(/^sts_signing_key_age_seconds\{tenant="acme",status="active"/gm),
      ).toHaveLength(1);
    } finally {
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
    }
  });

  it('replaces a killed worker and keeps serving', async () => {
    const sts = await startCompiled({ STS_WORKERS: '2', STS_DEBUG_WORKER_HEADER: 'true' });
    try {
      const pid = sts.child.pid as number;
      const [victim, survivor] = childPids(pid) as [number, number];
      process.kill(victim, 'SIGKILL');
      await until(() =>
        sts.stdout().includes(`STS worker ${victim} exited (SIGKILL); starting another`),
      );
      // Requests while the replacement starts are answered by the other worker. (A connection
      // handed to the victim in the instant before the supervisor saw it die is lost with it:
      // node:cluster cannot take it back; clients retry such a connection after their timeout.)
      const during = await Promise.all(Array.from({ length: 10 }, () => exchange(sts.url)));
      expect(during.map((r) => r.status)).toEqual(during.map(() => 200));
      await until(() => childPids(pid).length === 2 && !childPids(pid).includes(victim));
      const replacement = childPids(pid).find((p) => p !== survivor) as number;
      // The replacement takes connections once it listens.
      await until(async () => {
        const reply = await exchange(sts.url);
        expect(reply.status).toBe(200);
        return Number(reply.headers.get('x-sts-worker')) === replacement;
      });
    } finally {
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
    }
  });

  it('kill -9 of a worker under concurrent load: every token a client received is audited', async () => {
    const sts = await startCompiled({ STS_WORKERS: '2' });
    const received: string[] = [];
    let failed = 0;
    let running = true;
    const client = async () => {
      while (running) {
        try {
          // A connection handed to the worker as it died is never answered: give up soon.
          const reply = await exchange(sts.url, 1000);
          if (reply.status === 200)
            received.push(decodeJwt(reply.body.access_token as string).jti as string);
          else failed++;
        } catch {
          failed++; // the connection died with the worker
        }
      }
    };
    try {
      const clients = Array.from({ length: 8 }, client);
      await until(() => received.length >= 40);
      const [victim] = childPids(sts.child.pid as number) as [number];
      process.kill(victim, 'SIGKILL');
      const atKill = received.length;
      await until(() => received.length >= atKill + 40);
      running = false;
      await Promise.all(clients);

      const audited = new Set(
        (await storedRows(sts.databaseUrl, 'audit_events')).map((row) => row.jti),
      );
      const missing = received.filter((jti) => !audited.has(jti));
      expect({ received: received.length, missing }).toEqual({
        received: received.length,
        missing: [],
      });
      expect(failed).toBeLessThan(received.length);
    } finally {
      running = false;
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
    }
  });

  it('on SIGTERM, finishes an in-flight request (a slow JWKS fetch) before exiting', async () => {
    const sts = await startCompiled({ STS_WORKERS: '2' });
    let release = () => {};
    holdJwks = new Promise((ok) => {
      release = ok;
    });
    try {
      const inFlight = exchange(sts.url);
      await until(() => jwksWaiting > 0);
      sts.child.kill('SIGTERM');
      let exitedEarly = false;
      void sts.exited.then(() => {
        exitedEarly = true;
      });
      // The supervisor waits for the worker that holds the request.
      await new Promise((ok) => setTimeout(ok, 300));
      expect(exitedEarly).toBe(false);
      release();
      const reply = await inFlight;
      expect(reply.status).toBe(200);
      expect(typeof reply.body.access_token).toBe('string');
      const exit = await sts.exited;
      expect(exit.code).toBe(0);
      // Stopped accepting: nothing listens any more.
      await expect(fetch(`${sts.url}/healthz`)).rejects.toThrow();
    } finally {
      release();
      holdJwks = undefined;
      await sts.stop();
    }
  });
});
