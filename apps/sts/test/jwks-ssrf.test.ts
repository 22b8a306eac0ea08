/**
 * JWKS fetches reach only global addresses (SSRF): a trusted issuer's or a client's JWKS URI
 * whose host is, or resolves to, a loopback, private, link-local or otherwise special address is
 * refused when the connection is made (so DNS rebinding cannot bypass it), unless a setting
 * allows it. Whatever the cause, the client gets the generic temporarily_unavailable and the
 * audit records the same word, "unreachable": nothing tells a port scanner what it found.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const AUDIENCE = 'https://orders.example.test';

let idp: TestIdp;
let jwksPort: string;

/** A resolver that answers every name with these addresses (what an attacker's DNS would do). */
const resolvingTo =
  (...addresses: string[]): LookupFunction =>
  (_host, _options, callback) => {
    const list: LookupAddress[] = addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, list);
  };

/** One tenant per JWKS URI under test, all trusting the same stand-in IdP (by issuer). */
const config = (uris: string[]) => ({
  tenants: uris.map((jwksUri, i) => ({
    id: `t${i}`,
    displayName: `t${i}`,
    clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
    trustedIssuers: [idp.trusted({ jwks: undefined, jwksUri })],
    rules: [
      {
        id: 'gw',
        clients: ['gateway'],
        subjectIssuers: [idp.issuer],
        mode: 'impersonation',
        audiences: [AUDIENCE],
        scopes: ['orders:read'],
      },
    ],
  })),
});

async function exchange(sts: TestSts, tenantId: string) {
  return post(
    sts.token(tenantId),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: await idp.mint({ scope: 'orders:read' }),
      subject_token_type: ACCESS_TOKEN,
      audience: AUDIENCE,
    },
    { basic: ['gateway', SECRET] },
  );
}

beforeAll(async () => {
  idp = await TestIdp.create();
  jwksPort = new URL(await idp.serveJwks()).port;
});
afterAll(async () => {
  await idp.close();
});

describe('JWKS URIs on special addresses, with loopback and private networks not allowed', () => {
  let sts: TestSts;
  // https: the setting off refuses http:// when the configuration loads; these get as far as
  // the connection. The stand-in IdP listens on loopback, so a fetch that went ahead would
  // reach it (over TLS it would fail anyway, but no connection must be made at all).
  const uris = () => [
    `https://localhost:${jwksPort}/jwks`,
    `https://127.1:${jwksPort}/jwks`,
    `https://0x7f000001:${jwksPort}/jwks`,
    `https://[::ffff:127.0.0.1]:${jwksPort}/jwks`,
    `https://169.254.169.254/latest/meta-data`,
    `https://rebinding.example.test:${jwksPort}/jwks`,
    `https://internal.example.test:${jwksPort}/jwks`,
  ];

  beforeAll(async () => {
    const lookups: Record<string, string> = {
      'rebinding.example.test': '127.0.0.1',
      'internal.example.test': '10.1.2.3',
      localhost: '127.0.0.1',
    };
    const lookup: LookupFunction = (host, options, callback) =>
      resolvingTo(lookups[host] ?? '192.0.2.1')(host, options, callback);
    sts = await startTestSts(
      config(uris()),
      { STS_ALLOW_LOOPBACK_HTTP_JWKS: 'false' },
      { jwksLookup: lookup },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('refuses each at connect time: 503 temporarily_unavailable, "unreachable" in the audit', async () => {
    const before = idp.jwksRequests;
    for (const [i, uri] of uris().entries()) {
      const res = await exchange(sts, `t${i}`);
      expect(res.status, uri).toBe(503);
      expect(res.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The service is temporarily unavailable, retry later',
      });
      expect(res.headers.get('retry-after')).toBe('5');
      const [event] = await sts.auditEvents(`t${i}`);
      expect(event?.reason).toBe('subject_token.keys');
      expect(event?.errorDetail).toBe(`JWKS ${uri}: unreachable`);
      expect(JSON.stringify(event?.trace)).not.toMatch(
        /ECONNREFUSED|resolves to|10\.1\.2\.3|169\.254\.169\.254 /,
      );
    }
    // No connection reached the stand-in IdP on loopback.
    expect(idp.jwksRequests).toBe(before);
  });
});

describe('with loopback allowed (STS_ALLOW_LOOPBACK_HTTP_JWKS=true)', () => {
  let sts: TestSts;
  beforeAll(async () => {
    sts = await startTestSts(
      config([
        `http://localhost:${jwksPort}/jwks`,
        `http://127.1:${jwksPort}/jwks`,
        `http://[::ffff:127.0.0.1]:${jwksPort}/jwks`,
        `https://internal.example.test:${jwksPort}/jwks`,
      ]),
      { STS_ALLOW_LOOPBACK_HTTP_JWKS: 'true' },
      {
        jwksLookup: (host, options, callback) =>
          resolvingTo(host === 'localhost' ? '127.0.0.1' : '10.1.2.3')(host, options, callback),
      },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('fetches from loopback by name and by literal', async () => {
    for (const tenantId of ['t0', 't1', 't2']) {
      const res = await exchange(sts, tenantId);
      expect(res.status, `${tenantId}: ${res.text}`).toBe(200);
    }
  });

  it('still refuses a private address', async () => {
    const res = await exchange(sts, 't3');
    expect(res.status).toBe(503);
    const [event] = await sts.auditEvents('t3');
    expect(event?.errorDetail).toBe(
      `JWKS https://internal.example.test:${jwksPort}/jwks: unreachable`,
    );
  });
});

describe('with private networks allowed (STS_JWKS_ALLOW_PRIVATE_NETWORKS=true)', () => {
  let sts: TestSts;
  let connectedTo: string[];
  beforeAll(async () => {
    connectedTo = [];
    sts = await startTestSts(
      config([`https://link-local.example.test/jwks`]),
      { STS_ALLOW_LOOPBACK_HTTP_JWKS: 'false', STS_JWKS_ALLOW_PRIVATE_NETWORKS: 'true' },
      {
        jwksLookup: (host, options, callback) => {
          connectedTo.push(host);
          resolvingTo('169.254.169.254')(host, options, callback);
        },
      },
    );
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it('never reaches link-local (cloud metadata) addresses', async () => {
    const res = await exchange(sts, 't0');
    expect(res.status).toBe(503);
    expect(connectedTo).toContain('link-local.example.test');
    const [event] = await sts.auditEvents('t0');
    expect(event?.errorDetail).toBe('JWKS https://link-local.example.test/jwks: unreachable');
  });
});
