/**
 * What a trusted issuer's settings accept (decision 0010): the sample-token check the console
 * shows, and the RSA key size limit on issuers' and clients' keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClientSchema, TrustedIssuerSchema } from '../src/config/schema';
import { find, keyLookup, unusableKeyReason } from '../src/keys/key-sets';
import { rsaModulusBits } from '../src/keys/key-size';
import { inspectSampleToken } from '../src/validators/inspect';

const unsigned = (header: object, claims: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}.c2ln`;

const ISSUER = TrustedIssuerSchema.parse({
  issuer: 'https://idp.example',
  jwksUri: 'https://idp.example/jwks',
  algorithms: ['RS256'],
  audiences: ['https://sts.example'],
});

describe('inspectSampleToken (not verified, never trusted)', () => {
  it('shows an ID token of another relying party as refused: typ JWT, foreign aud, no scope', () => {
    const report = inspectSampleToken(
      unsigned(
        { alg: 'RS256', typ: 'JWT', kid: 'k1' },
        { iss: 'https://idp.example', sub: 'alice', aud: 'other-app' },
      ),
      ISSUER,
      ['k1'],
    );
    expect(report.header).toEqual({ typ: 'JWT', alg: 'RS256', kid: 'k1' });
    expect(report.aud).toEqual(['other-app']);
    expect(report.hasScope).toBe(false);
    expect(report.kidKnown).toBe(true);
    expect(report.accepted).toBe(false);
    expect(report.checks).toEqual([
      { id: 'issuer', ok: true, message: 'iss is https://idp.example' },
      { id: 'algorithm', ok: true, message: 'alg RS256 is allowed' },
      { id: 'kid', ok: true, message: 'kid "k1" is one of the fetched keys' },
      {
        id: 'typ',
        ok: false,
        message: 'typ "JWT" is not one this issuer uses for access tokens (accepted: at+jwt)',
      },
      { id: 'aud', ok: false, message: 'aud [other-app] names none of https://sts.example' },
      {
        id: 'scope',
        ok: true,
        message:
          'carries no scope claim: it gets no scope unless a rule grants its scopes to such tokens',
      },
    ]);
  });

  it('shows an access token these settings accept, and an unknown kid', () => {
    const report = inspectSampleToken(
      unsigned(
        { alg: 'RS256', typ: 'at+jwt', kid: 'new' },
        { iss: 'https://idp.example', sub: 'alice', aud: ['https://sts.example'], scope: 'a' },
      ),
      ISSUER,
      ['k1'],
    );
    expect(report.kidKnown).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['kid']);
    const withoutKeys = inspectSampleToken(
      unsigned(
        { alg: 'RS256', typ: 'at+jwt', kid: 'new' },
        { iss: 'https://idp.example', aud: 'https://sts.example', scope: 'a' },
      ),
      ISSUER,
    );
    expect(withoutKeys.kidKnown).toBeUndefined();
    expect(withoutKeys.accepted).toBe(true);
  });

  it('says an issuer with no audience accepts nothing, and anyAudience accepts any', () => {
    const token = unsigned(
      { alg: 'RS256', typ: 'at+jwt' },
      { iss: 'https://idp.example', aud: 'x' },
    );
    const none = inspectSampleToken(token, { ...ISSUER, audiences: [] });
    expect(none.checks.find((c) => c.id === 'aud')?.ok).toBe(false);
    const any = inspectSampleToken(token, { ...ISSUER, audiences: [], anyAudience: true });
    expect(any.checks.find((c) => c.id === 'aud')).toEqual({
      id: 'aud',
      ok: true,
      message: 'any audience is accepted (aud: x)',
    });
  });

  it('reports what it cannot read instead of throwing', () => {
    expect(inspectSampleToken('not a token', ISSUER).unreadable).toBe(
      'Not a JWT (a compact JWS has three dot-separated parts)',
    );
    expect(inspectSampleToken('a.b.c', ISSUER).unreadable).toBe(
      'The header or the payload is not base64url-encoded JSON',
    );
  });
});

describe('RSA keys over 4096 bits', () => {
  const modulus = (bits: number) => {
    const bytes = new Uint8Array(bits / 8).fill(0xab);
    bytes[0] = 0x80;
    return base64url.encode(bytes);
  };

  it('measures the modulus', () => {
    expect(rsaModulusBits(modulus(4096))).toBe(4096);
    expect(rsaModulusBits(modulus(8192))).toBe(8192);
    expect(rsaModulusBits(`AA${modulus(2048)}`)).toBeGreaterThan(2048);
  });

  it('are refused in an issuer’s or a client’s inline JWKS, with the reason', () => {
    const jwks = { keys: [{ kty: 'RSA', kid: 'big', n: modulus(8192), e: 'AQAB' }] };
    const issuer = TrustedIssuerSchema.safeParse({
      issuer: 'https://idp.example',
      jwks,
      algorithms: ['RS256'],
      anyAudience: true,
    });
    expect(issuer.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['jwks.keys.0', 'RSA keys over 4096 bits are refused'],
    ]);
    const client = ClientSchema.safeParse({ clientId: 'c', authMethod: 'private_key_jwt', jwks });
    expect(client.error?.issues.map((i) => i.message)).toEqual([
      'RSA keys over 4096 bits are refused',
    ]);
    expect(
      TrustedIssuerSchema.safeParse({
        issuer: 'https://idp.example',
        jwks: { keys: [{ ...jwks.keys[0], n: modulus(4096) }] },
        algorithms: ['RS256'],
        anyAudience: true,
      }).success,
    ).toBe(true);
  });

  it('never verify, wherever the JWKS came from (a fetched one included)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 4608 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'big', alg: 'RS256' };
    expect(unusableKeyReason(jwk)).toBe('RSA keys over 4096 bits are refused');
    expect(await find(keyLookup({ keys: [jwk] }), { alg: 'RS256', kid: 'big' })).toBeUndefined();
  });
});
