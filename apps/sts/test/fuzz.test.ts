/**
 * A short, bounded fuzz of the token and introspection endpoints over HTTP (test/fuzz/, decision
 * 0016): the properties share FUZZ_SECONDS (4 s in the test command). `pnpm --filter @sts/sts
 * fuzz -- --seconds 300` runs the same properties longer. A failure prints its seed and path;
 * FC_SEED and FC_PATH replay it (CONTRIBUTING.md).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_PROPERTY, FUZZ_SECONDS, fuzzParameters } from './fuzz/parameters';
import { FUZZ_PROPERTIES, type FuzzPropertyName, fuzzProperty } from './fuzz/properties';
import { type FuzzWorld, startFuzzWorld } from './fuzz/world';
import { get } from './helpers/http';

const names = (Object.keys(FUZZ_PROPERTIES) as FuzzPropertyName[]).filter(
  (name) => FUZZ_PROPERTY === undefined || name === FUZZ_PROPERTY,
);
if (names.length === 0) throw new Error(`no fuzz property named ${FUZZ_PROPERTY}`);
const perProperty = (FUZZ_SECONDS * 1000) / names.length;

let world: FuzzWorld;

beforeAll(async () => {
  world = await startFuzzWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('fuzzing the token and introspection endpoints', () => {
  it.each(names.map((name) => [name, FUZZ_PROPERTIES[name]]))(
    '%s: %s',
    { timeout: perProperty + 30_000 },
    async (name) => {
      const details = await fc.check(
        fuzzProperty(world, name as FuzzPropertyName),
        fuzzParameters(perProperty),
      );
      // fast-check's own report: the seed, the path and the shrunk counterexample.
      if (details.failed)
        throw new Error(
          `${await fc.asyncDefaultReportMessage(details)}\n${details.errorInstance}`,
          {
            cause: details.errorInstance,
          },
        );
      expect(details.numRuns).toBeGreaterThan(0);
      // Still answering after everything above.
      expect((await get(`${world.sts.url}/healthz`)).status).toBe(200);
    },
  );
});
