import { createPublicKey, createSecretKey, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNING_ALGS } from '@sts/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from '../src/client-secret';
import { deriveKeys } from '../src/derive';
import { DecryptionError, MasterKeyError } from '../src/errors';
import { generateKeyPair, jwkThumbprint } from '../src/key-pair';
import { loadOrCreateMasterKey } from '../src/master-key';
import { generateOneTimeToken, hashOneTimeToken } from '../src/one-time-token';
import { generatePassword, hashPassword, verifyPassword } from '../src/password';
import { openPrivateJwk, sealedKeyPair, sealPrivateJwk } from '../src/sealed';

/** A fresh temporary directory per test, removed afterwards. */
function useTempDir(): { readonly path: string } {
  let path = '';
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), 'sts-crypto-test-'));
  });
  afterEach(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
  };
}

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

describe('sealed private keys (AES-256-GCM)', () => {
  const { keyEncryptionKey: kek } = deriveKeys(masterKey());
  const jwk = { kty: 'EC', d: 'secret' };
  const seal = () => sealPrivateJwk(kek, 'signing_keys', 'acme', 'k1', jwk);

  it('round-trips, with a fresh IV every time', () => {
    const sealed = seal();
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain('secret');
    expect(seal()).not.toBe(sealed);
    expect(openPrivateJwk(kek, 'signing_keys', 'acme', 'k1', sealed)).toEqual(jwk);
  });

  it('detects a changed ciphertext, IV or tag', () => {
    const parts = seal().split('.');
    for (const i of [1, 2, 3]) {
      const tampered = [...parts];
      const bytes = Buffer.from(tampered[i] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      tampered[i] = bytes.toString('base64url');
      expect(() => openPrivateJwk(kek, 'signing_keys', 'acme', 'k1', tampered.join('.'))).toThrow(
        DecryptionError,
      );
    }
  });

  it('does not open in another row: another tenant, kid or table', () => {
    const sealed = seal();
    expect(() => openPrivateJwk(kek, 'signing_keys', 'other', 'k1', sealed)).toThrow(
      DecryptionError,
    );
    expect(() => openPrivateJwk(kek, 'signing_keys', 'acme', 'k2', sealed)).toThrow(
      DecryptionError,
    );
    expect(() => openPrivateJwk(kek, 'test_issuer_keys', 'acme', 'k1', sealed)).toThrow(
      DecryptionError,
    );
  });

  it('fails with a key derived from another master key', () => {
    const other = deriveKeys(masterKey()).keyEncryptionKey;
    expect(() => openPrivateJwk(other, 'signing_keys', 'acme', 'k1', seal())).toThrow(
      'decryption failed: the value was altered, or the master key is not the one it was encrypted with',
    );
  });

  it('rejects what is not a v1 value', () => {
    expect(() => openPrivateJwk(kek, 'signing_keys', 'acme', 'k1', 'v2.a.b.c')).toThrow(
      'not a v1 encrypted value',
    );
    expect(() => openPrivateJwk(kek, 'signing_keys', 'acme', 'k1', 'v1.a.b')).toThrow(
      DecryptionError,
    );
  });
});

describe('admin passwords (scrypt)', () => {
  it('verifies the right password only, with a per-hash salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999999$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('correct horse battery', null)).toBe(false);
  });

  it('generates 144-bit passwords, long enough for the console', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(generatePassword()).not.toBe(password);
  });
});

describe('one-time tokens', () => {
  it('generates 256-bit base64url tokens and stores a SHA-256 of them, never the token', () => {
    const token = generateOneTimeToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(generateOneTimeToken()).not.toBe(token);
    const hash = hashOneTimeToken(token);
    expect(hash).toMatch(/^sha256\$[\w-]{43}$/);
    expect(hash).not.toContain(token);
    expect(hashOneTimeToken(token)).toBe(hash);
    expect(hashOneTimeToken(generateOneTimeToken())).not.toBe(hash);
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
    // An unknown client: no stored hash, still refused.
    expect(verifyClientSecret(pepper, 'the-right-secret-of-at-least-32-chars', undefined)).toBe(
      false,
    );
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

describe('sealedKeyPair', () => {
  it('makes a key pair whose sealed private part opens in its row only', () => {
    const { keyEncryptionKey: kek } = deriveKeys(masterKey());
    const key = sealedKeyPair(kek, 'signing_keys', 'acme', 'ES256');
    expect(key.publicJwk).toMatchObject({ kid: key.kid, alg: 'ES256', use: 'sig' });
    expect(key.publicJwk).not.toHaveProperty('d');
    const privateJwk = openPrivateJwk(kek, 'signing_keys', 'acme', key.kid, key.sealedPrivateKey);
    expect(privateJwk).toMatchObject({ kid: key.kid, alg: 'ES256', d: expect.any(String) });
    expect(key.sealedPrivateKey).not.toContain(String(privateJwk.d));
    expect(() =>
      openPrivateJwk(kek, 'test_issuer_keys', 'acme', key.kid, key.sealedPrivateKey),
    ).toThrow(DecryptionError);
  });
});
