/** Token type identifiers, RFC 8693 §3. */
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  refreshToken: 'urn:ietf:params:oauth:token-type:refresh_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  saml1: 'urn:ietf:params:oauth:token-type:saml1',
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

export type TokenType = (typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE];

/** Types this STS accepts as subject or actor tokens: all of them are JWTs. */
export const SUBJECT_TOKEN_TYPES = [
  TOKEN_TYPE.accessToken,
  TOKEN_TYPE.jwt,
  TOKEN_TYPE.idToken,
  TOKEN_TYPE.refreshToken,
] as const;
export type SubjectTokenType = (typeof SUBJECT_TOKEN_TYPES)[number];

/** Types this STS can issue (requested_token_type). */
export const ISSUABLE_TOKEN_TYPES = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] as const;
export type IssuableTokenType = (typeof ISSUABLE_TOKEN_TYPES)[number];

export const GRANT_TYPE_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * JOSE `typ` header values accepted for each JWT-based token type (compared case-insensitively,
 * with an optional "application/" prefix, RFC 7515 §4.1.9). An absent `typ` is accepted for all
 * but access tokens, and is never what this STS issues. An access token of a trusted issuer must
 * carry one of the values that issuer is configured with (`accessTokenTyp`, default `at+jwt`);
 * one of this tenant's own must be `at+jwt` (RFC 9068 §2.1), the entry below. Refusing `at+jwt`
 * as an ID token keeps access tokens from being replayed as identity assertions (RFC 9068 §4);
 * refusing other explicit types (logout, DPoP proofs, security events) keeps tokens made for
 * another purpose out of the exchange.
 */
export const ACCEPTED_TYP: Record<SubjectTokenType, readonly string[]> = {
  [TOKEN_TYPE.accessToken]: ['at+jwt'],
  [TOKEN_TYPE.jwt]: ['jwt', 'at+jwt'],
  [TOKEN_TYPE.idToken]: ['jwt'],
  [TOKEN_TYPE.refreshToken]: ['jwt', 'rt+jwt'],
};

export function isSubjectTokenType(v: string): v is SubjectTokenType {
  return (SUBJECT_TOKEN_TYPES as readonly string[]).includes(v);
}
export function isIssuableTokenType(v: string): v is IssuableTokenType {
  return (ISSUABLE_TOKEN_TYPES as readonly string[]).includes(v);
}
