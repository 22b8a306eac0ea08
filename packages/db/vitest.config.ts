import { defineConfig } from 'vitest/config';

// Tests run in a random order within each file, so a test that leans on another's leftovers
// fails. The seed is printed; VITEST_SEED=<seed> replays an order (CONTRIBUTING.md).
const seed = Number(process.env.VITEST_SEED) || Math.floor(Math.random() * 1_000_000);
console.log(`tests shuffled with seed ${seed} (VITEST_SEED=${seed} replays this order)`);

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    sequence: { shuffle: { files: false, tests: true }, seed },
  },
});
