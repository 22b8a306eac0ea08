import {
  createPrivateKey,
  type JsonWebKey,
  KeyObject,
  constants as nodeCrypto,
  sign,
  type VerifyKeyObjectInput,
  verify,
  type webcrypto,
} from 'node:crypto';
import type { VerifyKey } from '../ports';

/**
 * The signature step of JWS (RFC 7515, RFC 7518 §3) on node:crypto's synchronous sign/verify
 * over cached KeyObjects: no WebCrypto job, no promise, no thread hand-off per signature. Parsing
 * the header and the claims stays with the callers; keys come from where they always did (the
 * issuer's JWKS, the tenant's key ring), never from the token.
 */
interface Algorithm {
  /** The digest, or null for EdDSA (the curve fixes it). */
  hash: string | null;
  keyTypes: readonly string[];
  /** ECDSA: the only curve the algorithm allows (RFC 7518 §3.4). */
  curve?: string;
  /** RSASSA-PSS with a salt as long as the digest (RFC 7518 §3.5). */
  pss?: boolean;
}

const ES = (hash: string, curve: string): Algorithm => ({ hash, keyTypes: ['ec'], curve });
const RS = (hash: string): Algorithm => ({ hash, keyTypes: ['rsa'] });
const PS = (hash: string): Algorithm => ({ hash, keyTypes: ['rsa', 'rsa-pss'], pss: true });

const ALGORITHMS: Record<string, Algorithm> = {
  ES256: ES('sha256', 'prime256v1'),
  ES384: ES('sha384', 'secp384r1'),
  ES512: ES('sha512', 'secp521r1'),
  RS256: RS('sha256'),
  RS384: RS('sha384'),
  RS512: RS('sha512'),
  PS256: PS('sha256'),
  PS384: PS('sha384'),
  PS512: PS('sha512'),
  EdDSA: { hash: null, keyTypes: ['ed25519'] },
};

/** RFC 7518 §3.3, §3.5: RSA keys under 2048 bits are never used. */
const MIN_RSA_BITS = 2048;
const BASE64URL_SEGMENTS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HASH_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

// jose hands out WebCrypto keys; each is converted once, for as long as it lives.
const keyObjects = new WeakMap<object, KeyObject>();

function keyObjectOf(key: VerifyKey | KeyObject): KeyObject {
  if (key instanceof KeyObject) return key;
  let object = keyObjects.get(key);
  if (!object) {
    object = KeyObject.from(key as webcrypto.CryptoKey);
    keyObjects.set(key, object);
  }
  return object;
}

/** Whether `key` may sign or verify with `alg`: its type, its curve, its RSA size. */
function fits(algorithm: Algorithm, key: KeyObject): boolean {
  if (!key.asymmetricKeyType || !algorithm.keyTypes.includes(key.asymmetricKeyType)) return false;
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm.curve) return details.namedCurve === algorithm.curve;
  if (key.asymmetricKeyType.startsWith('rsa')) return (details.modulusLength ?? 0) >= MIN_RSA_BITS;
  return true;
}

function options(algorithm: Algorithm, key: KeyObject) {
  const padding = algorithm.pss
    ? {
        padding: nodeCrypto.RSA_PKCS1_PSS_PADDING,
        saltLength: HASH_BYTES[algorithm.hash as string],
      }
    : {};
  return { key, dsaEncoding: 'ieee-p1363', ...padding } satisfies VerifyKeyObjectInput;
}

/**
 * Whether the compact JWS `token` carries a valid `alg` signature by `key`. False for an unknown
 * algorithm, a key that does not fit it, or a token that is not three base64url segments.
 */
export function verifyJwsSignature(token: string, alg: string, key: VerifyKey): boolean {
  const algorithm = ALGORITHMS[alg];
  if (!algorithm || !BASE64URL_SEGMENTS.test(token)) return false;
  const keyObject = keyObjectOf(key);
  if (!fits(algorithm, keyObject)) return false;
  const dot = token.lastIndexOf('.');
  try {
    return verify(
      algorithm.hash,
      Buffer.from(token.slice(0, dot), 'latin1'),
      options(algorithm, keyObject),
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
  } catch {
    // OpenSSL refusing the input (a key restricted to other parameters) is a failed signature,
    // never a server error.
    return false;
  }
}

/** A private signing key, opened once, that signs compact JWS with its algorithm. */
export class JwsSigner {
  private readonly algorithm: Algorithm;
  private readonly key: KeyObject;
  private readonly headers = new Map<string, string>();

  constructor(
    readonly alg: string,
    readonly kid: string,
    privateJwk: JsonWebKey,
  ) {
    const algorithm = ALGORITHMS[alg];
    if (!algorithm) throw new TypeError(`unsupported signing algorithm ${alg}`);
    this.algorithm = algorithm;
    this.key = createPrivateKey({ key: privateJwk, format: 'jwk' });
    if (this.key.type !== 'private' || !fits(algorithm, this.key))
      throw new TypeError(`key ${kid} cannot sign with ${alg}`);
  }

  /** The compact JWS of `payload` with the protected header {alg, kid, typ}. */
  sign(payload: Record<string, unknown>, typ: string): string {
    let header = this.headers.get(typ);
    if (header === undefined) {
      header = base64url(JSON.stringify({ alg: this.alg, kid: this.kid, typ }));
      this.headers.set(typ, header);
    }
    const input = `${header}.${base64url(JSON.stringify(payload))}`;
    const signature = sign(
      this.algorithm.hash,
      Buffer.from(input),
      options(this.algorithm, this.key),
    );
    return `${input}.${signature.toString('base64url')}`;
  }
}

const base64url = (json: string) => Buffer.from(json).toString('base64url');
