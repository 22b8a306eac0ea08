import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  assertSingleValued,
  type FormParams,
  invalidRequest,
  OAuthError,
  parseForm,
  reasonCode,
  single,
  type TraceEntry,
  temporarilyUnavailable,
  toOAuthError,
} from '@sts/core';
import type { AuditRecord } from '@sts/db';
import { jwtVerify } from 'jose';
import type { StsApp } from '../app';
import { readFormBody } from '../http/body';
import { authenticateClient, claimedClientId } from '../http/client-auth';
import { limitAddress, limitClient, RateLimitedError } from '../http/rate-limit';
import { noteRefusal, type RequestLog } from '../http/request-log';
import { writeNoStore, writeOAuthError } from '../http/write';
import { boundedAuditRecord } from '../runtime/audit-bounds';
import type { TenantRuntime } from '../runtime/tenant-registry';

type Answer = Record<string, unknown> & { active: boolean };

/**
 * RFC 7662 token introspection of tokens this tenant issued. Only clients allowed to introspect
 * (`allowIntrospection`, RFC 7662 §4: the server decides which protected resources may) get an
 * answer; anything not issued by this tenant, or no longer valid, is inactive. Every request is
 * audited like a token exchange attempt (endpoint "introspect"), and an answer leaves only once
 * its record is written.
 */
export async function introspectRoute(
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestLog,
): Promise<void> {
  const realm = runtime.tenant.issuer;
  const limited = limitAddress(app, 'introspect', req);
  if (limited) {
    noteRefusal(request, limited);
    res.setHeader('Connection', 'close');
    return writeOAuthError(res, limited, realm);
  }
  const tenantId = runtime.tenant.id;
  let clientId = '';
  let authenticated = false;
  let answer: Answer | undefined;
  let failure: OAuthError | undefined;
  let trace: TraceEntry[] = [];
  try {
    const params: FormParams = parseForm(await readFormBody(req, app.limits.maxBodyBytes));
    assertSingleValued(params);
    clientId = claimedClientId(req.headers, params) ?? '';
    const { client } = await authenticateClient(req.headers, params, runtime, app.clientAuth);
    authenticated = true;
    limitClient(app, 'introspect', tenantId, client.clientId);
    if (!client.allowIntrospection)
      throw new OAuthError('unauthorized_client', 'The client may not use token introspection', {
        reason: { step: 'client', check: 'introspection' },
        detail: `client ${client.clientId} may not introspect`,
      });
    const token = single(params, 'token');
    if (token === undefined)
      throw invalidRequest('Missing token', { step: 'request', check: 'missing_parameter' });
    const result = await introspect(app, runtime, token);
    answer = result.answer;
    trace = [
      {
        step: 'client',
        check: 'introspection',
        outcome: 'pass',
        message: `client ${clientId} may introspect`,
      },
      {
        step: 'introspection',
        check: 'token',
        outcome: answer.active ? 'pass' : 'fail',
        message: result.message,
      },
    ];
  } catch (err) {
    failure = toOAuthError(err);
    if (failure instanceof RateLimitedError) {
      noteRefusal(request, failure);
      return writeOAuthError(res, failure, realm);
    }
    if (failure.error === 'server_error')
      app.log.error({ request_id: request.id, err }, 'introspection endpoint failed');
    trace = [{ ...failure.reason, outcome: 'fail', message: failure.detail }];
  }

  let record: AuditRecord = {
    tenantId,
    endpoint: 'introspect',
    clientId: clientId || undefined,
    subjectIssuer: answer?.active ? stringOrUndefined(answer.iss) : undefined,
    subjectSub: answer?.active ? stringOrUndefined(answer.sub) : undefined,
    actorChain: [],
    requestedAudiences: [],
    grantedAudiences: [],
    decision: failure ? 'denied' : 'granted',
    jti: answer?.active ? stringOrUndefined(answer.jti) : undefined,
    errorCode: failure?.error,
    reason: failure ? reasonCode(failure.reason) : undefined,
    errorDetail: failure?.detail,
    trace,
  };
  if (!authenticated) {
    record = boundedAuditRecord(record);
    if (record.truncatedChars) app.metrics.auditTruncated.inc({ endpoint: 'introspect' });
  }
  request.clientId = record.clientId;
  try {
    await app.audit(record);
  } catch (err) {
    app.log.error({ request_id: request.id, err }, 'audit write failed');
    if (answer) {
      failure = temporarilyUnavailable(
        'audit record not written',
        { step: 'server', check: 'audit' },
        err,
      );
      answer = undefined;
    }
  }
  if (answer) return writeNoStore(res, 200, answer);
  noteRefusal(request, failure as OAuthError);
  if (!req.complete) res.setHeader('Connection', 'close');
  writeOAuthError(res, failure as OAuthError, realm);
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);

async function introspect(
  app: StsApp,
  runtime: TenantRuntime,
  token: string,
): Promise<{ answer: Answer; message: string }> {
  if (token.length > app.limits.maxTokenChars)
    return { answer: { active: false }, message: 'token inactive: too large' };
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
    return {
      answer: { ...payload, active: true, token_type: tokenType },
      message: `token active: jti ${payload.jti}, sub ${payload.sub}`,
    };
  } catch (err) {
    const why = (err as { code?: unknown }).code;
    return {
      answer: { active: false },
      message: `token inactive${typeof why === 'string' ? `: ${why}` : ''}`,
    };
  }
}
