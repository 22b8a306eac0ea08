import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();
const IDP = {
  issuer: 'https://idp.example',
  jwksUri: 'https://idp.example/jwks',
  audiences: ['https://sts.example'],
  anyAudience: false,
  accessTokenTyp: ['at+jwt' as const],
  algorithms: ['RS256' as const],
};
const byOwner = (action: string) => change(action, { tenantId: 'acme', target: IDP.issuer });

describe('trusted issuers', () => {
  it('creates, updates, puts and deletes, as the STS then loads them', async () => {
    await addTenant(t.db, 'acme');
    await t.db.trustedIssuers.create('acme', IDP, byOwner('issuer.create'));
    expect(await t.db.trustedIssuers.list('acme')).toEqual([IDP]);

    const inline = {
      issuer: IDP.issuer,
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] },
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['JWT' as const, 'absent' as const],
      algorithms: ['ES256' as const],
    };
    await t.db.trustedIssuers.update('acme', inline, byOwner('issuer.update'));
    const loaded = await t.db.config.loadTenant('acme', 'https://sts.example.test');
    expect(loaded.tenant.trustedIssuers).toEqual([inline]);

    expect(
      await t.db.trustedIssuers.put('acme', IDP, (created) =>
        byOwner(created ? 'issuer.create' : 'issuer.update'),
      ),
    ).toBe(false);
    expect(
      await t.db.trustedIssuers.put(
        'acme',
        { ...IDP, issuer: 'https://other.example' },
        (created) => byOwner(created ? 'issuer.create' : 'issuer.update'),
      ),
    ).toBe(true);
    expect((await t.db.trustedIssuers.list('acme')).map((i) => i.issuer)).toEqual([
      'https://idp.example',
      'https://other.example',
    ]);

    await t.db.trustedIssuers.delete('acme', IDP.issuer, byOwner('issuer.delete'));
    expect((await t.db.trustedIssuers.list('acme')).map((i) => i.issuer)).toEqual([
      'https://other.example',
    ]);
    const { items } = await t.db.adminActions.list('acme', { limit: 10 });
    expect(items.map((a) => a.action)).toEqual([
      'issuer.delete',
      'issuer.create',
      'issuer.update',
      'issuer.update',
      'issuer.create',
      'tenant.create',
    ]);
  });

  it('refuses an issuer trusted already, an unknown one and an unknown tenant', async () => {
    await addTenant(t.db, 'acme');
    await t.db.trustedIssuers.create('acme', IDP, byOwner('issuer.create'));
    await expect(t.db.trustedIssuers.create('acme', IDP, byOwner('issuer.create'))).rejects.toThrow(
      ConflictError,
    );
    await expect(
      t.db.trustedIssuers.update('acme', { ...IDP, issuer: 'https://nope.example' }, byOwner('x')),
    ).rejects.toThrow(NotFoundError);
    await expect(
      t.db.trustedIssuers.delete('acme', 'https://nope.example', byOwner('x')),
    ).rejects.toThrow(NotFoundError);
    await expect(t.db.trustedIssuers.create('nowhere', IDP, byOwner('x'))).rejects.toThrow(
      'tenant "nowhere" does not exist',
    );
  });
});
