import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'reference-server/**/*.test.ts',
      'scenarios/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Brings the lab up when it is not (and stops what it started); a service that cannot
    // start fails the whole run loudly instead of skipping tests.
    globalSetup: ['packages/core/test/global-setup.ts'],
    // Integration tests share one lab on a 2-core machine; keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
