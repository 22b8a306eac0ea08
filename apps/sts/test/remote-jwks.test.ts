import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthError } from '@sts/core';
import { describeJwksError, RemoteJwks } from '@sts/core/remote-jwks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestIdp } from './helpers/idp';

let idp: TestIdp;
let uri: string;
let server: Server;
let base: string;
/** Bodies served by the second server, by path. */
const routes: Record<string, { status: number; body: string; headers?: Record<string, string> }> =
  {};

beforeAll(async () => {
  idp = await TestIdp.create();
  uri = await idp.serveJwks();
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''] ?? { status: 404, body: '' };
    res.writeHead(route.status, route.headers).end(route.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
// A test that fails half-way must not leave the issuer down for the next one; fetch counts are
// read as differences within each test, so the tests pass alone and in any order.
afterEach(() => {
  idp.jwksStatus = undefined;
});

afterAll(async () => {
  await idp.close();
  await new Promise((ok) => server.close(ok));
});

const header = { alg: 'ES256', kid: 'es-1' };

async function unavailable(promise: Promise<unknown>): Promise<OAuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthError);
  expect((err as OAuthError).error).toBe('temporarily_unavailable');
  return err as OAuthError;
}

describe('RemoteJwks', () => {
  it('fetches once and serves keys from the cache', async () => {
    const jwks = new RemoteJwks({ allowLoopbackHttp: true });
    const before = idp.jwksRequests;
    expect(await jwks.key(uri, header)).toBeDefined();
    expect(await jwks.key(uri, header)).toBeDefined();
    expect(idp.jwksRequests - before).toBe(1);
  });

  it('tells onFetch once per fetch, however many requests wait for it, with its outcome', async () => {
    let now = 3_000_000;
    const fetches: [string, boolean][] = [];
    const jwks = new RemoteJwks({
      allowLoopbackHttp: true,
      clock: () => now,
      log: () => {},
      onFetch: (fetched, ok) => fetches.push([fetched, ok]),
    });
    await Promise.all([jwks.key(uri, header), jwks.key(uri, header), jwks.key(uri, header)]);
    expect(fetches).toEqual([[uri, true]]);
    // Past its age, the issuer down: one failed fetch (the stale set still answers).
    idp.jwksStatus = 500;
    now += 11 * 60_000;
    expect(await jwks.key(uri, header)).toBeDefined();
    expect(fetches).toEqual([
      [uri, true],
      [uri, false],
    ]);
  });

  it('refetches at most once per cooldown for an unknown kid', async () => {
    let now = 1_000_000;
    const jwks = new RemoteJwks({ allowLoopbackHttp: true, clock: () => now });
    const before = idp.jwksRequests;
    await jwks.key(uri, header);
    now += 31_000;
    expect(await jwks.key(uri, { alg: 'ES256', kid: 'rotated-in' })).toBeUndefined();
    expect(await jwks.key(uri, { alg: 'ES256', kid: 'rotated-in' })).toBeUndefined();
    expect(idp.jwksRequests - before).toBe(2);
  });

  it('fails fast after a failed fetch with nothing cached, then tries again', async () => {
    let now = 2_000_000;
    const jwks = new RemoteJwks({ allowLoopbackHttp: true, clock: () => now });
    idp.jwksStatus = 500;
    const before = idp.jwksRequests;
    const err = await unavailable(jwks.key(uri, header));
    // The audit sees only "unreachable"; the precise reason is the error's cause (for the log).
    expect(err.detail).toBe(`JWKS ${uri}: unreachable`);
    expect(describeJwksError(err.cause)).toBe('HTTP 500');
    await unavailable(jwks.key(uri, header));
    expect(idp.jwksRequests - before).toBe(1);
    idp.jwksStatus = undefined;
    now += 5_001;
    expect(await jwks.key(uri, header)).toBeDefined();
  });

  it('keeps using a stale key set while the issuer is down', async () => {
    let now = 3_000_000;
    const jwks = new RemoteJwks({ allowLoopbackHttp: true, clock: () => now });
    await jwks.key(uri, header);
    idp.jwksStatus = 503;
    now += 11 * 60_000;
    expect(await jwks.key(uri, header)).toBeDefined();
    idp.jwksStatus = undefined;
  });

  it('refuses documents over 256 KiB, over 100 keys, redirects and non-JSON', async () => {
    const big = JSON.stringify({ keys: [], pad: 'x'.repeat(300 * 1024) });
    routes['/big'] = { status: 200, body: big };
    routes['/many'] = {
      status: 200,
      body: JSON.stringify({ keys: Array(101).fill(idp.jwks.keys[0]) }),
    };
    routes['/redirect'] = { status: 302, body: '', headers: { location: uri } };
    routes['/html'] = { status: 200, body: '<html></html>' };
    const jwks = new RemoteJwks({ allowLoopbackHttp: true });
    const tooBig = await unavailable(jwks.key(`${base}/big`, header));
    expect(tooBig.detail).toBe(`JWKS ${base}/big: unreachable`);
    expect(describeJwksError(tooBig.cause)).toContain('larger than');
    const many = await unavailable(jwks.key(`${base}/many`, header));
    expect(describeJwksError(many.cause)).toBe('more than 100 keys');
    await unavailable(jwks.key(`${base}/redirect`, header));
    await unavailable(jwks.key(`${base}/html`, header));
  });

  it('stops serving a stale key set after maxStaleMs of outage', async () => {
    let now = 4_000_000;
    const logged: string[] = [];
    const jwks = new RemoteJwks({
      allowLoopbackHttp: true,
      clock: () => now,
      maxStaleMs: 60 * 60_000,
      log: (m) => logged.push(m),
    });
    await jwks.key(uri, header);
    idp.jwksStatus = 503;
    // Past its 10 minutes, within the hour of grace: the stale set still verifies.
    now += 10 * 60_000 + 59 * 60_000;
    expect(await jwks.key(uri, header)).toBeDefined();
    expect(logged).toEqual([`JWKS ${uri}: HTTP 503`]);
    // Past the grace: its keys are dropped, and the issuer's tokens wait for it to come back.
    now += 2 * 60_000;
    const err = await unavailable(jwks.key(uri, header));
    expect(err.detail).toBe(`JWKS ${uri}: unreachable`);
    idp.jwksStatus = undefined;
    now += 5_001;
    expect(await jwks.key(uri, header)).toBeDefined();
  });

  it('accepts http only on loopback, and only when allowed', () => {
    expect(() => new RemoteJwks({ allowLoopbackHttp: false }).assertFetchable(uri)).toThrow(
      TypeError,
    );
    const allowed = new RemoteJwks({ allowLoopbackHttp: true });
    expect(() => allowed.assertFetchable(uri)).not.toThrow();
    expect(() => allowed.assertFetchable('http://idp.example.test/jwks')).toThrow(TypeError);
    expect(() => allowed.assertFetchable('https://idp.example.test/jwks')).not.toThrow();
    expect(() => allowed.assertFetchable('http://127.1/jwks')).not.toThrow();
    expect(() => allowed.assertFetchable('http://10.0.0.1/jwks')).toThrow(TypeError);
  });
});
