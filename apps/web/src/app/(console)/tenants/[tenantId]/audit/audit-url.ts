import {
  AUDIT_DECISIONS,
  AUDIT_PAGE_SIZES,
  AUDIT_STATS_RANGES,
  type TAuditFilter,
} from '~/server/trpc/routers/audit/audit.schema';

/**
 * The audit page's state lives in its URL query string, so a view can be shared and the back
 * button walks through filters and pages. Unknown or malformed values are dropped (and reported),
 * never sent to the server as they are.
 */
export interface AuditUrlState {
  view: 'exchanges' | 'admin';
  filter: TAuditFilter;
  pageSize: (typeof AUDIT_PAGE_SIZES)[number];
  before?: string;
  after?: string;
  range: (typeof AUDIT_STATS_RANGES)[number];
}

/** Query parameter names of the text filters. */
export const TEXT_FILTERS = {
  text: 'q',
  clientId: 'client',
  subject: 'sub',
  actor: 'actor',
  issuer: 'iss',
  audience: 'aud',
  errorCode: 'error',
  reason: 'reason',
} as const;

const MAX_TEXT = 1024;

export function readAuditUrl(params: URLSearchParams): {
  state: AuditUrlState;
  ignored: string[];
} {
  const ignored: string[] = [];
  const filter: TAuditFilter = {};
  for (const [key, name] of Object.entries(TEXT_FILTERS) as [keyof typeof TEXT_FILTERS, string][]) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    if (value.length > MAX_TEXT) ignored.push(name);
    else filter[key] = value;
  }
  for (const name of ['from', 'to'] as const) {
    const value = params.get(name);
    if (!value) continue;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) ignored.push(name);
    else filter[name] = date;
  }
  if (filter.from && filter.to && filter.from >= filter.to) {
    ignored.push('to');
    delete filter.to;
  }
  const decision = params.get('decision');
  if (decision) {
    if ((AUDIT_DECISIONS as readonly string[]).includes(decision))
      filter.decision = decision as (typeof AUDIT_DECISIONS)[number];
    else ignored.push('decision');
  }
  const size = Number(params.get('size') ?? 25);
  const pageSize = AUDIT_PAGE_SIZES.find((s) => s === size) ?? 25;
  const range = AUDIT_STATS_RANGES.find((r) => r === params.get('range')) ?? '24h';
  const cursor = (name: string) => {
    const value = params.get(name);
    return value && /^[0-9A-Za-z]{1,64}$/.test(value) ? value : undefined;
  };
  const after = cursor('after');
  return {
    state: {
      view: params.get('view') === 'admin' ? 'admin' : 'exchanges',
      filter,
      pageSize,
      before: after ? undefined : cursor('before'),
      after,
      range,
    },
    ignored,
  };
}

/** The query string (with its "?", or "" when empty) of a state; defaults are left out. */
export function auditQuery(state: Partial<AuditUrlState>): string {
  const params = new URLSearchParams();
  if (state.view === 'admin') params.set('view', 'admin');
  const filter = state.filter ?? {};
  if (filter.from) params.set('from', filter.from.toISOString());
  if (filter.to) params.set('to', filter.to.toISOString());
  for (const [key, name] of Object.entries(TEXT_FILTERS) as [keyof typeof TEXT_FILTERS, string][]) {
    const value = filter[key];
    if (value) params.set(name, value);
  }
  if (filter.decision) params.set('decision', filter.decision);
  if (state.pageSize && state.pageSize !== 25) params.set('size', String(state.pageSize));
  if (state.range && state.range !== '24h') params.set('range', state.range);
  if (state.before) params.set('before', state.before);
  else if (state.after) params.set('after', state.after);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const auditPath = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/audit`;

/** A `datetime-local` input's value for an instant, in UTC. */
export const toUtcInput = (date: Date | undefined): string =>
  date ? date.toISOString().slice(0, 16) : '';

/** The instant a `datetime-local` value names, read as UTC; undefined if empty or malformed. */
export function fromUtcInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
