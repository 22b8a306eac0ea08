/**
 * What every target is given: the bench IdP's keys for the mode's algorithm, a pool of tokens it
 * signed, and the token exchange request bodies wrk sends (one urlencoded form a line).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, type JWK, SignJWT } from 'jose';

export const ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
export type Alg = (typeof ALGS)[number];
export const MODES = ['distinct', 'repeated', 'actor', 'chain3'] as const;
export type Mode = (typeof MODES)[number];

/** The bench's identity provider, and the audience its tokens name (the exchange service). */
export const IDP_ISSUER = 'https://idp.bench.test';
export const SUBJECT_AUDIENCE = 'https://sts.bench.test';
/** The resource every exchange asks a token for. */
export const TARGET_AUDIENCE = 'https://api.bench.test';
export const CLIENT_ID = 'gw';
export const CLIENT_SECRET = 'bench-secret-0123456789abcdef0123456789';
export const BASIC_AUTH = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface KeyPair {
  alg: Alg;
  kid: string;
  privateKey: KeyObject;
  /** Public JWK with kid, alg and use. */
  publicJwk: JWK;
  /** Private JWK with kid, alg and use (for servers that take a JWKS of private keys). */
  privateJwk: JWK;
}

export async function generateSigningKey(alg: Alg, kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const meta = { kid, alg, use: 'sig' };
  return {
    alg,
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
  };
}

function idpToken(
  idp: KeyPair,
  sub: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({ scope: 'read write', ...claims })
    .setProtectedHeader({ alg: idp.alg, kid: idp.kid, typ: 'at+jwt' })
    .setIssuer(IDP_ISSUER)
    .setAudience(SUBJECT_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(idp.privateKey);
}

/** Two services that already acted for the user: with the client, the issued chain is 3 deep. */
const CHAIN_OF_TWO = { act: { sub: 'svc-1', act: { sub: 'svc-2' } } };

/** One exchange request per line: `pool` of them, or one line in the repeated mode. */
export async function requestBodies(idp: KeyPair, mode: Mode, pool: number): Promise<string[]> {
  const count = mode === 'repeated' ? 1 : pool;
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const subject = await idpToken(idp, `user-${i}`, mode === 'chain3' ? CHAIN_OF_TWO : {});
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN_TYPE,
      audience: TARGET_AUDIENCE,
      scope: 'read',
    });
    if (mode === 'actor') {
      form.set('actor_token', await idpToken(idp, `agent-${i}`));
      form.set('actor_token_type', ACCESS_TOKEN_TYPE);
    }
    bodies.push(form.toString());
  }
  return bodies;
}

export function writeBodies(dir: string, bodies: string[]): string {
  const file = join(dir, 'bodies.txt');
  writeFileSync(file, `${bodies.join('\n')}\n`);
  return file;
}
