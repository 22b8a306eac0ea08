/** A manual clock for startSts's clock hook: starts now, moves only when told. */
export function manualClock() {
  let now = Date.now();
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
