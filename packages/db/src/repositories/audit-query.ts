import type { TraceEntry } from '@sts/core';
import { Prisma } from '../../generated/prisma/client';
import { NotFoundError } from '../errors';
import type { Handles } from '../internal/handles';
import { sqlTimestamp } from '../internal/sql';
import { oneOf, parseStoredJson } from '../internal/stored';
import { AUDIT_ENDPOINTS, type AuditActor, type AuditEvent } from './audit-log';

/**
 * The console's reads of the audit log (written by the token endpoint, ./audit-log.ts). Every
 * query filters by the tenant the caller was allowed to read; every value typed by an admin is a
 * bound parameter, never SQL text.
 *
 * Both dialects: `SqlDialect` holds the few expressions that differ. SQLite stores timestamps as
 * ISO 8601 text in UTC (sqlTimestamp), which compares in time order and whose prefix is the hour
 * or day; PostgreSQL stores TIMESTAMP(3) in UTC. JSON arrays are text in both.
 */

type Db = Handles['prisma'];

interface SqlDialect {
  /** `text` occurs in `expression`, ignoring (ASCII) case; literal, with no wildcards. */
  contains(expression: Prisma.Sql, text: string): Prisma.Sql;
  /** `text` occurs in an element of the JSON array (text) in `column`, as `contains` does. */
  elementContains(column: Prisma.Sql, text: string): Prisma.Sql;
  /** An instant, to compare with a created_at column. */
  instant(ms: number): Prisma.Sql;
  /** The created_at column's first `length` characters of ISO 8601 (13: the hour, 10: the day). */
  isoPrefix(column: Prisma.Sql, length: 10 | 13): Prisma.Sql;
}

const SQLITE: SqlDialect = {
  contains: (expression, text) => Prisma.sql`instr(lower(${expression}), lower(${text})) > 0`,
  elementContains: (column, text) =>
    Prisma.sql`EXISTS (SELECT 1 FROM json_each(${column}) WHERE ${SQLITE.contains(Prisma.sql`json_each."value"`, text)})`,
  instant: (ms) => Prisma.sql`${sqlTimestamp(ms)}`,
  isoPrefix: (column, length) => Prisma.sql`substr(${column}, 1, ${length})`,
};

const POSTGRESQL: SqlDialect = {
  contains: (expression, text) => Prisma.sql`strpos(lower(${expression}), lower(${text})) > 0`,
  elementContains: (column, text) =>
    Prisma.sql`EXISTS (SELECT 1 FROM json_array_elements_text(${column}::json) AS a("value") WHERE ${POSTGRESQL.contains(Prisma.sql`a."value"`, text)})`,
  // TIMESTAMP (without time zone) ignores the zone of the text: the instant in UTC, as stored.
  instant: (ms) => Prisma.sql`CAST(${new Date(ms).toISOString()} AS TIMESTAMP(3))`,
  isoPrefix: (column, length) =>
    length === 13
      ? Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24')`
      : Prisma.sql`to_char(${column}, 'YYYY-MM-DD')`,
};

export const AUDIT_DECISIONS = ['granted', 'denied'] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/**
 * The explorer's filters; every one narrows, an absent one does not. Ids and URLs match by
 * part, ignoring case ("demo-agen" finds demo-agent), as literal text: quotes, `%` and `_` are
 * plain characters. Decision, error code and reason match exactly.
 */
export interface AuditFilter {
  /** Events at or after this instant. */
  from?: Date;
  /** Events before this instant. */
  to?: Date;
  clientId?: string;
  /** The subject's `sub`. */
  subject?: string;
  /** The subject's issuer. */
  issuer?: string;
  /** The presented actor's `sub` (actor token subject, or the client acting as itself). */
  actor?: string;
  /** One of the requested or granted audiences. */
  audience?: string;
  decision?: AuditDecision;
  errorCode?: string;
  /** The failing check of a denial, e.g. "subject_token.signature". */
  reason?: string;
  /** Words anywhere in the denial's detail, reason or error code. */
  text?: string;
}

