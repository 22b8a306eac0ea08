import { randomUUID } from 'node:crypto';
import { TOKEN_TYPE, typFor } from '@sts/core';
import { type CryptoKey, SignJWT } from 'jose';
import type { ComposedTokenInput, DecodedToken } from './types';

/**
 * Signs a token the admin composed: the extra claims first, then iss, sub, aud, scope, iat, exp
 * and jti over them (aud and scope left out when their fields are empty, whatever the extra
 * claims say).
 */
export async function composeToken(
  input: ComposedTokenInput,
  key: {
    kid: string;
    alg: string;
    privateKey: CryptoKey;
    /** The typ of the issuer's access tokens ("absent": none); at+jwt when not given. */
    accessTokenTyp?: string;
  },
  nowMs: number,
): Promise<DecodedToken & { token: string }> {
  const extra = input.extraClaims.trim() === '' ? {} : JSON.parse(input.extraClaims);
  const iat = Math.floor(nowMs / 1000);
  const payload: Record<string, unknown> = {
    ...(extra as Record<string, unknown>),
    iss: input.issuer,
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
  // RFC 9068 §2.1 for access tokens, or what the issuer is configured to send on them; a plain
  // JWT otherwise (accepted for every other type).
  const accessTyp = key.accessTokenTyp ?? typFor(TOKEN_TYPE.accessToken);
  const typ = input.tokenType === TOKEN_TYPE.accessToken ? accessTyp : 'JWT';
  const header: { alg: string; kid: string; typ?: string } = { alg: key.alg, kid: key.kid };
  if (typ !== 'absent') header.typ = typ;
  const token = await new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
  return { token, header, payload };
}
