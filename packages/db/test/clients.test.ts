import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant, change } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();
const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };
const byOwner = (action: string, target: string) => change(action, { tenantId: 'acme', target });

/** The stored secret hash, which the console never reads: what the STS loads. */
const hashOf = async (clientId: string) =>
  (await t.db.config.loadTenant('acme', 'https://sts.example.test')).clients.find(
    (c) => c.clientId === clientId,
  )?.secretHash;

describe('clients', () => {
  it('creates, lists (never a hash) and updates clients, recording each change', async () => {
    await addTenant(t.db, 'acme');
    await t.db.clients.create(
      'acme',
      {
        clientId: 'gateway',
        displayName: 'Gateway',
        allowTokenExchange: true,
        credentials: { authMethod: 'client_secret_basic', secretHash: 'hmac-sha256$one' },
      },
      byOwner('client.create', 'gateway'),
    );
    await t.db.clients.create(
      'acme',
      {
        clientId: 'batch',
        allowTokenExchange: false,
        credentials: { authMethod: 'private_key_jwt', jwks },
      },
      byOwner('client.create', 'batch'),
    );
    const listed = await t.db.clients.list('acme');
    expect(listed.map((c) => [c.clientId, c.authMethod])).toEqual([
      ['batch', 'private_key_jwt'],
      ['gateway', 'client_secret_basic'],
    ]);
    expect(listed.flatMap((c) => Object.keys(c).filter((k) => /secret|hash/i.test(k)))).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain('hmac-sha256');
    expect(listed[0]?.jwks).toEqual(jwks);

    await t.db.clients.update(
      'acme',
      'gateway',
      { allowTokenExchange: false },
      byOwner('client.update', 'gateway'),
    );
    await t.db.clients.setDisabled('acme', 'gateway', true, byOwner('client.disable', 'gateway'));
    expect(await t.db.clients.get('acme', 'gateway')).toMatchObject({
      displayName: null,
      allowTokenExchange: false,
      disabled: true,
    });
    const { items } = await t.db.adminActions.list('acme', { limit: 10 });
    expect(items.map((a) => a.action)).toEqual([
      'client.disable',
      'client.update',
      'client.create',
      'client.create',
      'tenant.create',
    ]);
  });

  it('sets credentials: a new hash, the stored one kept, or keys instead of a secret', async () => {
    await addTenant(t.db, 'acme');
    await t.db.clients.create(
      'acme',
      {
        clientId: 'gateway',
        allowTokenExchange: true,
        credentials: { authMethod: 'client_secret_basic', secretHash: 'hmac-sha256$one' },
      },
      byOwner('client.create', 'gateway'),
    );
    const set = (credentials: Parameters<typeof t.db.clients.setCredentials>[2]) =>
      t.db.clients.setCredentials(
        'acme',
        'gateway',
        credentials,
        byOwner('client.update', 'gateway'),
      );

    await set({ authMethod: 'client_secret_post' });
    expect(await hashOf('gateway')).toBe('hmac-sha256$one');
    await set({ authMethod: 'client_secret_post', secretHash: 'hmac-sha256$two' });
    expect(await hashOf('gateway')).toBe('hmac-sha256$two');
    await set({ authMethod: 'private_key_jwt', jwksUri: 'https://gateway.example/jwks' });
    expect(await hashOf('gateway')).toBeUndefined();
    expect(await t.db.clients.get('acme', 'gateway')).toMatchObject({
      authMethod: 'private_key_jwt',
      jwksUri: 'https://gateway.example/jwks',
      jwks: null,
    });
    // Back to a secret method: a secret must be given, there is none to keep.
    await expect(set({ authMethod: 'client_secret_basic' })).rejects.toThrow(ConflictError);
  });

  it('refuses a taken client id, an unknown tenant and an unknown client', async () => {
    await addTenant(t.db, 'acme');
    const client = {
      clientId: 'gateway',
      allowTokenExchange: true,
      credentials: { authMethod: 'client_secret_basic' as const, secretHash: 'hmac-sha256$x' },
    };
    await t.db.clients.create('acme', client, byOwner('client.create', 'gateway'));
    await expect(
      t.db.clients.create('acme', client, byOwner('client.create', 'gateway')),
    ).rejects.toThrow(ConflictError);
    await expect(
      t.db.clients.create('nowhere', client, byOwner('client.create', 'gateway')),
    ).rejects.toThrow(NotFoundError);
    await expect(t.db.clients.get('acme', 'nobody')).rejects.toThrow(
      'client "nobody" does not exist',
    );
    await expect(
      t.db.clients.setDisabled('acme', 'nobody', true, byOwner('client.disable', 'nobody')),
    ).rejects.toThrow(NotFoundError);
    await expect(
      t.db.clients.delete('acme', 'nobody', byOwner('client.delete', 'nobody')),
    ).rejects.toThrow(NotFoundError);
    await t.db.clients.delete('acme', 'gateway', byOwner('client.delete', 'gateway'));
    expect(await t.db.clients.list('acme')).toEqual([]);
  });
});
