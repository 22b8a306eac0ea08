/**
 * Assertions shared by the token endpoint's HTTP tests (token-*, audit-*, tenant-*): the error
 * contract of docs/oauth-errors.md, checked on the wire.
 */
import { request } from 'node:http';
import { expect } from 'vitest';
import type { Reply } from './helpers/http';

/** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
export const ERROR_DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;

/** The generic words a client gets (packages/core/src/errors.ts); the reason is in the audit. */
// Decision 0005: one description whether a token failed to verify or no rule accepted it, so a
// caller cannot tell whether its token verified (nor which token failed).
export const EXCHANGE_REFUSED =
  'The subject_token or actor_token is not acceptable for this exchange';
export const SUBJECT_TOKEN_INVALID = EXCHANGE_REFUSED;
export const ACTOR_TOKEN_INVALID = EXCHANGE_REFUSED;
export const NOT_ALLOWED = EXCHANGE_REFUSED;
export const TARGET_NOT_ALLOWED = 'The requested audience or resource is not allowed';
export const SCOPE_NOT_ALLOWED = 'The requested scope is not allowed';
export const CLIENT_AUTH_FAILED = 'Client authentication failed';
export const UNAVAILABLE = 'The service is temporarily unavailable, retry later';

export interface ExpectedError {
  status: number;
  error: string;
  error_description: string;
}

/**
 * Asserts an error response exactly: status, the JSON body `{error, error_description}` and
 * nothing else, a description in RFC 6749's character set, `Cache-Control: no-store`, a JSON
 * content type, WWW-Authenticate on 401 and Retry-After on 503, and no echo of `inputs` (tokens,
 * secrets) anywhere in the response.
 */
export function expectOAuthError(
  reply: Reply,
  expected: ExpectedError,
  inputs: string[] = [],
): void {
  const { status, ...body } = expected;
  expect(reply.status, reply.text).toBe(status);
  expect(reply.status).not.toBe(200);
  expect(reply.body).toStrictEqual(body);
  expect(Object.keys(reply.body).sort()).toEqual(['error', 'error_description']);
  expect(reply.body.error_description).toMatch(ERROR_DESCRIPTION_CHARSET);
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('pragma')).toBe('no-cache');
  expect(reply.headers.get('content-type')).toMatch(/^application\/json\b/);
  if (status === 401) expect(reply.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
  else expect(reply.headers.get('www-authenticate')).toBeNull();
  if (status === 503) expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
  const headerText = [...reply.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  for (const input of inputs) {
    expect(reply.text).not.toContain(input);
    expect(headerText).not.toContain(input);
    // Not even a recognisable part of a JWT (its signature, or its payload).
    for (const part of input.split('.').filter((p) => p.length >= 16)) {
      expect(reply.text).not.toContain(part);
      expect(headerText).not.toContain(part);
    }
  }
}

/** Asserts the successful response's headers (RFC 6749 §5.1). */
export function expectNoStoreJson(reply: Reply): void {
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('pragma')).toBe('no-cache');
  expect(reply.headers.get('content-type')).toMatch(/^application\/json(;\s*charset=utf-8)?$/i);
}

/**
 * A request with full control over method, headers and body bytes (no content type is added,
 * no body means none at all; without content-length a body is sent chunked). Resolves with the
 * response even if the server stops reading the body and closes the connection.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    /** An array sends the header once per value. */
    headers?: Record<string, string | string[]>;
    body?: string | Buffer;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          let body: Record<string, unknown> = {};
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = {};
          }
          resolve({ status: res.statusCode ?? 0, headers, body, text });
        });
      },
    );
    // Writing a body the server has stopped reading may fail once it has answered: that is fine.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
