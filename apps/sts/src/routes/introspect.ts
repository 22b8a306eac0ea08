import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertSingleValued, invalidRequest, parseForm, single, toOAuthError } from '@sts/core';
import { jwtVerify } from 'jose';
import type { StsApp } from '../app';
import { readFormBody } from '../http/body';
import { authenticateClient } from '../http/client-auth';
import { writeNoStore, writeOAuthError } from '../http/write';
import type { TenantRuntime } from '../runtime/tenant-registry';

/**
 * RFC 7662 token introspection of tokens this tenant issued. Any authenticated client of the
 * tenant may introspect; anything not issued by this tenant, or no longer valid, is inactive.
 */
export async function introspectRoute(
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const params = parseForm(await readFormBody(req, app.limits.maxBodyBytes));
    assertSingleValued(params);
    await authenticateClient(req.headers, params, runtime, app.clientAuth);
    const token = single(params, 'token');
    if (token === undefined)
      throw invalidRequest('Missing token', { step: 'request', check: 'missing_parameter' });
    writeNoStore(res, 200, await introspect(app, runtime, token));
  } catch (err) {
    const error = toOAuthError(err);
    if (error.error === 'server_error') console.error('introspection endpoint:', err);
    writeOAuthError(res, error, runtime.tenant.issuer);
  }
}

async function introspect(app: StsApp, runtime: TenantRuntime, token: string) {
  if (token.length > app.limits.maxTokenChars) return { active: false };
  try {
    const { payload, protectedHeader } = await jwtVerify(token, runtime.keyRing.own.lookup, {
      algorithms: runtime.keyRing.own.algorithms,
      issuer: runtime.tenant.issuer,
      currentDate: new Date(app.clock()),
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    const tokenType = protectedHeader.typ === 'at+jwt' ? 'Bearer' : 'N_A';
    // The server's own members last: a carried claim named `active` or `token_type` (carryClaims)
    // must not override them (RFC 7662 §2.2).
    return { ...payload, active: true, token_type: tokenType };
  } catch {
    return { active: false };
  }
}
