import type { Decision } from './exchange';
import { typFor } from './exchange';
import type { Tenant } from './model';
import type { Clock, Signer } from './ports';
import { TOKEN_TYPE } from './token-types';

/** The successful response, RFC 8693 §2.2.1. */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: string;
  token_type: 'Bearer' | 'N_A';
  expires_in: number;
  scope?: string;
}

export interface IssuedToken {
  response: TokenExchangeResponse;
  jti: string;
  kid: string;
  payload: Record<string, unknown>;
}

/** Signs the token a decision describes (RFC 9068 JWT access token, or a plain JWT). */
export async function issue(
  decision: Decision,
  tenant: Tenant,
  deps: { signer: Signer; clock: Clock },
): Promise<IssuedToken> {
  const iat = Math.floor(deps.clock() / 1000);
  const jti = crypto.randomUUID();
  const payload = { ...decision.claims, iat, exp: iat + decision.ttlSeconds, jti };
  const { token, kid } = await deps.signer.sign(tenant, payload, typFor(decision.issuedTokenType));
  const response: TokenExchangeResponse = {
    access_token: token,
    issued_token_type: decision.issuedTokenType,
    // RFC 8693 §2.2.1: N_A when the issued token is not an access token.
    token_type: decision.issuedTokenType === TOKEN_TYPE.accessToken ? 'Bearer' : 'N_A',
    expires_in: decision.ttlSeconds,
  };
  if (decision.scopeInResponse && decision.scope.length > 0)
    response.scope = decision.scope.join(' ');
  return { response, jti, kid, payload };
}
