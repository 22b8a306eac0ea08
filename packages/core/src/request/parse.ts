import { type FailureReason, invalidRequest, invalidTarget, OAuthError } from '../errors';
import type { Limits } from '../limits';
import {
  type IssuableTokenType,
  isIssuableTokenType,
  isSubjectTokenType,
  type SubjectTokenType,
  TOKEN_TYPE,
} from '../token-types';
import type { Trace } from '../trace';

/** Form parameters as sent: every value of every name, in order. */
export type FormParams = ReadonlyMap<string, readonly string[]>;

/** A token exchange request (RFC 8693 §2.1), parsed and checked for form. */
export interface TokenExchangeRequest {
  subjectToken: string;
  subjectTokenType: SubjectTokenType;
  actor?: { token: string; tokenType: SubjectTokenType };
  requestedTokenType: IssuableTokenType;
  /** Requested scope tokens; undefined when the request has no scope parameter. */
  scope?: string[];
  audiences: string[];
  resources: string[];
}

const REQUEST = (check: string): FailureReason => ({ step: 'request', check });

/** Parameters that may be repeated (RFC 8693 §2.1); every other one is single-valued. */
const MULTI_VALUED = new Set(['audience', 'resource']);

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Parses `application/x-www-form-urlencoded` text (UTF-8) into FormParams. Malformed percent
 * escapes or bytes that are not UTF-8 are an invalid_request, not silently replaced.
 * RFC 6749 §3.1: parameters sent without a value are treated as if omitted.
 */
export function parseForm(body: string): FormParams {
  const params = new Map<string, string[]>();
  if (body === '') return params;
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    if (value === '' || name === '') continue;
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw invalidRequest('The request body is not valid form encoding', REQUEST('form_encoding'));
  }
}

/** RFC 6749 §3.1: request parameters MUST NOT be included more than once. */
export function assertSingleValued(params: FormParams): void {
  for (const [name, values] of params) {
    if (values.length > 1 && !MULTI_VALUED.has(name))
      throw invalidRequest(
        `Parameter ${safeName(name)} is repeated`,
        REQUEST('repeated_parameter'),
      );
  }
}

export function single(params: FormParams, name: string): string | undefined {
  return params.get(name)?.[0];
}

/** RFC 8693 §2.1, in the order the section lists the parameters. */
export function parseTokenExchangeRequest(
  params: FormParams,
  limits: Limits,
  trace: Trace,
): TokenExchangeRequest {
  assertSingleValued(params);

  const subjectToken = required(params, 'subject_token');
  const subjectTokenType = tokenType(required(params, 'subject_token_type'), 'subject_token_type');
  checkTokenSize(subjectToken, 'subject_token', limits);

  // §2.1: actor_token_type is REQUIRED when actor_token is present, and MUST NOT be included otherwise.
  const actorToken = single(params, 'actor_token');
  const actorTokenType = single(params, 'actor_token_type');
  if (actorToken !== undefined && actorTokenType === undefined)
    throw invalidRequest(
      'actor_token_type is required with actor_token',
      REQUEST('actor_token_type'),
    );
  if (actorToken === undefined && actorTokenType !== undefined)
    throw invalidRequest(
      'actor_token_type must not be sent without actor_token',
      REQUEST('actor_token_type'),
    );
  let actor: TokenExchangeRequest['actor'];
  if (actorToken !== undefined && actorTokenType !== undefined) {
    checkTokenSize(actorToken, 'actor_token', limits);
    actor = { token: actorToken, tokenType: tokenType(actorTokenType, 'actor_token_type') };
  }

  const requested = single(params, 'requested_token_type') ?? TOKEN_TYPE.accessToken;
  if (!isIssuableTokenType(requested))
    throw invalidRequest(
      'Unsupported requested_token_type',
      REQUEST('requested_token_type'),
      `requested_token_type ${requested}`,
    );

  const audiences = [...(params.get('audience') ?? [])];
  const resources = [...(params.get('resource') ?? [])];
  if (audiences.length + resources.length > limits.maxTargets)
    throw invalidTarget(
      REQUEST('target_count'),
      `${audiences.length + resources.length} targets, limit ${limits.maxTargets}`,
    );
  // RFC 8707 §2: resource MUST be an absolute URI and MUST NOT include a fragment.
  for (const resource of resources)
    if (!isAbsoluteUriWithoutFragment(resource))
      throw invalidTarget(REQUEST('resource'), 'resource is not an absolute URI without fragment');

  const scopeParam = single(params, 'scope');
  const scope = scopeParam === undefined ? undefined : parseScope(scopeParam);

  trace.pass(
    'request',
    'parameters',
    `Token exchange request: subject_token_type ${subjectTokenType}` +
      (actor ? `, actor_token_type ${actor.tokenType}` : ', no actor token') +
      `, requested_token_type ${requested}` +
      `, audience [${audiences.join(', ')}], resource [${resources.join(', ')}]` +
      (scope ? `, scope "${scope.join(' ')}"` : ', no scope'),
  );
  return {
    subjectToken,
    subjectTokenType,
    actor,
    requestedTokenType: requested,
    scope,
    audiences,
    resources,
  };
}

function required(params: FormParams, name: string): string {
  const value = single(params, name);
  if (value === undefined) throw invalidRequest(`Missing ${name}`, REQUEST('missing_parameter'));
  return value;
}

/** RFC 8693 §2.2.2: an unsupported token type is an invalid_request. */
function tokenType(value: string, name: string): SubjectTokenType {
  if (!isSubjectTokenType(value))
    throw invalidRequest(
      `Unsupported ${name}`,
      REQUEST('token_type'),
      `${name} ${value} is not supported`,
    );
  return value;
}

function checkTokenSize(token: string, name: string, limits: Limits): void {
  if (token.length > limits.maxTokenChars)
    throw invalidRequest(
      `${name} is too large`,
      REQUEST('token_size'),
      `${token.length} characters, limit ${limits.maxTokenChars}`,
    );
}

export function parseScope(value: string): string[] {
  const tokens = value.split(' ').filter((t) => t !== '');
  if (tokens.length === 0 || !tokens.every((t) => SCOPE_TOKEN.test(t)))
    throw new OAuthError('invalid_scope', 'The requested scope is malformed', {
      reason: REQUEST('scope'),
    });
  return [...new Set(tokens)];
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.includes('#')) return false;
  return URL.canParse(value);
}

/** A parameter name safe to repeat in error_description. */
function safeName(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : 'parameter';
}
