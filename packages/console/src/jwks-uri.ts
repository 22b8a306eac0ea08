import { assertFetchableJwksUri } from '@sts/core/remote-jwks';
import type { ConsoleContext } from './context';
import { AppError } from './errors';

/**
 * A JWKS URI the STS will not fetch (plain http, except on loopback when allowed) is refused
 * when saved, not at the first token.
 */
export function assertFetchable(ctx: ConsoleContext, jwksUri: string | undefined): void {
  if (!jwksUri) return;
  try {
    assertFetchableJwksUri(jwksUri, { allowLoopbackHttp: ctx.allowLoopbackHttpJwks });
  } catch {
    const message = ctx.allowLoopbackHttpJwks
      ? 'must use https (or http on a loopback address)'
      : 'must use https';
    throw new AppError('INVALID_INPUT', `The JWKS URI ${message}`, { jwksUri: [message] });
  }
}
