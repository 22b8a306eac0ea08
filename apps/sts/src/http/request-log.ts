import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type OAuthError, reasonCode } from '@sts/core';
import type { Logger } from '../runtime/logger';

/** The route a request matched: the access line's and the latency histogram's label. */
export type RouteName =
  | 'token'
  | 'introspect'
  | 'jwks'
  | 'metadata'
  | 'healthz'
  | 'readyz'
  | 'not_found';

/**
 * What the access line says about one request. The server creates it, the routes fill in what
 * they learn (the authenticated or claimed client, the OAuth error and its reason code); it is
 * the only per-request logging state (no child logger per request: decision 0021).
 */
export interface RequestLog {
  /** Also the X-Request-Id response header. */
  id: string;
  route: RouteName;
  tenant?: string;
  clientId?: string;
  /** The OAuth error code of a refusal (RFC 6749 §5.2). */
  error?: string;
  /** The refusal's stable reason code (docs/oauth-errors.md), as the audit record has it. */
  reason?: string;
}

/**
 * A caller's X-Request-Id is kept only when it is a short token of safe characters: it is
 * echoed in a response header and written to every log line, so anything longer or stranger
 * (a header injection, a log forging attempt, a secret pasted by mistake) is replaced.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Records a refusal for the access line. */
export function noteRefusal(request: RequestLog, error: OAuthError): void {
  request.error = error.error;
  request.reason = reasonCode(error.reason);
}

/** A path is written at most this long: it is the one free-form field a caller controls. */
const MAX_PATH_CHARS = 128;

/**
 * The access line: one per request, chosen fields only (never a header value, the query string
 * or the body, where credentials and tokens travel).
 */
export function writeAccessLine(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestLog,
  durationMs: number,
): void {
  const path = (req.url ?? '/').split('?', 1)[0] as string;
  log.info(
    {
      request_id: request.id,
      method: req.method,
      path: path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path,
      route: request.route,
      tenant: request.tenant,
      status: res.statusCode,
      duration_ms: Math.round(durationMs * 100) / 100,
      client_id: request.clientId,
      error: request.error,
      reason: request.reason,
    },
    'request',
  );
}
