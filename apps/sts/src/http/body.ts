import type { IncomingMessage } from 'node:http';
import { type FailureReason, invalidRequest } from '@sts/core';

const FORM = 'application/x-www-form-urlencoded';
const REQUEST = (check: string): FailureReason => ({ step: 'request', check });

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `maxBytes` (RFC 6749 §3.2 and
 * Appendix B), as UTF-8 text. Anything else is an invalid_request.
 */
export async function readFormBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const [type, ...params] = (req.headers['content-type'] ?? '')
    .split(';')
    .map((p) => p.trim().toLowerCase());
  if (type !== FORM) throw invalidRequest(`Content-Type must be ${FORM}`, REQUEST('content_type'));
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  if (charset !== undefined && charset !== 'utf-8')
    throw invalidRequest('Only UTF-8 bodies are accepted', REQUEST('charset'));

  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(req);
    chunks.push(chunk as Buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalidRequest('The request body is not UTF-8', REQUEST('body_encoding'));
  }
}

function tooLarge(req: IncomingMessage) {
  // Stop reading; the connection is closed after the response.
  req.pause();
  return invalidRequest('The request body is too large', REQUEST('body_size'));
}
