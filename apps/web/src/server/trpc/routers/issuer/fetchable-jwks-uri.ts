import 'server-only';
import { assertFetchableJwksUri } from '@sts/core/remote-jwks';
import type { z } from 'zod';
import { consoleEnv } from '~/env';

/**
 * Refinement of an input with a `jwksUri`: one the STS will not fetch (plain http, except on
 * loopback when STS_ALLOW_LOOPBACK_HTTP_JWKS=true) is refused when saved, not at the first token.
 */
export function checkFetchableJwksUri(value: { jwksUri?: string }, ctx: z.RefinementCtx): void {
  if (!value.jwksUri) return;
  try {
    assertFetchableJwksUri(value.jwksUri, jwksFetchOptions());
  } catch {
    ctx.addIssue({
      code: 'custom',
      path: ['jwksUri'],
      message: jwksFetchOptions().allowLoopbackHttp
        ? 'must use https (or http on a loopback address)'
        : 'must use https',
    });
  }
}

export const jwksFetchOptions = () => ({
  allowLoopbackHttp: consoleEnv().STS_ALLOW_LOOPBACK_HTTP_JWKS,
});
