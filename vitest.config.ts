import { defineConfig } from 'vitest/config';

// Unit tests: the pure core under Node (cpu or wasm tfjs backends), no browser.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