/**
 * A position in the log: the events older than (`before`) or newer than (`after`) the event with
 * this id. Keyset pagination: pages stay complete and free of duplicates while events are added.
 */
export type AuditCursor = { before: string } | { after: string };

/** An event as the explorer's table shows it: no trace and no error detail. */
export type AuditEventSummary = Omit<AuditEvent, 'tenantId' | 'trace' | 'errorDetail'>;

export interface AuditPage {
  /** Newest first. */
  items: AuditEventSummary[];
  /** The cursor for the next older page (the last item's id), if there are older events. */
  older: string | null;
  /** The cursor for the next newer page (the first item's id), if there are newer events. */
  newer: string | null;
}

/** Columns as the Prisma model names them, so raw rows and model rows map alike. */
interface EventRow {
  id: string;
  createdAt: Date | string;
  tenantId: string;
  clientId: string | null;
  subjectIssuer: string | null;
  subjectSub: string | null;
  actorSub: string | null;
  actorIssuer: string | null;
  actorChain: string;
  requestedAudiences: string;
  requestedScope: string | null;
  grantedAudiences: string;
  grantedScope: string | null;
  decision: string;
  ruleId: string | null;
  jti: string | null;
  errorCode: string | null;
  reason: string | null;
  errorDetail?: string | null;
  trace?: string;
  endpoint: string;
  truncatedChars: number | null;
}

const SUMMARY_COLUMNS = Prisma.sql`e."id", e."created_at" AS "createdAt", e."tenant_id" AS "tenantId",
  e."client_id" AS "clientId", e."subject_issuer" AS "subjectIssuer", e."subject_sub" AS "subjectSub",
  e."actor_sub" AS "actorSub", e."actor_issuer" AS "actorIssuer", e."actor_chain" AS "actorChain", e."requested_audiences" AS "requestedAudiences",
  e."requested_scope" AS "requestedScope", e."granted_audiences" AS "grantedAudiences",
  e."granted_scope" AS "grantedScope", e."decision", e."rule_id" AS "ruleId", e."jti",
  e."error_code" AS "errorCode", e."reason", e."endpoint", e."truncated_chars" AS "truncatedChars"`;

function filterConditions(d: SqlDialect, tenantId: string, filter: AuditFilter): Prisma.Sql[] {
  const { contains, elementContains } = d;
  const where = [Prisma.sql`e."tenant_id" = ${tenantId}`];
  if (filter.from) where.push(Prisma.sql`e."created_at" >= ${d.instant(filter.from.getTime())}`);
  if (filter.to) where.push(Prisma.sql`e."created_at" < ${d.instant(filter.to.getTime())}`);
  if (filter.clientId !== undefined)
    where.push(contains(Prisma.sql`e."client_id"`, filter.clientId));
  if (filter.subject !== undefined)
    where.push(contains(Prisma.sql`e."subject_sub"`, filter.subject));
  if (filter.issuer !== undefined)
    where.push(contains(Prisma.sql`e."subject_issuer"`, filter.issuer));
  if (filter.actor !== undefined) where.push(contains(Prisma.sql`e."actor_sub"`, filter.actor));
  if (filter.audience !== undefined)
    where.push(
      Prisma.sql`(${elementContains(Prisma.sql`e."requested_audiences"`, filter.audience)} OR ${elementContains(Prisma.sql`e."granted_audiences"`, filter.audience)})`,
    );
  if (filter.decision !== undefined) where.push(Prisma.sql`e."decision" = ${filter.decision}`);
  if (filter.errorCode !== undefined) where.push(Prisma.sql`e."error_code" = ${filter.errorCode}`);
  if (filter.reason !== undefined) where.push(Prisma.sql`e."reason" = ${filter.reason}`);
  if (filter.text !== undefined)
    where.push(
      contains(
        Prisma.sql`coalesce(e."error_detail", '') || ' ' || coalesce(e."reason", '') || ' ' || coalesce(e."error_code", '')`,
        filter.text,
      ),
    );
  return where;
}

