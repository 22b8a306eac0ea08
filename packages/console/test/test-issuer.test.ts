import { describe, expect, it } from 'vitest';
import { simulatorOptions } from '../src/simulator/options';
import { testIssuerKeyPair, testIssuerUrl, trustTestIssuer } from '../src/simulator/test-issuer';
import { STS_URL, useConsole } from './helpers';

const t = useConsole();
const TEST_ISSUER = 'https://console.example.test/test-issuer/acme';

describe('the test issuer', () => {
  it('lives under the console URL, one ES256 key per tenant made on first use', async () => {
    await t.tenant('acme');
    expect(testIssuerUrl(t.ctx, 'acme')).toBe(TEST_ISSUER);
    const version = await t.ctx.db.config.version();
    const first = await testIssuerKeyPair(t.ctx, 'acme');
    expect(await testIssuerKeyPair(t.ctx, 'acme')).toEqual(first);
    expect(first.publicJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      kid: first.kid,
    });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(first.privateJwk).toHaveProperty('d');
    const stored = await t.ctx.db.testIssuerKeys.find('acme');
    expect(stored?.sealedPrivateKey).not.toContain(String(first.privateJwk.d));
    // Making the key changes no configuration.
    expect(await t.ctx.db.config.version()).toBe(version);
  });

  it('is trusted by an admin action, with its public key inline', async () => {
    const owner = await t.tenant('acme');
    expect((await simulatorOptions(t.ctx, 'acme')).testIssuer).toEqual({
      issuer: TEST_ISSUER,
      kid: null,
      trusted: false,
      trustedWithKey: false,
    });
    const status = await trustTestIssuer(t.ctx, owner, 'acme');
    const { kid, publicJwk } = await testIssuerKeyPair(t.ctx, 'acme');
    expect(status).toEqual({ issuer: TEST_ISSUER, kid, trusted: true, trustedWithKey: true });
    const loaded = await t.ctx.db.config.loadTenant('acme', STS_URL);
    expect(loaded.tenant.trustedIssuers).toEqual([
      {
        issuer: TEST_ISSUER,
        jwks: { keys: [publicJwk] },
        audiences: [],
        // Composed tokens name whatever aud a rule expects: any audience, explicitly.
        anyAudience: true,
        accessTokenTyp: ['at+jwt'],
        algorithms: ['ES256'],
      },
    ]);
    await trustTestIssuer(t.ctx, owner, 'acme');
    const { items } = await t.ctx.db.adminActions.list('acme', { limit: 2 });
    expect(items.map((a) => [a.action, a.target])).toEqual([
      ['issuer.update', TEST_ISSUER],
      ['issuer.create', TEST_ISSUER],
    ]);
    expect(JSON.stringify(items)).not.toContain('"d"');
  });
});
