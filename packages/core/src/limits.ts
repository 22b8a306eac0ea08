/** Size and depth limits of the token endpoint (defaults of ../docs/security.md; configurable). */
export interface Limits {
  /** Largest request body, bytes. */
  maxBodyBytes: number;
  /** Largest subject or actor token, characters. */
  maxTokenChars: number;
  /** Most audience + resource values in one request. */
  maxTargets: number;
  /** Deepest `act` nesting accepted on input tokens. */
  maxActDepth: number;
  /** Allowed clock skew for exp, nbf and iat, seconds. */
  clockSkewSeconds: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 64 * 1024,
  maxTokenChars: 16 * 1024,
  maxTargets: 10,
  maxActDepth: 5,
  clockSkewSeconds: 30,
};
