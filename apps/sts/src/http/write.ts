import type { ServerResponse } from 'node:http';
import type { OAuthError } from '@sts/core';
import { RateLimitedError } from './rate-limit';

/** RFC 6749 §5.1: responses carrying tokens or errors are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function writeNoStore(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  writeJson(res, status, body, { ...NO_STORE, ...headers });
}

/**
 * The one way an OAuth error leaves the STS: only `error` and `error_description` reach the wire
 * (RFC 6749 §5.2); 401 carries WWW-Authenticate (RFC 9110 §11.6.1), 503 carries Retry-After.
 */
export function writeOAuthError(res: ServerResponse, err: OAuthError, realm: string): void {
  const headers: Record<string, string> = {};
  if (err.status === 401) headers['WWW-Authenticate'] = `Basic realm="${realm}", charset="UTF-8"`;
  if (err.status === 503) headers['Retry-After'] = '5';
  if (err instanceof RateLimitedError) headers['Retry-After'] = String(err.retryAfterSeconds);
  writeNoStore(res, err.status, err.toJSON(), headers);
}
