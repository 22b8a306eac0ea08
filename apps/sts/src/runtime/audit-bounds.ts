import type { TraceEntry } from '@sts/core';
import type { AuditRecord } from '@sts/db';

/**
 * What an unauthenticated failure may store. Anyone can send such a request, with up to 64 KiB
 * of client id, audiences, scope and credentials that end up in the detail: stored whole, a few
 * hundred requests grow the audit by megabytes. An admin needs to recognise the attempt, not
 * keep its payload: each field is cut to a bound, and the record says how many characters were
 * not stored (`truncatedChars`).
 */
export const UNAUTHENTICATED_AUDIT_BOUNDS = {
  /** Client id, subject, issuer, scope, each audience. */
  fieldChars: 200,
  /** Audiences (and resources) kept. */
  values: 10,
  /** The error detail, and each trace message. */
  detailChars: 500,
  /** Trace entries kept. */
  traceEntries: 10,
} as const;

/** `record` with every request-controlled field within UNAUTHENTICATED_AUDIT_BOUNDS. */
export function boundedAuditRecord(record: AuditRecord): AuditRecord {
  const b = UNAUTHENTICATED_AUDIT_BOUNDS;
  let dropped = 0;
  const cut = <T extends string | undefined>(value: T, max: number): T => {
    if (value === undefined || value.length <= max) return value;
    dropped += value.length - max;
    return value.slice(0, max) as T;
  };
  const list = (values: string[]) => {
    for (const extra of values.slice(b.values)) dropped += extra.length;
    return values.slice(0, b.values).map((v) => cut(v, b.fieldChars));
  };
  const trace = (entries: TraceEntry[]) => {
    for (const extra of entries.slice(b.traceEntries)) dropped += extra.message.length;
    return entries
      .slice(0, b.traceEntries)
      .map((e) => ({ ...e, message: cut(e.message, b.detailChars) }));
  };
  const bounded: AuditRecord = {
    ...record,
    clientId: cut(record.clientId, b.fieldChars),
    subjectIssuer: cut(record.subjectIssuer, b.fieldChars),
    subjectSub: cut(record.subjectSub, b.fieldChars),
    requestedAudiences: list(record.requestedAudiences),
    requestedScope: cut(record.requestedScope, b.fieldChars),
    errorDetail: cut(record.errorDetail, b.detailChars),
    trace: trace(record.trace),
  };
  return dropped === 0 ? bounded : { ...bounded, truncatedChars: dropped };
}
