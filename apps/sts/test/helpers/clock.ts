/**
 * A manual clock for startSts's clock hook: starts now (or at `start`), moves only when told.
 * Rate limit windows are aligned to the clock: tests of them start on a window's boundary.
 */
export function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The next whole minute from now: a start that every window of up to a minute begins at. */
export const nextMinute = () => Math.ceil(Date.now() / 60_000) * 60_000;
