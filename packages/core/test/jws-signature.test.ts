/**
 * The JWS signature step on node:crypto (src/keys/jws-signature.ts): every algorithm an issuer
 * may be pinned to verifies what jose signs, every signing algorithm signs what jose verifies,
 * and a key that does not fit the algorithm (type, curve, RSA size) never verifies or signs.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SIGNING_ALGS, VERIFY_ALGS } from '../src/config/schema';
import { JwsSigner, verifyJwsSignature } from '../src/keys/jws-signature';

const keyPair = (alg: string) =>
  generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });

const joseToken = async (alg: string, privateKey: CryptoKey) =>
  new SignJWT({ sub: 'alice', exp: 2_000_000_000 })
    .setProtectedHeader({ alg, kid: 'k1' })
    .sign(privateKey);

/** `token` with one character of its `part` (0 header, 1 payload, 2 signature) changed. */
function tampered(token: string, part: number): string {
  const parts = token.split('.');
  const segment = parts[part] as string;
  parts[part] = `${segment.slice(0, 5)}${segment[5] === 'A' ? 'B' : 'A'}${segment.slice(6)}`;
  return parts.join('.');
}

describe('verifyJwsSignature', () => {
  for (const alg of VERIFY_ALGS) {
    it(`verifies ${alg} signatures made by jose, and refuses altered ones`, async () => {
      const { privateKey, publicKey } = await keyPair(alg);
      const token = await joseToken(alg, privateKey);
      expect(verifyJwsSignature(token, alg, publicKey)).toBe(true);
      for (const part of [0, 1, 2])
        expect(verifyJwsSignature(tampered(token, part), alg, publicKey)).toBe(false);
    });
  }

  it('refuses a key that does not fit the algorithm', async () => {
    const p256 = await keyPair('ES256');
    const p384 = await keyPair('ES384');
    const rsa = await keyPair('RS256');
    const cases: [string, CryptoKey, string, CryptoKey][] = [
      // A P-384 signature presented as ES256, and the reverse: the curve must be the algorithm's.
      ['ES384', p384.privateKey, 'ES256', p384.publicKey],
      ['ES256', p256.privateKey, 'ES384', p256.publicKey],
      // An RSA key never verifies ECDSA, and the reverse; an HMAC algorithm never verifies.
      ['ES256', p256.privateKey, 'ES256', rsa.publicKey],
      ['RS256', rsa.privateKey, 'RS256', p256.publicKey],
      ['ES256', p256.privateKey, 'HS256', p256.publicKey],
    ];
    for (const [signedWith, privateKey, presentedAs, publicKey] of cases)
      expect(
        verifyJwsSignature(await joseToken(signedWith, privateKey), presentedAs, publicKey),
        `${signedWith} presented as ${presentedAs}`,
      ).toBe(false);
  });

  it('refuses RSA keys under 2048 bits, even with a valid signature', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const input = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
    expect(verifyJwsSignature(`${input}.${signature}`, 'RS256', publicKey)).toBe(false);
  });

  it('refuses segments that are not strict base64url (padding, +, /, empty signature)', async () => {
    const { privateKey, publicKey } = await keyPair('ES256');
    const token = await joseToken('ES256', privateKey);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const bad of [
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.replace(/-/g, '+').replace(/_/g, '/')}x+`,
      `${header}.${payload}.`,
      `${header}=.${payload}.${signature}`,
    ])
      expect(verifyJwsSignature(bad, 'ES256', publicKey)).toBe(false);
  });
});

describe('JwsSigner', () => {
  for (const alg of SIGNING_ALGS) {
    it(`signs ${alg} tokens that jose verifies, with the header {alg, kid, typ}`, async () => {
      const { privateKey, publicKey } = await keyPair(alg);
      const signer = new JwsSigner(alg, 'k1', await exportJWK(privateKey));
      for (const typ of ['at+jwt', 'JWT']) {
        const token = signer.sign({ sub: 'alice', n: 'é' }, typ);
        const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
          algorithms: [alg],
        });
        expect(protectedHeader).toEqual({ alg, kid: 'k1', typ });
        expect(payload).toEqual({ sub: 'alice', n: 'é' });
        expect(verifyJwsSignature(token, alg, publicKey)).toBe(true);
      }
    });
  }

  it('refuses a public key, and a key that does not fit the algorithm', async () => {
    const p256 = await keyPair('ES256');
    const publicJwk = await exportJWK(p256.publicKey);
    const privateJwk = await exportJWK(p256.privateKey);
    expect(() => new JwsSigner('ES256', 'k1', publicJwk)).toThrow();
    expect(() => new JwsSigner('ES384', 'k1', privateJwk)).toThrow(/cannot sign with ES384/);
    expect(() => new JwsSigner('HS256', 'k1', privateJwk)).toThrow(/unsupported/);
  });
});
