import { verifyClientSecret } from '@sts/crypto';
import { NotFoundError } from '@sts/db';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  rotateClientSecret,
  setClientAuthMethod,
  setClientEnabled,
} from '../src/clients';
import { AppError } from '../src/errors';
import { STS_URL, useConsole } from './helpers';

const t = useConsole();
const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };

/** The stored hash, as the STS loads it. */
const storedHash = async (clientId: string) =>
  (await t.ctx.db.config.loadTenant('acme', STS_URL)).clients.find((c) => c.clientId === clientId)
    ?.secretHash;

describe('clients', () => {
  it('generates a secret once and stores only its hash', async () => {
    const owner = await t.tenant('acme');
    const created = await createClient(t.ctx, owner, 'acme', {
      clientId: 'gateway',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
    expect(created.secret).toMatch(/^[\w-]{43}$/);
    expect(created.authMethod).toBe('client_secret_basic');
    const hash = await storedHash('gateway');
    expect(hash).not.toContain(created.secret);
    expect(verifyClientSecret(t.ctx.keys.clientSecretPepper, created.secret ?? '', hash)).toBe(
      true,
    );
    const { items } = await t.ctx.db.adminActions.list('acme', { limit: 1 });
    expect(JSON.stringify(items)).not.toContain(created.secret);
  });

  it('rotates the secret: the old one stops verifying', async () => {
    const owner = await t.tenant('acme');
    const { secret: old } = await createClient(t.ctx, owner, 'acme', {
      clientId: 'gateway',
      authMethod: 'client_secret_post',
      allowTokenExchange: true,
    });
    const { secret, authMethod } = await rotateClientSecret(t.ctx, owner, 'acme', 'gateway');
    // The page that shows the new secret puts it where this method sends it.
    expect(authMethod).toBe('client_secret_post');
    const hash = await storedHash('gateway');
    expect(verifyClientSecret(t.ctx.keys.clientSecretPepper, secret, hash)).toBe(true);
    expect(verifyClientSecret(t.ctx.keys.clientSecretPepper, old ?? '', hash)).toBe(false);
  });

  it('moves between keys and secrets: a secret is generated only when there is none', async () => {
    const owner = await t.tenant('acme');
    await createClient(t.ctx, owner, 'acme', {
      clientId: 'batch',
      authMethod: 'private_key_jwt',
      jwks,
      allowTokenExchange: true,
    });
    await expect(rotateClientSecret(t.ctx, owner, 'acme', 'batch')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This client authenticates with private_key_jwt: it has no secret',
    });
    const toSecret = await setClientAuthMethod(t.ctx, owner, 'acme', 'batch', {
      authMethod: 'client_secret_basic',
    });
    expect(toSecret).toMatchObject({ authMethod: 'client_secret_basic' });
    expect(toSecret.secret).toMatch(/^[\w-]{43}$/);
    const between = await setClientAuthMethod(t.ctx, owner, 'acme', 'batch', {
      authMethod: 'client_secret_post',
    });
    expect(between.secret).toBeNull();
    expect(
      verifyClientSecret(
        t.ctx.keys.clientSecretPepper,
        toSecret.secret ?? '',
        await storedHash('batch'),
      ),
    ).toBe(true);
  });

  it('refuses a JWKS URI the STS would not fetch, naming the field', async () => {
    const owner = await t.tenant('acme');
    const attempt = createClient(t.ctx, owner, 'acme', {
      clientId: 'batch',
      authMethod: 'private_key_jwt',
      jwksUri: 'http://keys.example/jwks',
      allowTokenExchange: true,
    });
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: { jwksUri: ['must use https'] },
    });
    expect(await t.ctx.db.clients.list('acme')).toEqual([]);
  });

  it('lets storage errors through for the one mapping (an unknown client)', async () => {
    const owner = await t.tenant('acme');
    await expect(setClientEnabled(t.ctx, owner, 'acme', 'nobody', false)).rejects.toThrow(
      NotFoundError,
    );
  });
});
