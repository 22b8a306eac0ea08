import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** The `aud` this IdP's tokens carry unless told otherwise: the STS's own audience at the IdP. */
export const IDP_AUDIENCE = 'https://gateway.example.test';

/**
 * A stand-in upstream identity provider for tests: ES256 and RS256 keys, a JWKS served over
 * loopback HTTP (for jwksUri), and token minting with any claims or header.
 */
export class TestIdp {
  private server: Server | undefined;
  jwksRequests = 0;
  /** When set, the JWKS endpoint answers with this status instead. */
  jwksStatus: number | undefined;

  private constructor(
    readonly issuer: string,
    readonly keys: {
      kid: string;
      alg: 'ES256' | 'RS256';
      privateKey: PrivateKey;
      publicJwk: JWK;
    }[],
  ) {}

  static async create(issuer = 'https://idp.example.test'): Promise<TestIdp> {
    const keys = [];
    for (const [kid, alg] of [
      ['es-1', 'ES256'],
      ['rs-1', 'RS256'],
    ] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      keys.push({
        kid,
        alg,
        privateKey,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
      });
    }
    return new TestIdp(issuer, keys);
  }

  get jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** A trusted issuer entry for this IdP (inline keys, ES256, its tokens' audience). */
  trusted(overrides: Record<string, unknown> = {}) {
    return {
      issuer: this.issuer,
      jwks: this.jwks,
      algorithms: ['ES256'],
      audiences: [IDP_AUDIENCE],
      ...overrides,
    };
  }

  /** Serves the JWKS on 127.0.0.1; returns its URI. */
  async serveJwks(): Promise<string> {
    this.server = createServer((_req, res) => {
      this.jwksRequests++;
      if (this.jwksStatus) {
        res.writeHead(this.jwksStatus).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(this.jwks));
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  async close(): Promise<void> {
    if (this.server) await new Promise((ok) => this.server?.close(ok));
  }

  async mint(
    claims: JWTPayload = {},
    options: {
      alg?: 'ES256' | 'RS256';
      header?: Record<string, unknown>;
      ttlSeconds?: number;
    } = {},
  ): Promise<string> {
    const key = this.keys.find((k) => k.alg === (options.alg ?? 'ES256'));
    if (!key) throw new Error('no such key');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      sub: 'alice',
      aud: IDP_AUDIENCE,
      iat: now,
      exp: now + (options.ttlSeconds ?? 600),
      jti: crypto.randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header })
      .sign(key.privateKey);
  }
}
