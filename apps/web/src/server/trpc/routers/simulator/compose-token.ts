import 'server-only';
import { randomUUID } from 'node:crypto';
import { TOKEN_TYPE } from '@sts/core';
import type { TestIssuerKeyPair } from '@sts/db';
import { importJWK, type JWK, SignJWT } from 'jose';
import type { TDecodedToken, TTokenSource } from './simulator.schema';

type Composed = Extract<TTokenSource, { source: 'compose' }>;

/**
 * Signs a token the admin composed with the tenant's test issuer key (ES256): the extra claims
 * first, then iss, sub, aud, scope, iat, exp and jti over them (aud and scope left out when
 * their fields are empty, whatever the extra claims say).
 */
export async function composeToken(
  input: Composed,
  key: TestIssuerKeyPair,
  issuer: string,
  nowMs: number,
): Promise<TDecodedToken & { token: string }> {
  const extra = input.extraClaims.trim() === '' ? {} : JSON.parse(input.extraClaims);
  const iat = Math.floor(nowMs / 1000);
  const payload: Record<string, unknown> = {
    ...(extra as Record<string, unknown>),
    iss: issuer,
    sub: input.sub,
    iat,
    exp: iat + input.lifetimeSeconds,
    jti: randomUUID(),
  };
  const scope = input.scope.trim().split(/\s+/).filter(Boolean);
  if (scope.length > 0) payload.scope = scope.join(' ');
  else delete payload.scope;
  if (input.audiences.length > 0)
    payload.aud = input.audiences.length === 1 ? input.audiences[0] : input.audiences;
  else delete payload.aud;
  const header = {
    alg: 'ES256',
    kid: key.kid,
    // RFC 9068 §2.1 for access tokens; a plain JWT otherwise (accepted for every type).
    typ: input.tokenType === TOKEN_TYPE.accessToken ? 'at+jwt' : 'JWT',
  };
  const privateKey = await importJWK({ ...(key.privateJwk as JWK), alg: 'ES256' }, 'ES256');
  const token = await new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
  return { token, header, payload };
}
