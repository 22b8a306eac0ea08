import { createHmac, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are stored as HMAC-SHA-256 under a pepper derived from the master key: secrets
 * are generated with 256 bits of entropy (ClientSchema requires at least 32 characters), so a
 * slow password hash adds nothing, and a stolen database alone does not allow checking guesses.
 */
const PREFIX = 'hmac-sha256$';

/** 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(pepper: KeyObject, secret: string): string {
  return PREFIX + mac(pepper, secret).toString('base64url');
}

/** Compared against when the client is unknown (no stored hash), so both cases cost one HMAC. */
const UNKNOWN_CLIENT_HASH = `${PREFIX}${'A'.repeat(43)}`;

/**
 * Constant-time comparison; false for a stored value of an unknown format, and for none (an
 * unknown client: the HMAC is computed all the same, so timing does not tell which ids exist).
 */
export function verifyClientSecret(
  pepper: KeyObject,
  secret: string,
  stored: string | undefined,
): boolean {
  if (stored === undefined) {
    verifyClientSecret(pepper, secret, UNKNOWN_CLIENT_HASH);
    return false;
  }
  if (!stored.startsWith(PREFIX)) return false;
  const expected = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const actual = mac(pepper, secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function mac(pepper: KeyObject, secret: string): Buffer {
  return createHmac('sha256', pepper).update(secret, 'utf8').digest();
}
