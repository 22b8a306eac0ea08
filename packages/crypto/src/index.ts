export {
  generateClientSecret,
  hashClientSecret,
  verifyClientSecret,
} from './client-secret';
export { type DerivedKeys, deriveKeys } from './derive';
export { CryptoError, DecryptionError, MasterKeyError } from './errors';
export { type GeneratedKeyPair, generateKeyPair, jwkThumbprint } from './key-pair';
export { loadOrCreateMasterKey } from './master-key';
export { generateOneTimeToken, hashOneTimeToken } from './one-time-token';
export { generatePassword, hashPassword, verifyPassword } from './password';
export {
  openPrivateJwk,
  type SealedKeyKind,
  type SealedKeyPair,
  sealedKeyPair,
  sealPrivateJwk,
} from './sealed';
