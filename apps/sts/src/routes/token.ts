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
  reasonCode,
  requestFacts,
  single,
  type TokenExchangeResponse,
  type TraceEntry,
  temporarilyUnavailable,
  toOAuthError,
} from '@sts/core';
import type { AuditRecord } from '@sts/db';
import type { StsApp } from '../app';
import { readFormBody } from '../http/body';
import { authenticateClient, claimedClientId } from '../http/client-auth';
import { limitAddress, limitClient, RateLimitedError } from '../http/rate-limit';
import { noteRefusal, type RequestLog } from '../http/request-log';
import { writeNoStore, writeOAuthError } from '../http/write';
import { boundedAuditRecord } from '../runtime/audit-bounds';
import type { TenantRuntime } from '../runtime/tenant-registry';

const GRANT_TYPE = { step: 'request', check: 'grant_type' } as const;

type Attempt =
  | { response: TokenExchangeResponse; record: AuditRecord }
  | { error: OAuthError; record: AuditRecord };

/**
 * An attempt's audit record; an unauthenticated failure's cut to bounds (anyone can send one, so
 * its request fields must not grow the audit by their full size).
 */
function recordOf(attempt: Attempt, authenticated: boolean, app: StsApp): AuditRecord {
  if (authenticated) return attempt.record;
  const bounded = boundedAuditRecord(attempt.record);
  if (bounded.truncatedChars) app.metrics.auditTruncated.inc({ endpoint: 'token' });
  return bounded;
}

/**
 * The token endpoint (RFC 6749 §3.2, RFC 8693 §2). Every attempt is audited; a token leaves
 * only once its audit record is written (else 503, and the token is dropped). Every audited
 * attempt is counted (sts_token_exchanges_total) and noted for the access line, without any
 * token or credential.
 */
export async function tokenRoute(
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestLog,
): Promise<void> {
  const realm = runtime.tenant.issuer;
  const limited = limitAddress(app, 'token', req);
  if (limited) {
    noteRefusal(request, limited);
    // The body is not read: the connection cannot carry another request.
    res.setHeader('Connection', 'close');
    return writeOAuthError(res, limited, realm);
  }
  const state = { authenticated: false };
  const attempt = await attemptExchange(app, runtime, req, state, request);
  if ('error' in attempt && attempt.error instanceof RateLimitedError) {
    noteRefusal(request, attempt.error);
    return writeOAuthError(res, attempt.error, realm);
  }
  const record = recordOf(attempt, state.authenticated, app);
  request.clientId = record.clientId;
  let refusal = 'error' in attempt ? attempt.error : undefined;
  try {
    await app.audit(record);
  } catch (err) {
    app.log.error({ request_id: request.id, err }, 'audit write failed');
    if ('response' in attempt)
      refusal = temporarilyUnavailable(
        'audit record not written',
        { step: 'server', check: 'audit' },
        err,
      );
  }
  app.metrics.exchanges.inc({
    tenant: runtime.tenant.id,
    client: state.authenticated ? (record.clientId ?? '') : '',
    rule: record.ruleId ?? '',
    outcome: refusal?.error ?? 'granted',
  });
  if ('response' in attempt && !refusal) return writeNoStore(res, 200, attempt.response);
  const error = refusal as OAuthError;
  noteRefusal(request, error);
  // A body we stopped reading (too large) leaves the connection unusable.
  if (!req.complete) res.setHeader('Connection', 'close');
  writeOAuthError(res, error, realm);
}

/** parse → grant type → client authentication → exchange (decide) → issue. Never throws. */
async function attemptExchange(
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  state: { authenticated: boolean },
  request: RequestLog,
): Promise<Attempt> {
  const tenantId = runtime.tenant.id;
  let params: FormParams = new Map();
  let clientId = '';
  try {
    params = parseForm(await readFormBody(req, app.limits.maxBodyBytes));
    assertSingleValued(params);
    clientId = claimedClientId(req.headers, params) ?? '';

    const grantType = single(params, 'grant_type');
    if (grantType === undefined) throw invalidRequest('Missing grant_type', GRANT_TYPE);
    if (grantType !== GRANT_TYPE_TOKEN_EXCHANGE)
      throw new OAuthError('unsupported_grant_type', 'The grant_type is not supported', {
        reason: GRANT_TYPE,
      });

    const { client } = await authenticateClient(req.headers, params, runtime, app.clientAuth);
    state.authenticated = true;
    limitClient(app, 'token', tenantId, client.clientId);
    const result = await exchange(params, {
      tenant: runtime.tenant,
      client,
      keys: app.keys,
      clock: app.clock,
      limits: app.limits,
      signatures: app.signatures,
    });
    if (!result.ok)
      return { error: result.error, record: auditRecord(result.facts, result.trace, result.error) };

    const issued = await issue(result.decision, runtime.tenant, {
      signer: app.signer,
      clock: app.clock,
    });
    const { aud } = result.decision.claims;
    return {
      response: issued.response,
      record: auditRecord(result.facts, result.trace, undefined, {
        grantedAudiences: Array.isArray(aud) ? aud : [aud],
        grantedScope: result.decision.scope.join(' ') || undefined,
        jti: issued.jti,
      }),
    };
  } catch (err) {
    const error = toOAuthError(err);
    if (error.error === 'server_error')
      app.log.error({ request_id: request.id, err }, 'token endpoint failed');
    const trace: TraceEntry[] = [{ ...error.reason, outcome: 'fail', message: error.detail }];
    return { error, record: auditRecord(requestFacts(params, tenantId, clientId), trace, error) };
  }
}

function auditRecord(
  facts: ExchangeFacts,
  trace: TraceEntry[],
  error: OAuthError | undefined,
  granted: Pick<AuditRecord, 'grantedScope' | 'jti'> & { grantedAudiences?: string[] } = {},
): AuditRecord {
  return {
    tenantId: facts.tenantId,
    clientId: facts.clientId || undefined,
    subjectIssuer: facts.subject?.iss,
    subjectSub: facts.subject?.sub,
    actor: facts.actor,
    actorChain: facts.actorChain,
    requestedAudiences: facts.requestedAudiences,
    requestedScope: facts.requestedScope,
    grantedAudiences: granted.grantedAudiences ?? [],
    grantedScope: granted.grantedScope,
    decision: error ? 'denied' : 'granted',
    ruleId: facts.ruleId,
    jti: granted.jti,
    errorCode: error?.error,
    reason: error ? reasonCode(error.reason) : undefined,
    errorDetail: error?.detail,
    trace,
  };
}
