import type { Handles } from '../internal/handles';
import { parseStoredJson } from '../internal/stored';

export interface AdminActionEntry {
  id: string;
  createdAt: Date;
  actorEmail: string;
  action: string;
  target: string | null;
  /** What changed (never a secret: AdminChange's contract). */
  details: Record<string, unknown>;
}

export interface AdminActionPage {
  /** Newest first. */
  items: AdminActionEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** What admins changed. Recorded by every repository change that takes an AdminChange. */
export interface AdminActionRepository {
  /**
   * The tenant's admin actions, newest first, a page at a time; with `null`, the console-wide
   * ones (recorded without a tenant: admins invited, changed, removed).
   */
  list(tenantId: string | null, page: { limit: number; cursor?: string }): Promise<AdminActionPage>;
}

export function adminActionRepository({ prisma }: Handles): AdminActionRepository {
  return {
    async list(tenantId, { limit, cursor }) {
      const rows = await prisma.adminAction.findMany({
        where: { tenantId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      const items = rows.slice(0, limit).map((row) => {
        const details = parseStoredJson(row.details, `admin action ${row.id}: details`);
        return {
          id: row.id,
          createdAt: row.createdAt,
          actorEmail: row.actorEmail,
          action: row.action,
          target: row.target,
          details:
            details && typeof details === 'object' && !Array.isArray(details)
              ? (details as Record<string, unknown>)
              : { value: details },
        };
      });
      return {
        items,
        nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null,
      };
    },
  };
}
