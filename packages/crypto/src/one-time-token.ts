import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time tokens: the secret part of a link that works once (an admin invitation). Generated
 * with 256 bits of entropy, so a plain SHA-256 is enough to store them: nobody can guess a token
 * from its hash, and the hash is what a lookup compares (a stolen database holds no usable link).
 */
const PREFIX = 'sha256$';

/** 32 random bytes, base64url (43 characters): safe in a URL path as it is. */
export function generateOneTimeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token, and looked up by. */
export function hashOneTimeToken(token: string): string {
  return PREFIX + createHash('sha256').update(token, 'utf8').digest('base64url');
}
