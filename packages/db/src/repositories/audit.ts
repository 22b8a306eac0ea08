import type { Clock, TraceEntry } from '@sts/core';
import { monotonicFactory } from 'ulid';
import type { Database } from '../open';
import { sqlTimestamp } from './sql';
import { oneOf, parseStoredJson } from './stored';

/** One actor of the `act` chain (RFC 8693 §4.1). */
export interface AuditActor {
  iss?: string;
  sub: string;
}

/** One token exchange decision, as the token endpoint records it. */
export interface AuditRecord {
  tenantId: string;
  clientId?: string;
  subjectIssuer?: string;
  subjectSub?: string;
  /** Outermost (most recent) actor first. */
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
  /** The precise reason of a denial (OAuthError.detail); never sent to the client. */
  errorDetail?: string;
  trace: TraceEntry[];
}

export interface AuditEvent extends AuditRecord {
  /** A ULID: sorts by creation time. */
  id: string;
  createdAt: Date;
}

export interface AuditWriter {
  /** Appends the record; synchronous, a few microseconds (a prepared statement). */
  write(record: AuditRecord): void;
}

/**
 * The audit log's writer for the token endpoint. It uses a prepared better-sqlite3 statement,
 * not Prisma (hundreds of microseconds per query): it runs on every request.
 */
export function createAuditWriter(
  db: Pick<Database, 'sqlite'>,
  clock: Clock = Date.now,
): AuditWriter {
  // Monotonic: ids of records written in the same millisecond still sort in write order.
  const ulid = monotonicFactory();
  const insert = db.sqlite.prepare(
    `INSERT INTO "audit_events" ("id", "tenant_id", "client_id", "subject_issuer", "subject_sub", "actor_chain", "requested_audiences", "requested_scope", "granted_audiences", "granted_scope", "decision", "rule_id", "jti", "error_code", "error_detail", "trace", "created_at")
     VALUES (@id, @tenantId, @clientId, @subjectIssuer, @subjectSub, @actorChain, @requestedAudiences, @requestedScope, @grantedAudiences, @grantedScope, @decision, @ruleId, @jti, @errorCode, @errorDetail, @trace, @createdAt)`,
  );
  return {
    write(record) {
      const now = clock();
      insert.run({
        id: ulid(now),
        tenantId: record.tenantId,
        clientId: record.clientId ?? null,
        subjectIssuer: record.subjectIssuer ?? null,
        subjectSub: record.subjectSub ?? null,
        actorChain: JSON.stringify(record.actorChain),
        requestedAudiences: JSON.stringify(record.requestedAudiences),
        requestedScope: record.requestedScope ?? null,
        grantedAudiences: JSON.stringify(record.grantedAudiences),
        grantedScope: record.grantedScope ?? null,
        decision: record.decision,
        ruleId: record.ruleId ?? null,
        jti: record.jti ?? null,
        errorCode: record.errorCode ?? null,
        errorDetail: record.errorDetail ?? null,
        trace: JSON.stringify(record.trace),
        createdAt: sqlTimestamp(now),
      });
    },
  };
}

/** The tenant's most recent audit events, newest first. */
export async function listAudit(
  db: Pick<Database, 'prisma'>,
  tenantId: string,
  { limit }: { limit: number },
): Promise<AuditEvent[]> {
  const rows = await db.prisma.auditEvent.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((row) => {
    const json = <T>(text: string, column: string) =>
      parseStoredJson(text, `audit event ${row.id}: ${column}`) as T;
    return {
      id: row.id,
      createdAt: row.createdAt,
      tenantId: row.tenantId,
      clientId: row.clientId ?? undefined,
      subjectIssuer: row.subjectIssuer ?? undefined,
      subjectSub: row.subjectSub ?? undefined,
      actorChain: json<AuditActor[]>(row.actorChain, 'actor_chain'),
      requestedAudiences: json<string[]>(row.requestedAudiences, 'requested_audiences'),
      requestedScope: row.requestedScope ?? undefined,
      grantedAudiences: json<string[]>(row.grantedAudiences, 'granted_audiences'),
      grantedScope: row.grantedScope ?? undefined,
      decision: oneOf(['granted', 'denied'], row.decision, `audit event ${row.id}: decision`),
      ruleId: row.ruleId ?? undefined,
      jti: row.jti ?? undefined,
      errorCode: row.errorCode ?? undefined,
      errorDetail: row.errorDetail ?? undefined,
      trace: json<TraceEntry[]>(row.trace, 'trace'),
    };
  });
}
