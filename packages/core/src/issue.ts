import type { Decision } from './exchange';
import type { Tenant } from './model';
import type { Clock, Signer } from './ports';
import { type IssuableTokenType, TOKEN_TYPE } from './token-types';

/** The successful response, RFC 8693 §2.2.1. */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: string;
  token_type: 'Bearer' | 'N_A';
  expires_in: number;
  scope?: string;
}

/** The claims of the token a decision describes, complete. */
export type IssuedClaims = Decision['claims'] & { iat: number; exp: number; jti: string };

export interface IssuedToken {
  response: TokenExchangeResponse;
  jti: string;
  kid: string;
  payload: IssuedClaims;
}

/** The JOSE typ of issued tokens: RFC 9068 §2.1 for access tokens. */
export function typFor(tokenType: IssuableTokenType): string {
  return tokenType === TOKEN_TYPE.accessToken ? 'at+jwt' : 'JWT';
}

/** The claims of the token a decision describes, issued at `iat` (seconds) with id `jti`. */
export function issuedClaims(decision: Decision, { iat, jti }: { iat: number; jti: string }) {
  return { ...decision.claims, iat, exp: iat + decision.ttlSeconds, jti } satisfies IssuedClaims;
}

/** The response carrying `accessToken`, RFC 8693 §2.2.1. */
export function tokenResponse(decision: Decision, accessToken: string): TokenExchangeResponse {
  const response: TokenExchangeResponse = {
    access_token: accessToken,
    issued_token_type: decision.issuedTokenType,
    // RFC 8693 §2.2.1: N_A when the issued token is not an access token.
    token_type: decision.issuedTokenType === TOKEN_TYPE.accessToken ? 'Bearer' : 'N_A',
    expires_in: decision.ttlSeconds,
  };
  // RFC 8693 §2.2.1: scope is OPTIONAL when it is the requested one, REQUIRED otherwise.
  if (decision.scopeInResponse && decision.scope.length > 0)
    response.scope = decision.scope.join(' ');
  return response;
}

/** Signs the token a decision describes (RFC 9068 JWT access token, or a plain JWT). */
export async function issue(
  decision: Decision,
  tenant: Tenant,
  deps: { signer: Signer; clock: Clock },
): Promise<IssuedToken> {
  const payload = issuedClaims(decision, {
    iat: Math.floor(deps.clock() / 1000),
    jti: crypto.randomUUID(),
  });
  const { token, kid } = await deps.signer.sign(tenant, payload, typFor(decision.issuedTokenType));
  return { response: tokenResponse(decision, token), jti: payload.jti, kid, payload };
}
