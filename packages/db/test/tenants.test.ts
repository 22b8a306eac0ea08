import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();
const settings = { displayName: 'Acme', accessTokenTtlSeconds: 600, signingAlg: 'EdDSA' as const };

describe('tenants', () => {
  it('creates console tenants, lists them with counts, all or by id', async () => {
    await addTenant(t.db, 'acme');
    await addTenant(t.db, 'globex');
    expect((await t.db.tenants.list()).map((x) => x.id)).toEqual(['acme', 'globex']);
    expect((await t.db.tenants.list(['globex', 'nowhere'])).map((x) => x.id)).toEqual(['globex']);
    expect(await t.db.tenants.list([])).toEqual([]);
    expect(await t.db.tenants.get('acme')).toMatchObject({
      id: 'acme',
      source: 'console',
      clients: 0,
      trustedIssuers: 0,
      rules: 0,
      createdAt: expect.any(Date),
    });
  });

  it('records every change with its admin action and a configuration version bump', async () => {
    await addTenant(t.db, 'acme');
    const version = await t.db.config.version();
    await t.db.tenants.update(
      'acme',
      settings,
      change('tenant.update', { tenantId: 'acme', details: settings }),
    );
    expect(await t.db.tenants.get('acme')).toMatchObject({ id: 'acme', ...settings });
    expect(await t.db.config.version()).toBe(version + 1);
    const { items } = await t.db.adminActions.list('acme', { limit: 10 });
    expect(items.map((a) => [a.action, a.actorEmail])).toEqual([
      ['tenant.update', 'owner@example.test'],
      ['tenant.create', 'owner@example.test'],
    ]);
    expect(items[0]?.details).toEqual(settings);
  });

  it('answers ConflictError for a taken id and NotFoundError for an unknown one, recording nothing', async () => {
    await addTenant(t.db, 'acme');
    const version = await t.db.config.version();
    await expect(addTenant(t.db, 'acme')).rejects.toThrow(ConflictError);
    await expect(t.db.tenants.get('nowhere')).rejects.toThrow(NotFoundError);
    await expect(
      t.db.tenants.update('nowhere', settings, change('tenant.update', { tenantId: 'nowhere' })),
    ).rejects.toThrow(NotFoundError);
    await expect(t.db.tenants.delete('nowhere', change('tenant.delete'))).rejects.toThrow(
      'tenant "nowhere" does not exist',
    );
    expect(await t.db.config.version()).toBe(version);
    expect((await t.db.adminActions.list('nowhere', { limit: 10 })).items).toEqual([]);
  });

  it('deletes a tenant with what belongs to it; audit records and admin actions stay', async () => {
    await addTenant(t.db, 'acme');
    await t.db.clients.create(
      'acme',
      {
        clientId: 'gateway',
        allowTokenExchange: true,
        credentials: { authMethod: 'client_secret_basic', secretHash: 'hmac-sha256$x' },
      },
      change('client.create', { tenantId: 'acme' }),
    );
    await t.db.audit.write({
      tenantId: 'acme',
      actorChain: [],
      requestedAudiences: [],
      grantedAudiences: [],
      decision: 'denied',
      trace: [],
    });
    await t.db.tenants.delete('acme', change('tenant.delete', { tenantId: 'acme' }));
    expect(await t.db.tenants.list()).toEqual([]);
    expect(await t.db.clients.list('acme')).toEqual([]);
    expect((await t.db.audit.query('acme', {}, { limit: 10 })).items).toHaveLength(1);
    expect((await t.db.adminActions.list('acme', { limit: 10 })).items).toHaveLength(3);
  });
});
