import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { DecryptionError } from '../errors';

/**
 * AES-256-GCM with a random 96-bit IV. The sealed form is `v1.<iv>.<ciphertext>.<tag>`
 * (base64url parts). `aad` binds the ciphertext to where it is stored (e.g. tenant and kid), so
 * a value copied to another row does not decrypt.
 */
const VERSION = 'v1';

export function encrypt(key: KeyObject, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function decrypt(key: KeyObject, sealed: string, aad: string): string {
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
