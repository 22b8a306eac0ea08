/**
 * fast-check settings for the property tests: a short run in the test command, and a way to
 * replay a failure. fast-check prints the seed and path of a failing run; replay it with
 *
 *   FC_SEED=<seed> FC_PATH=<path> pnpm --filter @sts/core exec vitest run test/properties.test.ts
 *
 * and run longer with FC_RUNS=<n> (see CONTRIBUTING.md).
 */
import type { Parameters } from 'fast-check';

const int = (value: string | undefined): number | undefined =>
  value === undefined || value === '' ? undefined : Number.parseInt(value, 10);

/** The runs and the seed of a property: `runs` unless FC_RUNS says otherwise. */
export function propertyParameters<T>(runs: number): Parameters<T> {
  const seed = int(process.env.FC_SEED);
  const path = process.env.FC_PATH;
  return {
    numRuns: int(process.env.FC_RUNS) ?? runs,
    ...(seed === undefined ? {} : { seed }),
    ...(path ? { path } : {}),
  };
}
