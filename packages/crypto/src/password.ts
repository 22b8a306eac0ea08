import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt cost (RFC 7914): N = 2^15, r = 8, p = 1 takes ~32 MiB and tens of milliseconds. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const maxmem = (N: number, r: number) => 256 * N * r;

/**
 * A password generated for an admin (an owner's "initial password"), shown once: 18 random bytes,
 * base64url (24 characters, 144 bits).
 */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Admin console passwords, stored with a slow, memory-hard KDF (unlike client secrets, which are
 * high-entropy and use a keyed fast hash). Format: `scrypt$N$r$p$<salt>$<hash>` (base64url).
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, {
    ...COST,
    maxmem: maxmem(COST.N, COST.r) * 2,
  });
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/**
 * Constant-time comparison; false for a malformed stored value, and for none (an unknown user or
 * a single-sign-on admin: one scrypt is computed all the same, so timing does not tell them apart).
 */
export async function verifyPassword(
  password: string,
  stored: string | null | undefined,
): Promise<boolean> {
  if (stored === null || stored === undefined) {
    await verifyPassword(password, UNKNOWN_USER_PASSWORD_HASH);
    return false;
  }
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every(Number.isSafeInteger) || N > 2 ** 20 || R > 32 || P > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(
    password.normalize('NFKC'),
    Buffer.from(salt, 'base64url'),
    expected.length,
    {
      N,
      r: R,
      p: P,
      maxmem: maxmem(N, R) * 2,
    },
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Verified against when there is no stored hash, so both cases cost one scrypt. */
const UNKNOWN_USER_PASSWORD_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
