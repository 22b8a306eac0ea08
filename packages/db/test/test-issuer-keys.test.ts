import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();
const key = (kid: string) => ({
  kid,
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid },
  sealedPrivateKey: `v1.${kid}.sealed.tag`,
});

describe('test issuer keys', () => {
  it('stores one key per tenant on first use; later uses get the same key', async () => {
    await addTenant(t.db, 'acme');
    const version = await t.db.config.version();
    expect(await t.db.testIssuerKeys.find('acme')).toBeNull();
    expect(await t.db.testIssuerKeys.getOrCreate('acme', () => key('k1'))).toEqual(key('k1'));
    expect(await t.db.testIssuerKeys.getOrCreate('acme', () => key('k2'))).toEqual(key('k1'));
    expect(await t.db.testIssuerKeys.find('acme')).toEqual(key('k1'));
    // Making the key is not a configuration change.
    expect(await t.db.config.version()).toBe(version);
  });

  it('gives concurrent first uses the same key', async () => {
    await addTenant(t.db, 'acme');
    const keys = await Promise.all(
      ['k1', 'k2', 'k3'].map((kid) => t.db.testIssuerKeys.getOrCreate('acme', () => key(kid))),
    );
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
  });

  it('refuses an unknown tenant, and goes with its tenant', async () => {
    await expect(t.db.testIssuerKeys.getOrCreate('nowhere', () => key('k1'))).rejects.toThrow(
      NotFoundError,
    );
    await addTenant(t.db, 'acme');
    await t.db.testIssuerKeys.getOrCreate('acme', () => key('k1'));
    await t.db.tenants.delete('acme', change('tenant.delete', { tenantId: 'acme' }));
    expect(await t.db.testIssuerKeys.find('acme')).toBeNull();
  });
});