/**
 * One page of the tenant's exchange attempts matching `filter`, newest first. Sorted by
 * (created_at, id) — ids are monotonic ULIDs, so ties within a millisecond keep write order — which
 * the (tenant_id, created_at) index serves. A cursor naming no event of this tenant gives an
 * empty page.
 */
async function queryAuditEvents(
  prisma: Db,
  d: SqlDialect,
  tenantId: string,
  filter: AuditFilter,
  { limit, cursor }: { limit: number; cursor?: AuditCursor },
): Promise<AuditPage> {
  const where = filterConditions(d, tenantId, filter);
  const towardsNewer = cursor !== undefined && 'after' in cursor;
  const rows = await selectPage(prisma, tenantId, where, limit + 1, cursor);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (towardsNewer) page.reverse();
  const items = page.map(toSummary);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return { items, older: null, newer: null };

  // Whatever lies beyond the far end of the page was probed by fetching limit + 1; the near end
  // (towards the cursor) needs one more look, as the cursor event may not match the filter.
  const [olderExists, newerExists] = towardsNewer
    ? [await exists(prisma, tenantId, where, { before: last.id }), more]
    : [more, cursor ? await exists(prisma, tenantId, where, { after: first.id }) : false];
  return { items, older: olderExists ? last.id : null, newer: newerExists ? first.id : null };
}

async function selectPage(
  prisma: Db,
  tenantId: string,
  where: Prisma.Sql[],
  take: number,
  cursor: AuditCursor | undefined,
): Promise<EventRow[]> {
  if (!cursor)
    return prisma.$queryRaw<EventRow[]>`SELECT ${SUMMARY_COLUMNS} FROM "audit_events" AS e
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY e."created_at" DESC, e."id" DESC LIMIT ${take}`;
  const newer = 'after' in cursor;
  const id = newer ? cursor.after : cursor.before;
  // The cursor event's own (created_at, id), looked up within the tenant.
  const position = newer
    ? Prisma.sql`e."created_at" >= c."created_at" AND (e."created_at" > c."created_at" OR e."id" > c."id")`
    : Prisma.sql`e."created_at" <= c."created_at" AND (e."created_at" < c."created_at" OR e."id" < c."id")`;
  const order = newer
    ? Prisma.sql`e."created_at" ASC, e."id" ASC`
    : Prisma.sql`e."created_at" DESC, e."id" DESC`;
  return prisma.$queryRaw<EventRow[]>`SELECT ${SUMMARY_COLUMNS}
    FROM (SELECT "created_at", "id" FROM "audit_events" WHERE "tenant_id" = ${tenantId} AND "id" = ${id}) AS c
    CROSS JOIN "audit_events" AS e
    WHERE ${Prisma.join(where, ' AND ')} AND ${position}
    ORDER BY ${order} LIMIT ${take}`;
}

async function exists(
  prisma: Db,
  tenantId: string,
  where: Prisma.Sql[],
  cursor: AuditCursor,
): Promise<boolean> {
  return (await selectPage(prisma, tenantId, where, 1, cursor)).length > 0;
}

/** One event of the tenant with its trace and error detail; NotFoundError if it has no such event. */
async function getAuditEvent(prisma: Db, tenantId: string, id: string): Promise<AuditEvent> {
  const row = await prisma.auditEvent.findFirst({ where: { id, tenantId } });
  if (!row) throw new NotFoundError('audit_event', id);
  return {
    ...toSummary(row),
    tenantId: row.tenantId,
    errorDetail: row.errorDetail ?? undefined,
    trace: parseStoredJson(row.trace, `audit event ${row.id}: trace`) as TraceEntry[],
  };
}

