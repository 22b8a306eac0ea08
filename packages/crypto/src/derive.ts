import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/** The keys derived from the master key, one per purpose (RFC 5869, HKDF-SHA-256). */
export interface DerivedKeys {
  /** AES-256-GCM key that encrypts signing keys' private parts (./encryption.ts). */
  keyEncryptionKey: KeyObject;
  /** HMAC-SHA-256 key that hashes client secrets (./client-secret.ts). */
  clientSecretPepper: KeyObject;
  /** Signs and encrypts the admin console's session cookies (next-auth `secret`). */
  consoleSessionSecret: KeyObject;
}

const SALT = 'token-exchange-sts';

export function deriveKeys(masterKey: KeyObject): DerivedKeys {
  const derive = (info: string) =>
    createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, SALT, info, 32)));
  return {
    keyEncryptionKey: derive('signing-key-encryption/v1'),
    clientSecretPepper: derive('client-secret-pepper/v1'),
    consoleSessionSecret: derive('console-session/v1'),
  };
}
