/**
 * createKeyResolver: the KeyResolver the STS and the console's simulator both use. Trusted
 * issuers' keys come from their inline JWKS or their JWKS URI, the tenant's own from its key set;
 * nothing else is a key source.
 */
import type { JWSHeaderParameters } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeyResolver } from '../src/keys/key-resolver';
import { ownKeySet } from '../src/keys/key-sets';
import { generateTestKey, makeTenant } from './helpers/memory-ports';

const tenant = makeTenant();

async function setup() {
  const issuerKey = await generateTestKey('ES256', 'idp-1');
  const ownKey = await generateTestKey('ES256', 'own-1');
  const fetched: { uri: string; header: JWSHeaderParameters }[] = [];
  const resolver = createKeyResolver({
    remote: {
      key: async (uri, header) => {
        fetched.push({ uri, header });
        return issuerKey.publicKey;
      },
    },
    ownKeys: () => ownKeySet([ownKey]),
  });
  return { issuerKey, ownKey, fetched, resolver };
}

describe('createKeyResolver', () => {
  it('finds a trusted issuer key in its inline JWKS by kid and alg', async () => {
    const { issuerKey, resolver, fetched } = await setup();
    const issuer = {
      issuer: 'https://idp.example',
      jwks: { keys: [issuerKey.publicJwk as { kty: string }] },
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['at+jwt' as const],
      algorithms: ['ES256' as const],
    };
    expect(await resolver.issuerKey(tenant, issuer, { alg: 'ES256', kid: 'idp-1' })).toBeDefined();
    expect(
      await resolver.issuerKey(tenant, issuer, { alg: 'ES256', kid: 'other' }),
    ).toBeUndefined();
    expect(fetched).toEqual([]);
  });

  it('ignores private and symmetric keys in an inline JWKS', async () => {
    const { resolver } = await setup();
    const issuer = {
      issuer: 'https://idp.example',
      jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac', alg: 'HS256' }] },
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['at+jwt' as const],
      algorithms: ['ES256' as const],
    };
    expect(await resolver.issuerKey(tenant, issuer, { alg: 'HS256', kid: 'hmac' })).toBeUndefined();
  });

  it('asks the JWKS source for an issuer with a JWKS URI, with the header as sent', async () => {
    const { resolver, fetched } = await setup();
    const issuer = {
      issuer: 'https://idp.example',
      jwksUri: 'https://idp.example/jwks',
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['at+jwt' as const],
      algorithms: ['ES256' as const],
    };
    const header = { alg: 'ES256', kid: 'idp-1', jku: 'https://attacker.example/jwks' };
    expect(await resolver.issuerKey(tenant, issuer, header)).toBeDefined();
    // The configured URI, never the token's jku.
    expect(fetched).toEqual([{ uri: 'https://idp.example/jwks', header }]);
  });

  it('verifies with the tenant own keys and reports their algorithms', async () => {
    const { resolver } = await setup();
    expect(await resolver.ownKey(tenant, { alg: 'ES256', kid: 'own-1' })).toBeDefined();
    expect(await resolver.ownKey(tenant, { alg: 'ES256', kid: 'idp-1' })).toBeUndefined();
    expect(resolver.ownAlgorithms(tenant)).toEqual(['ES256']);
  });
});

describe('ownKeySet', () => {
  it('publishes each key with kid, alg and use sig, and no private member', async () => {
    const key = await generateTestKey('ES256', 'k1');
    const { jwks } = ownKeySet([{ kid: 'k1', alg: 'ES256', publicJwk: { ...key.publicJwk } }]);
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: 'k1', alg: 'ES256', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