function toSummary(row: EventRow): AuditEventSummary {
  const json = <T>(text: string, column: string) =>
    parseStoredJson(text, `audit event ${row.id}: ${column}`) as T;
  return {
    id: row.id,
    createdAt: new Date(row.createdAt),
    clientId: row.clientId ?? undefined,
    subjectIssuer: row.subjectIssuer ?? undefined,
    subjectSub: row.subjectSub ?? undefined,
    actor:
      row.actorSub === null || row.actorIssuer === null
        ? undefined
        : { sub: row.actorSub, iss: row.actorIssuer },
    actorChain: json<AuditActor[]>(row.actorChain, 'actor_chain'),
    requestedAudiences: json<string[]>(row.requestedAudiences, 'requested_audiences'),
    requestedScope: row.requestedScope ?? undefined,
    grantedAudiences: json<string[]>(row.grantedAudiences, 'granted_audiences'),
    grantedScope: row.grantedScope ?? undefined,
    decision: oneOf(AUDIT_DECISIONS, row.decision, `audit event ${row.id}: decision`),
    ruleId: row.ruleId ?? undefined,
    jti: row.jti ?? undefined,
    errorCode: row.errorCode ?? undefined,
    reason: row.reason ?? undefined,
    endpoint: oneOf(AUDIT_ENDPOINTS, row.endpoint, `audit event ${row.id}: endpoint`),
    truncatedChars: row.truncatedChars === null ? undefined : Number(row.truncatedChars),
  };
}

// ---------------------------------------------------------------------------------------------
// Dashboard

/** The last 24 hours by hour, or the last 30 days by day (UTC). */
export const AUDIT_STATS_RANGES = ['24h', '30d'] as const;
export type AuditStatsRange = (typeof AUDIT_STATS_RANGES)[number];

export interface AuditStats {
  range: AuditStatsRange;
  bucket: 'hour' | 'day';
  /** The window: [from, to). */
  from: Date;
  to: Date;
  /** One entry per hour or day of the window, oldest first, zero-filled. */
  series: { start: Date; granted: number; denied: number }[];
  totals: { granted: number; denied: number };
  /** Denials by OAuth error code, most frequent first. */
  topErrorCodes: { errorCode: string; count: number }[];
  /** Denials by reason (the failing check, "policy.scope"), with one example of the precise detail. */
  topReasons: { reason: string; errorCode: string | null; count: number; example: string | null }[];
  /** Clients by number of attempts (null: the client could not be named). */
  topClients: { clientId: string | null; total: number; denied: number }[];
}

const TOP = 10;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The dashboard's aggregates over the range ending now, of the events matching `filter`,
 * computed by SQL (GROUP BY) on the server; only the zero-filling of empty buckets happens here.
 */
