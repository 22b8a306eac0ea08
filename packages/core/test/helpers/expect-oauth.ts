/**
 * Assertions shared by the exchange tests: every refusal is checked for both audiences — what
 * reaches the wire (error, status, error_description) and the precise reason (detail + trace).
 */
import { expect } from 'vitest';
import type { FailureReason, OAuthError, OAuthErrorCode } from '../../src/errors';
import type { Decision, ExchangeResult } from '../../src/exchange';

/** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
export const ERROR_DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The generic words a client gets for any problem with a token (RFC 8693 §2.2.2). */
// Decision 0005: one description whether a token failed to verify or no rule accepted it, so a
// caller cannot tell whether its token verified (nor which token failed).
export const EXCHANGE_REFUSED =
  'The subject_token or actor_token is not acceptable for this exchange';
export const SUBJECT_TOKEN_INVALID = EXCHANGE_REFUSED;
export const ACTOR_TOKEN_INVALID = EXCHANGE_REFUSED;
export const NOT_ALLOWED = EXCHANGE_REFUSED;
export const TARGET_NOT_ALLOWED = 'The requested audience or resource is not allowed';
export const SCOPE_NOT_ALLOWED = 'The requested scope is not allowed';

export interface ExpectedError {
  error: OAuthErrorCode;
  status: number;
  description: string;
  /** The precise reason: exact text, or a pattern when it embeds generated values. */
  detail: string | RegExp;
  /** The failing trace entry that records the reason. */
  trace: { step: string; check: string; message?: string | RegExp };
  /**
   * The error's reason, when it is not the failing trace entry itself (for a rule's check
   * `rule:<id>` it is `policy.<check>` by default).
   */
  reason?: FailureReason;
}

/** Asserts a refused exchange, on the wire and in the trace; returns the error. */
export function expectRefused(result: ExchangeResult, expected: ExpectedError): OAuthError {
  if (result.ok) {
    expect.unreachable(`expected ${expected.error}, but the exchange was granted`);
  }
  const { error, trace } = result;
  expect({ error: error.error, status: error.status, description: error.description }).toEqual({
    error: expected.error,
    status: expected.status,
    description: expected.description,
  });
  expect(error.toJSON()).toEqual({
    error: expected.error,
    error_description: expected.description,
  });
  expect(error.description).toMatch(ERROR_DESCRIPTION_CHARSET);
  if (typeof expected.detail === 'string') expect(error.detail).toBe(expected.detail);
  else expect(error.detail).toMatch(expected.detail);
  const { step, check } = expected.trace;
  expect(error.reason).toEqual(
    expected.reason ?? (step.startsWith('rule:') ? { step: 'policy', check } : { step, check }),
  );

  const failing = trace.filter((e) => e.outcome === 'fail');
  expect(failing).toContainEqual(
    expect.objectContaining({
      step: expected.trace.step,
      check: expected.trace.check,
      ...(expected.trace.message === undefined
        ? {}
        : {
            message:
              typeof expected.trace.message === 'string'
                ? expected.trace.message
                : expect.stringMatching(expected.trace.message),
          }),
    }),
  );
  return error;
}

/** Asserts a granted exchange and returns its decision. */
export function expectGranted(result: ExchangeResult): Decision {
  if (!result.ok) {
    expect.unreachable(`expected a grant, got ${result.error.error}: ${result.error.detail}`);
  }
  expect(result.trace).toContainEqual(
    expect.objectContaining({ step: 'policy', check: 'decision', outcome: 'pass' }),
  );
  return result.decision;
}
