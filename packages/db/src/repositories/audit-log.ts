import type { TraceEntry } from '@sts/core';
import { monotonicFactory } from 'ulid';
import type { Handles } from '../internal/handles';
import { sqlTimestamp } from '../internal/sql';

/** One actor of the `act` chain (RFC 8693 §4.1). */
export interface AuditActor {
  iss?: string;
  sub: string;
}

/** Which endpoint an audit record is about. */
export const AUDIT_ENDPOINTS = ['token', 'introspect'] as const;
export type AuditEndpoint = (typeof AUDIT_ENDPOINTS)[number];

/**
 * One decision, as the STS records it: a token exchange attempt (the token endpoint) or an
 * introspection request.
 */
export interface AuditRecord {
  tenantId: string;
  /** Default "token". */
  endpoint?: AuditEndpoint;
  clientId?: string;
  subjectIssuer?: string;
  subjectSub?: string;
  /**
   * Who tried to act: the verified actor token's subject, or the client itself when the request
   * had no actor token. Unknown (undefined) when the attempt failed before that was known.
   */
  actor?: { iss: string; sub: string };
  /** The issued token's actor chain, outermost (most recent) first; for a denial, the subject's. */
  actorChain: AuditActor[];
  requestedAudiences: string[];
  requestedScope?: string;
  grantedAudiences: string[];
  grantedScope?: string;
  decision: 'granted' | 'denied';
  /** The rule that decided. */
  ruleId?: string;
  /** The `jti` of the issued token. */
  jti?: string;
  /** The OAuth error code of a denial. */
  errorCode?: string;
  /** The failing check of a denial, `step.check` (core's reasonCode, docs/oauth-errors.md). */
  reason?: string;
  /** The precise reason of a denial (OAuthError.detail); never sent to the client. */
  errorDetail?: string;
  trace: TraceEntry[];
  /** Characters of request fields not stored (an unauthenticated failure keeps bounded fields). */
  truncatedChars?: number;
}

export interface AuditEvent extends AuditRecord {
  /** A ULID: sorts by creation time. */
  id: string;
  createdAt: Date;
}

/**
 * The audit log's writer for the token endpoint: a prepared better-sqlite3 statement, not Prisma
 * (hundreds of microseconds per query), as it runs on every request. Appends one record,
 * synchronously, in a few microseconds; throws when it cannot (then no token may be returned).
 */
export function auditWriter({ sqlite, clock }: Handles): (record: AuditRecord) => void {
  // Monotonic: ids of records written in the same millisecond still sort in write order.
  const ulid = monotonicFactory();
  const insert = sqlite.prepare(
    `INSERT INTO "audit_events" ("id", "tenant_id", "client_id", "subject_issuer", "subject_sub", "actor_sub", "actor_issuer", "actor_chain", "requested_audiences", "requested_scope", "granted_audiences", "granted_scope", "decision", "rule_id", "jti", "error_code", "reason", "error_detail", "trace", "endpoint", "truncated_chars", "created_at")
     VALUES (@id, @tenantId, @clientId, @subjectIssuer, @subjectSub, @actorSub, @actorIssuer, @actorChain, @requestedAudiences, @requestedScope, @grantedAudiences, @grantedScope, @decision, @ruleId, @jti, @errorCode, @reason, @errorDetail, @trace, @endpoint, @truncatedChars, @createdAt)`,
  );
  return (record) => {
    const now = clock();
    insert.run({
      id: ulid(now),
      tenantId: record.tenantId,
      clientId: record.clientId ?? null,
      subjectIssuer: record.subjectIssuer ?? null,
      subjectSub: record.subjectSub ?? null,
      actorSub: record.actor?.sub ?? null,
      actorIssuer: record.actor?.iss ?? null,
      actorChain: JSON.stringify(record.actorChain),
      requestedAudiences: JSON.stringify(record.requestedAudiences),
      requestedScope: record.requestedScope ?? null,
      grantedAudiences: JSON.stringify(record.grantedAudiences),
      grantedScope: record.grantedScope ?? null,
      decision: record.decision,
      ruleId: record.ruleId ?? null,
      jti: record.jti ?? null,
      errorCode: record.errorCode ?? null,
      reason: record.reason ?? null,
      errorDetail: record.errorDetail ?? null,
      trace: JSON.stringify(record.trace),
      endpoint: record.endpoint ?? 'token',
      truncatedChars: record.truncatedChars ?? null,
      createdAt: sqlTimestamp(now),
    });
  };
}

/**
 * Deletes audit records created before `cutoffMs`, at most `limit` of them (oldest first), in one
 * short statement: retention runs it in a loop, yielding between batches, so the token
 * endpoint's audit writes are never held up for long. Returns how many it deleted.
 */
export function auditPruner({ sqlite }: Handles): (cutoffMs: number, limit: number) => number {
  const prune = sqlite.prepare(
    `DELETE FROM "audit_events" WHERE "id" IN (SELECT "id" FROM "audit_events" WHERE "created_at" < ? ORDER BY "created_at" LIMIT ?)`,
  );
  return (cutoffMs, limit) => prune.run(sqlTimestamp(cutoffMs), limit).changes;
}
