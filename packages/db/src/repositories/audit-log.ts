import type { TraceEntry } from '@sts/core';
import { GroupCommit } from '../internal/group-commit';
import type { Handles } from '../internal/handles';
import { type Sql, sqlTimestamp } from '../internal/sql';
import type { SqliteAuditThread } from '../internal/sqlite-audit-thread';
import { monotonicUlid } from '../internal/ulid';

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

/** The audit_events columns the writer fills, in order. */
const COLUMNS = [
  ['id', 'text'],
  ['tenant_id', 'text'],
  ['client_id', 'text'],
  ['subject_issuer', 'text'],
  ['subject_sub', 'text'],
  ['actor_sub', 'text'],
  ['actor_issuer', 'text'],
  ['actor_chain', 'text'],
  ['requested_audiences', 'text'],
  ['requested_scope', 'text'],
  ['granted_audiences', 'text'],
  ['granted_scope', 'text'],
  ['decision', 'text'],
  ['rule_id', 'text'],
  ['jti', 'text'],
  ['error_code', 'text'],
  ['reason', 'text'],
  ['error_detail', 'text'],
  ['trace', 'text'],
  ['endpoint', 'text'],
  ['truncated_chars', 'integer'],
  ['created_at', 'timestamp(3)'],
] as const;
const COLUMN_LIST = COLUMNS.map(([name]) => `"${name}"`).join(', ');

/** A row's values in COLUMNS order, as both databases take them as parameters. */
type AuditRow = (string | number | null)[];

/**
 * One record as its row's values. The timestamp is ISO text in UTC (sqlTimestamp): SQLite stores
 * it so, and PostgreSQL's TIMESTAMP(3) reads it as that instant.
 */
function rowValues(id: string, record: AuditRecord, now: number): AuditRow {
  return [
    id,
    record.tenantId,
    record.clientId ?? null,
    record.subjectIssuer ?? null,
    record.subjectSub ?? null,
    record.actor?.sub ?? null,
    record.actor?.iss ?? null,
    JSON.stringify(record.actorChain),
    JSON.stringify(record.requestedAudiences),
    record.requestedScope ?? null,
    JSON.stringify(record.grantedAudiences),
    record.grantedScope ?? null,
    record.decision,
    record.ruleId ?? null,
    record.jti ?? null,
    record.errorCode ?? null,
    record.reason ?? null,
    record.errorDetail ?? null,
    JSON.stringify(record.trace),
    record.endpoint ?? 'token',
    record.truncatedChars ?? null,
    sqlTimestamp(now),
  ];
}

/** How many records one commit holds at most. */
const MAX_BATCH = 256;

/** The single-row insert SQLite's audit writer thread prepares (see sqlite-audit-thread.ts). */
export const SQLITE_AUDIT_INSERT = `INSERT INTO "audit_events" (${COLUMN_LIST}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

/**
 * Commits a batch of rows. SQLite: one transaction of prepared single-row inserts (one fsync), on
 * the writer thread. PostgreSQL: one prepared INSERT … SELECT FROM unnest(arrays), whatever the
 * batch size (one round trip, one statement to prepare).
 */
function batchInsert(sql: Sql, thread?: SqliteAuditThread): (rows: AuditRow[]) => Promise<void> {
  if (thread) return (rows) => thread.commit(rows);
  if (sql.dialect !== 'postgresql')
    throw new Error('SQLite audit records are written by the audit writer thread');
  const text = `INSERT INTO "audit_events" (${COLUMN_LIST}) SELECT * FROM unnest(${COLUMNS.map(([, type]) => `?::${type}[]`).join(', ')})`;
  return async (rows) => {
    await sql.run(
      text,
      COLUMNS.map((_, i) => rows.map((row) => row[i] ?? null)),
    );
  };
}

export interface AuditWriter {
  /**
   * Resolves once the record is committed (durably: SQLite runs with synchronous=FULL), together
   * with the records written concurrently (group commit); rejects when it is not (then no token
   * may be returned). DatabaseUnavailableError when the database does not answer.
   */
  write(record: AuditRecord): Promise<void>;
  /** Resolves once every record written so far is committed or has failed. */
  flush(): Promise<void>;
}

/** The audit log's writer for the token and introspection endpoints (their hot path). */
export function auditWriter(
  { sql, clock }: Handles,
  options: { thread?: SqliteAuditThread; onCommit?: (size: number, ms: number) => void } = {},
): AuditWriter {
  // Monotonic: ids of records written in the same millisecond still sort in write order.
  const ulid = monotonicUlid();
  const commits = new GroupCommit(batchInsert(sql, options.thread), {
    maxBatch: MAX_BATCH,
    onCommit: options.onCommit,
  });
  return {
    write(record) {
      const now = clock();
      return commits.add(rowValues(ulid(now), record, now));
    },
    flush: () => commits.flush(),
  };
}

/**
 * Deletes audit records created before `cutoffMs`, at most `limit` of them (oldest first), in one
 * short statement: retention runs it in a loop, yielding between batches, so the token
 * endpoint's audit writes are never held up for long. Returns how many it deleted.
 */
export function auditPruner({
  sql,
}: Handles): (cutoffMs: number, limit: number) => Promise<number> {
  return (cutoffMs, limit) =>
    sql.run(
      `DELETE FROM "audit_events" WHERE "id" IN (SELECT "id" FROM "audit_events" WHERE "created_at" < ? ORDER BY "created_at" LIMIT ?)`,
      [new Date(cutoffMs), limit],
    );
}
