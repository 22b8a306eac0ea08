/**
 * The one error type of the token endpoint (RFC 6749 §5.2, RFC 8693 §2.2.2).
 * Two audiences: `error` and `description` reach the client; `detail` (the precise reason)
 * reaches only the decision trace and the audit record.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'server_error'
  | 'temporarily_unavailable';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** The step of an exchange attempt a check belongs to. */
export type ReasonStep =
  | 'request'
  | 'client'
  | 'subject_token'
  | 'actor_token'
  | 'policy'
  | 'issue'
  | 'server';

/**
 * Why an attempt failed, as stable identifiers (the failing check of the decision trace): what
 * code groups and filters by, where `detail` is words for people. Listed in docs/oauth-errors.md.
 */
export interface FailureReason {
  step: ReasonStep;
  /** The check within the step, e.g. "signature", "audience", "scope". */
  check: string;
}

/** "subject_token.signature": a reason as one string (the audit record's `reason` column). */
export const reasonCode = (reason: FailureReason): string => `${reason.step}.${reason.check}`;

export interface OAuthErrorOptions {
  /** The check that failed. */
  reason: FailureReason;
  /** The precise reason in words, for the trace and the audit record only. */
  detail?: string;
  cause?: unknown;
  status?: number;
}

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  /** error_description sent to the client: printable ASCII without '"' or '\' (RFC 6749 §5.2). */
  readonly description: string;
  readonly detail: string;
  readonly reason: FailureReason;

  constructor(error: OAuthErrorCode, description: string, options: OAuthErrorOptions) {
    super(`${error}: ${options.detail ?? description}`, { cause: options.cause });
    this.name = 'OAuthError';
    this.error = error;
    this.status = options.status ?? STATUS[error];
    this.description = safeDescription(description);
    this.detail = options.detail ?? description;
    this.reason = options.reason;
  }

  /** The same error attributed to another check: a port's failure, seen from the step calling it. */
  withReason(reason: FailureReason): OAuthError {
    return new OAuthError(this.error, this.description, {
      reason,
      detail: this.detail,
      cause: this.cause,
      status: this.status,
    });
  }

  /** The body of the error response. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
export function safeDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?').slice(0, 200);
}

export const invalidRequest = (description: string, reason: FailureReason, detail?: string) =>
  new OAuthError('invalid_request', description, { reason, detail });

/**
 * The one description of every refusal of the tokens or of the exchange itself (decision 0005):
 * a subject or actor token that did not verify, a token that verified but no rule accepts, a
 * subject token that expires too soon. A caller cannot tell from it whether its token verified,
 * nor which of its tokens failed; the precise reason is in `detail`, the trace and the audit.
 */
export const EXCHANGE_REFUSED =
  'The subject_token or actor_token is not acceptable for this exchange';

/** An invalid_request for a refused exchange (EXCHANGE_REFUSED), with its precise reason. */
export const exchangeRefused = (reason: FailureReason, detail: string) =>
  new OAuthError('invalid_request', EXCHANGE_REFUSED, { reason, detail });

/**
 * RFC 8693 §2.2.2: an invalid subject or actor token is an invalid_request. The caller gets the
 * same words whatever went wrong, and the same as for a policy refusal; the reason is kept in
 * `detail`.
 */
export const invalidToken = (
  which: 'subject_token' | 'actor_token',
  check: string,
  detail: string,
) => exchangeRefused({ step: which, check }, detail);

export const invalidTarget = (reason: FailureReason, detail: string) =>
  new OAuthError('invalid_target', 'The requested audience or resource is not allowed', {
    reason,
    detail,
  });

export const invalidScope = (reason: FailureReason, detail: string) =>
  new OAuthError('invalid_scope', 'The requested scope is not allowed', { reason, detail });

export const temporarilyUnavailable = (detail: string, reason: FailureReason, cause?: unknown) =>
  new OAuthError('temporarily_unavailable', 'The service is temporarily unavailable, retry later', {
    reason,
    detail,
    cause,
  });

/** Anything that is not an OAuthError becomes a generic server_error; nothing of it leaks. */
export function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  return new OAuthError('server_error', 'The server encountered an unexpected condition', {
    reason: { step: 'server', check: 'error' },
    detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    cause: err,
  });
}
