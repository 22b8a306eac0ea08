import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../crypto/derive';
import { DecryptionError, UnknownTenantError } from '../errors';
import { useTempDatabase } from '../test/temp-database';
import { readConfigVersion } from './config';
import { ensureActiveKey, loadKeys, rotateKey, type SigningKeyMaterial } from './signing-keys';

const kekOf = () => deriveKeys(createSecretKey(randomBytes(32))).keyEncryptionKey;

function addTenant(db: ReturnType<typeof useTempDatabase>['db'], id: string, alg = 'ES256') {
  db.sqlite
    .prepare(
      `INSERT INTO tenants (id, display_name, access_token_ttl_seconds, signing_alg, source, created_at, updated_at)
       VALUES (?, ?, 300, ?, 'console', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`,
    )
    .run(id, id, alg);
}

/** The private key signs what the public key verifies. */
function expectPair(key: SigningKeyMaterial) {
  const data = Buffer.from('token');
  const digest = key.alg === 'EdDSA' ? null : `sha${key.alg.slice(2)}`;
  const signature = sign(digest, data, createPrivateKey({ key: key.privateJwk, format: 'jwk' }));
  expect(
    verify(digest, data, createPublicKey({ key: key.publicJwk, format: 'jwk' }), signature),
  ).toBe(true);
}

describe('signing keys', () => {
  const temp = useTempDatabase();
  const kek = kekOf();

  it('ensureActiveKey creates one active key, once, and stores the private part encrypted', async () => {
    addTenant(temp.db, 'acme');
    const keys = await ensureActiveKey(temp.db, kek, 'acme', 'ES256');
    expect(keys).toHaveLength(1);
    const [key] = keys;
    if (!key) throw new Error('no key');
    expect(key).toMatchObject({
      alg: 'ES256',
      status: 'active',
      publicJwk: { kid: key.kid, crv: 'P-256' },
    });
    expect(key.publicJwk).not.toHaveProperty('d');
    expectPair(key);
    expect(readConfigVersion(temp.db)).toBe(1);

    const row = temp.db.sqlite
      .prepare('SELECT public_jwk, encrypted_private_key FROM signing_keys WHERE id = ?')
      .get(key.kid) as { public_jwk: string; encrypted_private_key: string };
    expect(row.encrypted_private_key).toMatch(/^v1\./);
    expect(row.encrypted_private_key).not.toContain(String(key.privateJwk.d));
    expect(JSON.parse(row.public_jwk)).toEqual(key.publicJwk);

    expect(await ensureActiveKey(temp.db, kek, 'acme', 'ES256')).toEqual(keys);
    expect(readConfigVersion(temp.db)).toBe(1);
  });

  it.each(['ES384', 'RS256', 'PS256', 'EdDSA'] as const)('makes %s keys', async (alg) => {
    addTenant(temp.db, 'acme', alg);
    const [key] = await ensureActiveKey(temp.db, kek, 'acme', alg);
    if (!key) throw new Error('no key');
    expect(key.alg).toBe(alg);
    expectPair(key);
  });

  it('ensureActiveKey for a new alg starts retiring the active key of the old one', async () => {
    addTenant(temp.db, 'acme');
    const [old] = await ensureActiveKey(temp.db, kek, 'acme', 'ES256');
    const keys = await ensureActiveKey(temp.db, kek, 'acme', 'EdDSA');
    expect(keys.map((k) => [k.alg, k.status])).toEqual([
      ['EdDSA', 'active'],
      ['ES256', 'retiring'],
    ]);
    expect(keys[1]?.kid).toBe(old?.kid);
  });

  it('rotateKey makes a new active key of the tenant’s alg; the old ones keep verifying', async () => {
    addTenant(temp.db, 'acme', 'ES384');
    const [first] = await ensureActiveKey(temp.db, kek, 'acme', 'ES384');
    const [second] = await rotateKey(temp.db, kek, 'acme');
    const keys = await rotateKey(temp.db, kek, 'acme');

    expect(keys.map((k) => k.status)).toEqual(['active', 'retiring', 'retiring']);
    expect(
      keys
        .map((k) => k.kid)
        .slice(1)
        .sort(),
    ).toEqual([first?.kid, second?.kid].sort());
    expect(new Set(keys.map((k) => k.kid)).size).toBe(3);
    expect(keys.every((k) => k.alg === 'ES384')).toBe(true);
    expect(await loadKeys(temp.db, kek, 'acme')).toEqual(keys);
    expect(readConfigVersion(temp.db)).toBe(3);
  });

  it('keeps tenants apart', async () => {
    addTenant(temp.db, 'acme');
    addTenant(temp.db, 'globex');
    await ensureActiveKey(temp.db, kek, 'acme', 'ES256');
    await rotateKey(temp.db, kek, 'globex');
    expect(await loadKeys(temp.db, kek, 'acme')).toHaveLength(1);
    expect(await loadKeys(temp.db, kek, 'globex')).toHaveLength(1);
  });

  it('refuses unknown tenants', async () => {
    await expect(ensureActiveKey(temp.db, kek, 'nobody', 'ES256')).rejects.toThrow(
      UnknownTenantError,
    );
    await expect(rotateKey(temp.db, kek, 'nobody')).rejects.toThrow('unknown tenant "nobody"');
  });

  it('cannot decrypt with another master key, nor a private key moved to another tenant', async () => {
    addTenant(temp.db, 'acme');
    addTenant(temp.db, 'globex');
    await ensureActiveKey(temp.db, kek, 'acme', 'ES256');
    await expect(loadKeys(temp.db, kekOf(), 'acme')).rejects.toThrow(DecryptionError);

    await ensureActiveKey(temp.db, kek, 'globex', 'ES256');
    // Swap the encrypted private keys of the two tenants' rows.
    temp.db.sqlite.exec(`
      UPDATE signing_keys SET encrypted_private_key = (
        SELECT other.encrypted_private_key FROM signing_keys other WHERE other.tenant_id <> signing_keys.tenant_id
      )`);
    await expect(loadKeys(temp.db, kek, 'acme')).rejects.toThrow(DecryptionError);
  });
});