async function auditStats(
  prisma: Db,
  d: SqlDialect,
  tenantId: string,
  range: AuditStatsRange,
  now: number,
  filter: AuditFilter,
): Promise<AuditStats> {
  const [bucket, size, count, keyLength] =
    range === '24h' ? (['hour', HOUR_MS, 24, 13] as const) : (['day', DAY_MS, 30, 10] as const);
  // Buckets are aligned to whole UTC hours or days; the current one is the last.
  const to = Math.floor(now / size) * size + size;
  const from = to - count * size;
  const window = Prisma.join(
    [
      ...filterConditions(d, tenantId, filter),
      Prisma.sql`e."created_at" >= ${d.instant(from)}`,
      Prisma.sql`e."created_at" < ${d.instant(to)}`,
      // The dashboard counts token exchanges; introspection requests are in the explorer.
      Prisma.sql`e."endpoint" = 'token'`,
    ],
    ' AND ',
  );
  const denied = Prisma.sql`${window} AND e."decision" = 'denied'`;

  const [byBucket, byCode, byReason, byClient] = await Promise.all([
    prisma.$queryRaw<{ key: string; decision: string; n: bigint | number }[]>`
      SELECT ${d.isoPrefix(Prisma.sql`e."created_at"`, keyLength)} AS "key", e."decision", count(*) AS "n"
      FROM "audit_events" AS e WHERE ${window}
      GROUP BY 1, 2`,
    prisma.$queryRaw<{ errorCode: string | null; n: bigint | number }[]>`
      SELECT e."error_code" AS "errorCode", count(*) AS "n" FROM "audit_events" AS e WHERE ${denied}
      GROUP BY 1 ORDER BY "n" DESC, 1 ASC LIMIT ${TOP}`,
    prisma.$queryRaw<
      { reason: string; errorCode: string | null; n: bigint | number; example: string | null }[]
    >`
      SELECT coalesce(e."reason", 'unknown') AS "reason", e."error_code" AS "errorCode",
        count(*) AS "n", min(e."error_detail") AS "example"
      FROM "audit_events" AS e WHERE ${denied}
      GROUP BY 1, 2 ORDER BY "n" DESC, 1 ASC, 2 ASC LIMIT ${TOP}`,
    prisma.$queryRaw<
      { clientId: string | null; total: bigint | number; denied: bigint | number }[]
    >`
      SELECT e."client_id" AS "clientId", count(*) AS "total",
        sum(CASE WHEN e."decision" = 'denied' THEN 1 ELSE 0 END) AS "denied"
      FROM "audit_events" AS e WHERE ${window}
      GROUP BY 1 ORDER BY "total" DESC, 1 ASC LIMIT ${TOP}`,
  ]);

  const counts = new Map<string, { granted: number; denied: number }>();
  const totals = { granted: 0, denied: 0 };
  for (const row of byBucket) {
    const decision = oneOf(AUDIT_DECISIONS, row.decision, 'audit events: decision');
    const entry = counts.get(row.key) ?? { granted: 0, denied: 0 };
    entry[decision] += Number(row.n);
    totals[decision] += Number(row.n);
    counts.set(row.key, entry);
  }
  const series = Array.from({ length: count }, (_, i) => {
    const start = from + i * size;
    const key = sqlTimestamp(start).slice(0, keyLength);
    return { start: new Date(start), ...(counts.get(key) ?? { granted: 0, denied: 0 }) };
  });

  return {
    range,
    bucket,
    from: new Date(from),
    to: new Date(to),
    series,
    totals,
    topErrorCodes: byCode.map((r) => ({ errorCode: r.errorCode ?? 'unknown', count: Number(r.n) })),
    topReasons: byReason.map((r) => ({
      reason: r.reason,
      errorCode: r.errorCode,
      count: Number(r.n),
      example: r.example,
    })),
    topClients: byClient.map((r) => ({
      clientId: r.clientId,
      total: Number(r.total),
      denied: Number(r.denied),
    })),
  };
}

// ---------------------------------------------------------------------------------------------

export interface AuditQueries {
  /**
   * One page of the tenant's exchange attempts matching `filter`, newest first. Sorted by
   * (created_at, id) — ids are monotonic ULIDs, so ties within a millisecond keep write order —
   * which the (tenant_id, created_at) index serves. A cursor naming no event of this tenant gives
   * an empty page.
   */
  query(
    tenantId: string,
    filter: AuditFilter,
    page: { limit: number; cursor?: AuditCursor },
  ): Promise<AuditPage>;
  /** One event with its trace and error detail; NotFoundError if the tenant has no such event. */
  get(tenantId: string, id: string): Promise<AuditEvent>;
  /**
   * The dashboard over the range ending `now` (the database's clock by default), counting only
   * the events that match `filter`.
   */
  stats(
    tenantId: string,
    range: AuditStatsRange,
    now?: number,
    filter?: AuditFilter,
  ): Promise<AuditStats>;
}

export function auditQueries({ prisma, sql, clock }: Handles): AuditQueries {
  const d = sql.dialect === 'postgresql' ? POSTGRESQL : SQLITE;
  return {
    query: (tenantId, filter, page) => queryAuditEvents(prisma, d, tenantId, filter, page),
    get: (tenantId, id) => getAuditEvent(prisma, tenantId, id),
    stats: (tenantId, range, now = clock(), filter = {}) =>
      auditStats(prisma, d, tenantId, range, now, filter),
  };
}
