/**
 * How long the fuzz runs, and how to replay it (docs/decisions/0016). The test command runs each
 * property for a second; `pnpm --filter @sts/sts fuzz -- --seconds 300` sets FUZZ_SECONDS (and
 * `--property <name>` FUZZ_PROPERTY).
 * fast-check prints the seed and path of a failure: FC_SEED and FC_PATH replay it.
 */
import type { Parameters } from 'fast-check';

const int = (value: string | undefined): number | undefined =>
  value === undefined || value === '' ? undefined : Number.parseInt(value, 10);

/** The whole fuzz run, in seconds, shared by the properties. */
export const FUZZ_SECONDS = int(process.env.FUZZ_SECONDS) ?? 4;
/** Only this property (claims, headers, forgeries, introspection or raw), when set. */
export const FUZZ_PROPERTY = process.env.FUZZ_PROPERTY || undefined;

/** Runs until `milliseconds` have passed (a time limit, not a number of runs). */
export function fuzzParameters<T>(milliseconds: number): Parameters<T> {
  const seed = int(process.env.FC_SEED);
  const path = process.env.FC_PATH;
  return {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: milliseconds,
    markInterruptAsFailure: false,
    ...(seed === undefined ? {} : { seed }),
    ...(path ? { path } : {}),
  };
}
