import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // Key generation (RSA especially) is slow on small CI machines.
    testTimeout: 20_000,
  },
});
