/** Every error this package throws on purpose. */
export class CryptoError extends Error {
  override name = 'CryptoError';
}

/** STS_MASTER_KEY or <dataDir>/master.key is not a 32-byte base64 value. */
export class MasterKeyError extends CryptoError {
  override name = 'MasterKeyError';
}

/** A sealed value was tampered with, or the master key is not the one it was sealed with. */
export class DecryptionError extends CryptoError {
  override name = 'DecryptionError';
}
