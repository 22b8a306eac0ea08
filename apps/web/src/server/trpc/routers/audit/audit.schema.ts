import { z } from 'zod';

// Client-safe: the console's pages import these schemas and constants, so nothing from @sts/db
// (a database driver) is imported here; the values are the ones @sts/db's audit queries take.

export const AUDIT_DECISIONS = ['granted', 'denied'] as const;
export const AUDIT_STATS_RANGES = ['24h', '30d'] as const;
export const AUDIT_PAGE_SIZES = [25, 50] as const;

/** A filter value: matched as literal text (quotes, `%` and `_` are plain characters). */
const FilterText = z.string().min(1).max(1024);
/** An audit event or admin action id (a ULID). */
const EventId = z.string().min(1).max(64);

/** The explorer's filters; the page keeps them in its URL. */
export const ZAuditFilterSchema = z
  .object({
    /** Events at or after this instant. */
    from: z.date().optional(),
    /** Events before this instant. */
    to: z.date().optional(),
    clientId: FilterText.optional(),
    /** The subject's `sub`. */
    subject: FilterText.optional(),
    /** The subject's issuer. */
    issuer: FilterText.optional(),
    /** The presented actor's `sub`. */
    actor: FilterText.optional(),
    /** One of the requested or granted audiences. */
    audience: FilterText.optional(),
    decision: z.enum(AUDIT_DECISIONS).optional(),
    errorCode: z.string().min(1).max(128).optional(),
    /** The failing check of a denial, "step.check" (docs/oauth-errors.md). */
    reason: z.string().min(1).max(128).optional(),
    /** Words anywhere in a denial's detail, reason or error code. */
    text: FilterText.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, {
    message: 'The end must be after the start',
    path: ['to'],
  });
export type TAuditFilter = z.output<typeof ZAuditFilterSchema>;

const PageSize = z.union([z.literal(25), z.literal(50)]).default(25);

/** One page of events: the newest, or those `before` (older than) or `after` (newer than) an id. */
export const ZListAuditEventsSchema = z
  .object({
    filter: ZAuditFilterSchema.default({}),
    pageSize: PageSize,
    before: EventId.optional(),
    after: EventId.optional(),
  })
  .refine((i) => !(i.before && i.after), {
    message: 'Give either before or after',
    path: ['after'],
  });
export type TListAuditEventsInput = z.input<typeof ZListAuditEventsSchema>;

export const ZGetAuditEventSchema = z.object({ eventId: EventId });

export const ZAuditStatsSchema = z.object({
  range: z.enum(AUDIT_STATS_RANGES).default('24h'),
  /** The explorer's filter: the dashboard counts what the list shows. */
  filter: ZAuditFilterSchema.default({}),
});
export type TAuditStatsInput = z.input<typeof ZAuditStatsSchema>;

/** Admin actions, newest first; `cursor` is the previous page's `nextCursor`. */
export const ZListAdminActionsSchema = z.object({
  pageSize: PageSize,
  cursor: EventId.nullish(),
});
