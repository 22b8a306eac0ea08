/**
 * The largest RSA key accepted from a trusted issuer or a client. Verifying with a huge modulus
 * costs the server (a 16384-bit key is ~30 times slower than a 4096-bit one) and no real issuer
 * needs more than 4096 bits (NIST SP 800-57: 3072 bits already give 128-bit security).
 */
export const MAX_RSA_BITS = 4096;

export const RSA_TOO_LARGE = `RSA keys over ${MAX_RSA_BITS} bits are refused`;

/** Bit length of an RSA JWK's modulus (`n`, base64url), or undefined when it is not readable. */
export function rsaModulusBits(n: unknown): number | undefined {
  if (typeof n !== 'string' || !/^[A-Za-z0-9_-]+$/.test(n)) return undefined;
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - Math.clz32(bytes[i] as number) + 24;
}

/** An RSA JWK whose modulus is over MAX_RSA_BITS. */
export function rsaKeyTooLarge(key: { kty?: unknown; n?: unknown }): boolean {
  if (key.kty !== 'RSA') return false;
  const bits = rsaModulusBits(key.n);
  return bits !== undefined && bits > MAX_RSA_BITS;
}
