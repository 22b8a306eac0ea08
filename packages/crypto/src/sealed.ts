import {
  createCipheriv,
  createDecipheriv,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { SigningAlg } from '@sts/core';
import { DecryptionError } from './errors';
import { generateKeyPair } from './key-pair';

/**
 * AES-256-GCM with a random 96-bit IV. The sealed form is `v1.<iv>.<ciphertext>.<tag>`
 * (base64url parts). `aad` binds the ciphertext to where it is stored (e.g. tenant and kid), so
 * a value copied to another row does not decrypt.
 */
const VERSION = 'v1';

function encrypt(key: KeyObject, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

function decrypt(key: KeyObject, sealed: string, aad: string): string {
  const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || !iv || ciphertext === undefined || !tag || rest.length > 0)
    throw new DecryptionError(`not a ${VERSION} encrypted value`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(aad))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch (err) {
    throw new DecryptionError(
      'decryption failed: the value was altered, or the master key is not the one it was encrypted with',
      { cause: err },
    );
  }
}

/** Where a sealed private key is stored: its table. */
export type SealedKeyKind = 'signing_keys' | 'test_issuer_keys';

/** Binds a sealed private key to its row: copied to another tenant or kid, it does not open. */
const aad = (kind: SealedKeyKind, tenantId: string, kid: string) =>
  JSON.stringify([kind, tenantId, kid]);

/** A private JWK encrypted for storage in `kind`'s row of (tenant, kid). */
export function sealPrivateJwk(
  kek: KeyObject,
  kind: SealedKeyKind,
  tenantId: string,
  kid: string,
  privateJwk: JsonWebKey,
): string {
  return encrypt(kek, JSON.stringify(privateJwk), aad(kind, tenantId, kid));
}

/** The private JWK sealPrivateJwk() sealed for this row; DecryptionError if it was altered. */
export function openPrivateJwk(
  kek: KeyObject,
  kind: SealedKeyKind,
  tenantId: string,
  kid: string,
  sealed: string,
): JsonWebKey {
  return JSON.parse(decrypt(kek, sealed, aad(kind, tenantId, kid))) as JsonWebKey;
}

/** A new key pair with its private part sealed for its row: what the key stores take. */
export interface SealedKeyPair {
  /** The RFC 7638 thumbprint of the public key. */
  kid: string;
  alg: SigningAlg;
  /** kid, alg and `use: sig` set; never a private member. */
  publicJwk: JsonWebKey;
  sealedPrivateKey: string;
}

/** Generates a key pair of `alg` for `kind`'s row of the tenant, its private part sealed. */
export function sealedKeyPair(
  kek: KeyObject,
  kind: SealedKeyKind,
  tenantId: string,
  alg: SigningAlg,
): SealedKeyPair {
  const { kid, publicJwk, privateJwk } = generateKeyPair(alg);
  return {
    kid,
    alg,
    publicJwk,
    sealedPrivateKey: sealPrivateJwk(kek, kind, tenantId, kid, privateJwk),
  };
}
