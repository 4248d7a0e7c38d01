import { defineConfig } from 'vitest/config';

// `npm run verify:chapter`: the chapter's full runs, too long for the everyday suite.
export default defineConfig({
  test: {
    include: ['src/**/*.verify.ts'],
    environment: 'node',
    testTimeout: 3_600_000,
    pool: 'forks',
  },
});
