import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  assertSingleValued,
  type ExchangeFacts,
  exchange,
  type FormParams,
  GRANT_TYPE_TOKEN_EXCHANGE,
  invalidRequest,
  issue,
  OAuthError,
  parseForm,
  single,
  type TraceEntry,
  temporarilyUnavailable,
  toOAuthError,
} from '@sts/core';
import type { AuditRecord } from '@sts/db';
import type { StsApp } from '../app.js';
import { readFormBody } from '../http/body.js';
import { authenticateClient, claimedClientId } from '../http/client-auth.js';
import { writeNoStore, writeOAuthError } from '../http/write.js';
import type { TenantRuntime } from '../runtime/tenant-registry.js';

/**
 * The token endpoint (RFC 6749 §3.2, RFC 8693 §2): parse → grant type → client authentication
 * → exchange (decide) → issue → audit → respond. Every attempt is audited; no token leaves
 * without its audit record.
 */
export async function tokenRoute(
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const realm = runtime.tenant.issuer;
  let params: FormParams = new Map();
  const attempt: Partial<AuditRecord> = {};
  try {
    params = parseForm(await readFormBody(req, app.limits.maxBodyBytes));
    assertSingleValued(params);
    attempt.clientId = claimedClientId(req.headers, params);

    const grantType = single(params, 'grant_type');
    if (grantType === undefined) throw invalidRequest('Missing grant_type');
    if (grantType !== GRANT_TYPE_TOKEN_EXCHANGE)
      throw new OAuthError('unsupported_grant_type', 'The grant_type is not supported');

    const { client } = await authenticateClient(req.headers, params, runtime, app.clientAuth);
    const result = await exchange(params, {
      tenant: runtime.tenant,
      client,
      keys: app.keys,
      clock: app.clock,
      limits: app.limits,
    });
    if (!result.ok) {
      record(app, runtime, result.facts, result.trace, result.error, attempt);
      return writeOAuthError(res, result.error, realm);
    }
    const issued = await issue(result.decision, runtime.tenant, {
      signer: app.signer,
      clock: app.clock,
    });
    try {
      record(app, runtime, result.facts, result.trace, undefined, {
        grantedAudiences: toArray(result.decision.claims.aud),
        grantedScope: result.decision.scope.join(' ') || undefined,
        jti: issued.jti,
      });
    } catch (err) {
      throw temporarilyUnavailable('audit record could not be written', err);
    }
    writeNoStore(res, 200, issued.response);
  } catch (err) {
    const error = toOAuthError(err);
    if (error.error === 'server_error') console.error('token endpoint:', err);
    if (error.error === 'invalid_request' && req.readable) res.setHeader('Connection', 'close');
    const facts: ExchangeFacts = {
      tenantId: runtime.tenant.id,
      clientId: attempt.clientId ?? '',
      actorChain: [],
      requestedAudiences: [...(params.get('audience') ?? []), ...(params.get('resource') ?? [])],
      requestedScope: params.get('scope')?.[0],
    };
    const trace: TraceEntry[] = [
      { step: 'request', check: error.error, outcome: 'fail', message: error.detail },
    ];
    try {
      record(app, runtime, facts, trace, error, {});
    } catch (auditErr) {
      console.error('audit write failed:', auditErr);
    }
    writeOAuthError(res, error, realm);
  }
}

function record(
  app: StsApp,
  runtime: TenantRuntime,
  facts: ExchangeFacts,
  trace: TraceEntry[],
  error: OAuthError | undefined,
  extra: Partial<AuditRecord>,
): void {
  app.audit({
    tenantId: runtime.tenant.id,
    clientId: facts.clientId || extra.clientId || undefined,
    subjectIssuer: facts.subject?.iss,
    subjectSub: facts.subject?.sub,
    actorChain: facts.actorChain,
    requestedAudiences: facts.requestedAudiences,
    requestedScope: facts.requestedScope,
    grantedAudiences: extra.grantedAudiences ?? [],
    grantedScope: extra.grantedScope,
    decision: error ? 'denied' : 'granted',
    ruleId: facts.ruleId,
    jti: extra.jti,
    errorCode: error?.error,
    errorDetail: error?.detail,
    trace,
  });
}

const toArray = (aud: string | string[]) => (Array.isArray(aud) ? aud : [aud]);
