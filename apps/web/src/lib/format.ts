/**
 * "2030-01-15 12:00:05 UTC" (or to the minute): console times are shown in UTC, as the audit
 * dashboard's buckets are, and read the same on the server and in the browser.
 */
export function formatUtc(date: Date, precision: 'seconds' | 'minutes' = 'seconds'): string {
  const iso = date.toISOString().replace('T', ' ');
  return `${iso.slice(0, precision === 'seconds' ? 19 : 16)} UTC`;
}

/** A day as "YYYY-MM-DD" (UTC). */
export const formatUtcDay = (date: Date): string => date.toISOString().slice(0, 10);
