import { createPublicKey, createSecretKey, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNING_ALGS } from '@sts/core';
import { describe, expect, it } from 'vitest';
import { DecryptionError, MasterKeyError } from '../errors';
import { useTempDir } from '../test/temp-database';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret';
import { deriveKeys } from './derive';
import { decrypt, encrypt } from './encryption';
import { generateKeyPair, jwkThumbprint } from './key-pair';
import { loadOrCreateMasterKey } from './master-key';

const masterKey = () => createSecretKey(randomBytes(32));

describe('loadOrCreateMasterKey', () => {
  const tmp = useTempDir();

  it('uses STS_MASTER_KEY when given, base64 or base64url', () => {
    const bytes = randomBytes(32);
    for (const value of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      ` ${bytes.toString('base64')}\n`,
    ])
      expect(loadOrCreateMasterKey(tmp.path, value).export()).toEqual(bytes);
  });

  it('rejects a value that is not 32 bytes of base64, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => loadOrCreateMasterKey(tmp.path, short)).toThrow(MasterKeyError);
    expect(() => loadOrCreateMasterKey(tmp.path, short)).toThrow(
      'STS_MASTER_KEY must hold 32 bytes, base64-encoded, and does not (it decodes to 16 bytes)',
    );
    expect(() => loadOrCreateMasterKey(tmp.path, randomBytes(33).toString('base64'))).toThrow(
      MasterKeyError,
    );
    const junk = `${'x'.repeat(40)}!!!`;
    expect(() => loadOrCreateMasterKey(tmp.path, junk)).toThrow(MasterKeyError);
    expect(() => loadOrCreateMasterKey(tmp.path, junk)).not.toThrow(junk);
  });

  it('creates <dataDir>/master.key (mode 0600) on first start and reads it afterwards', () => {
    const dataDir = join(tmp.path, 'data');
    const first = loadOrCreateMasterKey(dataDir);
    const file = join(dataDir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first.export());
    expect(loadOrCreateMasterKey(dataDir).export()).toEqual(first.export());
  });

  it('rejects a master.key file of the wrong length', () => {
    writeFileSync(join(tmp.path, 'master.key'), randomBytes(31).toString('base64'));
    expect(() => loadOrCreateMasterKey(tmp.path)).toThrow(/master\.key must hold 32 bytes/);
  });
});

describe('deriveKeys', () => {
  it('derives distinct keys per purpose, the same ones every time', () => {
    const master = masterKey();
    const a = deriveKeys(master);
    const b = deriveKeys(master);
    expect(a.keyEncryptionKey.export()).toEqual(b.keyEncryptionKey.export());
    expect(a.clientSecretPepper.export()).toEqual(b.clientSecretPepper.export());
    expect(a.keyEncryptionKey.export()).not.toEqual(a.clientSecretPepper.export());
    expect(a.keyEncryptionKey.export()).not.toEqual(master.export());
    expect(a.keyEncryptionKey.symmetricKeySize).toBe(32);
  });
});

describe('encrypt / decrypt (AES-256-GCM)', () => {
  const { keyEncryptionKey: kek } = deriveKeys(masterKey());

  it('round-trips, with a fresh IV every time', () => {
    const sealed = encrypt(kek, '{"d":"secret"}', 'acme/kid');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(encrypt(kek, '{"d":"secret"}', 'acme/kid')).not.toBe(sealed);
    expect(decrypt(kek, sealed, 'acme/kid')).toBe('{"d":"secret"}');
  });

  it('detects a changed ciphertext, IV or tag', () => {
    const sealed = encrypt(kek, 'private key', 'aad');
    const parts = sealed.split('.');
    for (const i of [1, 2, 3]) {
      const tampered = [...parts];
      const bytes = Buffer.from(tampered[i] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      tampered[i] = bytes.toString('base64url');
      expect(() => decrypt(kek, tampered.join('.'), 'aad')).toThrow(DecryptionError);
    }
  });

  it('fails under another AAD (the value moved to another row)', () => {
    const sealed = encrypt(kek, 'private key', '["signing_keys","acme","k1"]');
    expect(() => decrypt(kek, sealed, '["signing_keys","other","k1"]')).toThrow(DecryptionError);
  });

  it('fails with a key derived from another master key', () => {
    const sealed = encrypt(kek, 'private key', 'aad');
    const other = deriveKeys(masterKey()).keyEncryptionKey;
    expect(() => decrypt(other, sealed, 'aad')).toThrow(
      'decryption failed: the value was altered, or the master key is not the one it was encrypted with',
    );
  });

  it('rejects what is not a v1 value', () => {
    expect(() => decrypt(kek, 'v2.a.b.c', 'aad')).toThrow('not a v1 encrypted value');
    expect(() => decrypt(kek, 'v1.a.b', 'aad')).toThrow(DecryptionError);
  });
});

describe('client secrets', () => {
  const { clientSecretPepper: pepper } = deriveKeys(masterKey());

  it('generates 256-bit base64url secrets', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(generateClientSecret()).not.toBe(secret);
  });

  it('hashes with HMAC-SHA-256 under the pepper, and verifies', () => {
    const secret = generateClientSecret();
    const stored = hashClientSecret(pepper, secret);
    expect(stored).toMatch(/^hmac-sha256\$[\w-]{43}$/);
    expect(stored).not.toContain(secret);
    expect(hashClientSecret(pepper, secret)).toBe(stored);
    expect(verifyClientSecret(pepper, secret, stored)).toBe(true);
  });

  it('rejects another secret, another pepper, and unknown formats', () => {
    const stored = hashClientSecret(pepper, 'the-right-secret-of-at-least-32-chars');
    expect(verifyClientSecret(pepper, 'the-wrong-secret-of-at-least-32-chars', stored)).toBe(false);
    const otherPepper = deriveKeys(masterKey()).clientSecretPepper;
    expect(verifyClientSecret(otherPepper, 'the-right-secret-of-at-least-32-chars', stored)).toBe(
      false,
    );
    expect(verifyClientSecret(pepper, 'the-right-secret-of-at-least-32-chars', 'plain')).toBe(
      false,
    );
    expect(
      verifyClientSecret(pepper, 'the-right-secret-of-at-least-32-chars', 'hmac-sha256$abc'),
    ).toBe(false);
  });
});

describe('signing key pairs', () => {
  it('computes the RFC 7638 §3.1 example thumbprint', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each(SIGNING_ALGS)('generates a working %s key pair named by its thumbprint', (alg) => {
    const { kid, publicJwk, privateJwk } = generateKeyPair(alg);
    expect(kid).toBe(jwkThumbprint(publicJwk));
    expect(publicJwk).toMatchObject({ kid, alg, use: 'sig' });
    expect(publicJwk).not.toHaveProperty('d');
    expect(privateJwk).toHaveProperty('d');

    const key = { key: privateJwk, format: 'jwk' } as const;
    const digest = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
    const data = Buffer.from('payload');
    const signature = sign(digest, data, key);
    expect(
      verify(digest, data, createPublicKey({ key: publicJwk, format: 'jwk' }), signature),
    ).toBe(true);
  });
});
