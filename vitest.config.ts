import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds or finds the Temporal CLI and the Java test server once, before any test.
    globalSetup: ['test/helpers/globalSetup.ts'],
    setupFiles: ['test/helpers/quietLogs.ts'],
    // Native Temporal runtimes are per process: forks keep test files apart.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
