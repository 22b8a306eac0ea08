import type {
  AdminActionPage,
  AuditCursor,
  AuditEvent,
  AuditFilter,
  AuditPage,
  AuditStats,
  AuditStatsRange,
} from '@sts/db';
import type { ConsoleContext } from './context';

/** The tenant's exchange attempts matching the filter, newest first, one page. */
export function listAuditEvents(
  ctx: ConsoleContext,
  tenantId: string,
  filter: AuditFilter,
  page: { limit: number; cursor?: AuditCursor },
): Promise<AuditPage> {
  return ctx.db.audit.query(tenantId, filter, page);
}

/** One attempt with its decision trace and precise error detail (never shown to clients). */
export function getAuditEvent(
  ctx: ConsoleContext,
  tenantId: string,
  eventId: string,
): Promise<AuditEvent> {
  return ctx.db.audit.get(tenantId, eventId);
}

/**
 * The dashboard: attempts over time, granted vs denied, top denial reasons and clients, of the
 * attempts the explorer's filter selects.
 */
export function auditStats(
  ctx: ConsoleContext,
  tenantId: string,
  range: AuditStatsRange,
  filter: AuditFilter = {},
): Promise<AuditStats> {
  return ctx.db.audit.stats(tenantId, range, ctx.clock(), filter);
}

/** What admins changed in the tenant, newest first. */
export function listAdminActions(
  ctx: ConsoleContext,
  tenantId: string,
  page: { limit: number; cursor?: string },
): Promise<AdminActionPage> {
  return ctx.db.adminActions.list(tenantId, page);
}

/** What owners changed console-wide (admins invited, changed, removed), newest first. */
export function listConsoleAdminActions(
  ctx: ConsoleContext,
  page: { limit: number; cursor?: string },
): Promise<AdminActionPage> {
  return ctx.db.adminActions.list(null, page);
}
