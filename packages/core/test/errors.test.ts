/**
 * The one error type, two audiences (STYLE.md §1, docs/oauth-errors.md): only `error` and an
 * `error_description` of printable ASCII without '"' or '\' reach the wire (RFC 6749 §5.2); the
 * precise reason stays in `detail` and the trace; unknown throws are a generic server_error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OAuthError,
  reasonCode,
  safeDescription,
  temporarilyUnavailable,
  toOAuthError,
} from '../src/errors';
import type { KeyResolver } from '../src/ports';
import { TOKEN_TYPE } from '../src/token-types';
import {
  A1,
  type AppendixA,
  appendixA,
  ORIGINAL_ISSUER,
  RULE_A1,
} from './fixtures/rfc8693-appendix-a';
import {
  ERROR_DESCRIPTION_CHARSET,
  expectRefused,
  SUBJECT_TOKEN_INVALID,
} from './helpers/expect-oauth';
import { form } from './helpers/memory-ports';

const SERVER_ERROR = 'The server encountered an unexpected condition';
const UNAVAILABLE = 'The service is temporarily unavailable, retry later';

let w: AppendixA;
let token: string;
beforeAll(async () => {
  w = await appendixA({
    rules: [RULE_A1, { ...RULE_A1, id: 'self', subjectIssuers: ['self'] }],
  });
  token = await w.a1.subjectToken();
});

describe('OAuthError', () => {
  it('replaces characters RFC 6749 §5.2 forbids in error_description', () => {
    const error = new OAuthError('invalid_request', 'bad "quote", back\\slash, new\nline, é', {
      reason: { step: 'request', check: 'test' },
    });
    expect(error.description).toBe('bad ?quote?, back?slash, new?line, ?');
    expect(error.description).toMatch(ERROR_DESCRIPTION_CHARSET);
    expect(error.toJSON()).toEqual({
      error: 'invalid_request',
      error_description: 'bad ?quote?, back?slash, new?line, ?',
    });
  });

  it('caps error_description at 200 characters', () => {
    expect(safeDescription('x'.repeat(500))).toHaveLength(200);
  });

  it('keeps the detail for the trace and the audit record, off the wire', () => {
    const error = new OAuthError('invalid_request', 'Generic', {
      reason: { step: 'subject_token', check: 'signature' },
      detail: 'precise "reason"',
    });
    expect(error.detail).toBe('precise "reason"');
    expect(reasonCode(error.reason)).toBe('subject_token.signature');
    expect(JSON.stringify(error.toJSON())).not.toContain('precise');
  });
});

describe('toOAuthError', () => {
  it('turns an unknown Error into a generic server_error 500 without leaking its message', () => {
    const cause = new Error('connect ECONNREFUSED postgres://sts:hunter2@db:5432');
    const error = toOAuthError(cause);
    expect({ error: error.error, status: error.status, description: error.description }).toEqual({
      error: 'server_error',
      status: 500,
      description: SERVER_ERROR,
    });
    expect(error.toJSON()).toEqual({ error: 'server_error', error_description: SERVER_ERROR });
    expect(error.detail).toBe('Error: connect ECONNREFUSED postgres://sts:hunter2@db:5432');
    expect(error.cause).toBe(cause);
  });

  it('turns a thrown non-Error into a server_error too', () => {
    const error = toOAuthError('a string');
    expect([error.error, error.status, error.description, error.detail]).toEqual([
      'server_error',
      500,
      SERVER_ERROR,
      'a string',
    ]);
  });

  it('passes an OAuthError through unchanged', () => {
    const original = temporarilyUnavailable('JWKS down', { step: 'server', check: 'jwks' });
    expect(toOAuthError(original)).toBe(original);
  });
});

describe('every refusal has a safe error_description, whatever the input', () => {
  const hostile = 'x"y\\z\u00e9\n';
  const cases: [string, () => Promise<Record<string, string | string[] | undefined>>][] = [
    ['a repeated parameter with a hostile name', async () => ({ [`p${hostile}`]: ['1', '2'] })],
    ['a hostile subject_token_type', async () => ({ subject_token_type: `urn:${hostile}` })],
    ['a hostile actor_token_type', async () => ({ actor_token: token, actor_token_type: hostile })],
    ['a hostile requested_token_type', async () => ({ requested_token_type: hostile })],
    ['a hostile resource', async () => ({ resource: `https://backend.example.com/${hostile}` })],
    ['a hostile audience', async () => ({ audience: `https://${hostile}` })],
    ['a hostile scope', async () => ({ scope: `orders ${hostile}` })],
    ['a hostile subject token', async () => ({ subject_token: `${hostile}.${hostile}.x` })],
    [
      'a subject token with a hostile iss',
      async () => ({ subject_token: await w.a1.subjectToken({ iss: `https://${hostile}` }) }),
    ],
    [
      'a subject token with a hostile typ',
      async () => ({ subject_token: await w.a1.subjectToken({}, { header: { typ: hostile } }) }),
    ],
  ];

  it.each(cases)('%s', async (_what, params) => {
    const result = await w.exchange(w.a1.request(token, await params()));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const body = result.error.toJSON();
    expect(Object.keys(body)).toEqual(['error', 'error_description']);
    expect(body.error_description).toMatch(ERROR_DESCRIPTION_CHARSET);
    expect(body.error_description).not.toContain('x"y');
    expect(body.error_description).not.toContain('x?y?z');
    expect(result.trace.filter((e) => e.outcome === 'fail')).not.toEqual([]);
  });
});

describe('failing ports', () => {
  const withIssuerKey = (issuerKey: KeyResolver['issuerKey']): KeyResolver => ({
    issuerKey,
    ownKey: (tenant, header) => w.keys.ownKey(tenant, header),
    ownAlgorithms: (tenant) => w.keys.ownAlgorithms(tenant),
  });

  it('answers temporarily_unavailable 503 when the KeyResolver cannot reach a JWKS', async () => {
    const keys = withIssuerKey(async () => {
      throw temporarilyUnavailable(`JWKS of ${ORIGINAL_ISSUER} unreachable, no cached key`, {
        step: 'server',
        check: 'jwks_unavailable',
      });
    });
    const result = await w.exchange(w.a1.request(token), A1.client, { keys });
    expectRefused(result, {
      error: 'temporarily_unavailable',
      status: 503,
      description: UNAVAILABLE,
      detail: `JWKS of ${ORIGINAL_ISSUER} unreachable, no cached key`,
      trace: {
        step: 'subject_token',
        check: 'keys',
        message: `JWKS of ${ORIGINAL_ISSUER} unreachable, no cached key`,
      },
    });
  });

  it('answers server_error 500, not invalid_request, when the KeyResolver fails unexpectedly', async () => {
    const keys = withIssuerKey(async () => {
      throw new Error('key cache corrupted at /var/lib/sts');
    });
    const result = await w.exchange(w.a1.request(token), A1.client, { keys });
    const error = expectRefused(result, {
      error: 'server_error',
      status: 500,
      description: SERVER_ERROR,
      detail: 'Error: key cache corrupted at /var/lib/sts',
      trace: { step: 'subject_token', check: 'keys' },
    });
    expect(error.description).not.toContain('/var/lib/sts');
  });

  it('turns any other unexpected throw into server_error 500, recorded in the trace', async () => {
    const keys: KeyResolver = {
      issuerKey: (tenant, issuer, header) => w.keys.issuerKey(tenant, issuer, header),
      ownKey: (tenant, header) => w.keys.ownKey(tenant, header),
      ownAlgorithms: () => {
        throw new TypeError('ring not loaded');
      },
    };
    const own = await w.exchangeAndIssue(w.a1.request(token));
    const result = await w.exchange(w.a1.request(own.response.access_token), A1.client, {
      keys,
    });
    expectRefused(result, {
      error: 'server_error',
      status: 500,
      description: SERVER_ERROR,
      detail: 'TypeError: ring not loaded',
      trace: { step: 'server', check: 'error', message: 'TypeError: ring not loaded' },
    });
  });

  it('still answers a bad token with invalid_request when the resolver finds no key', async () => {
    const keys = withIssuerKey(async () => undefined);
    const result = await w.exchange(
      form({
        subject_token: token,
        subject_token_type: TOKEN_TYPE.accessToken,
        audience: A1.audience,
      }),
      A1.client,
      { keys },
    );
    expectRefused(result, {
      error: 'invalid_request',
      status: 400,
      description: SUBJECT_TOKEN_INVALID,
      detail: `no key of ${ORIGINAL_ISSUER} matches kid "${w.idp.es256.kid}" and alg ES256`,
      trace: { step: 'subject_token', check: 'keys' },
    });
  });
});
