import { defineConfig } from 'vitest/config';

/**
 * Fault tests pause the shared lab's services (SIGSTOP on the Kafka broker) and kill server
 * processes: run alongside the rest they would fail other files' latency thresholds. They
 * form their own project, run after everything else (groupOrder), one file at a time.
 */
const FAULT_TESTS = 'reference-server/test/faults/**/*.test.ts';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Brings the lab up when it is not (and stops what it started); a service that cannot
    // start fails the whole run loudly instead of skipping tests.
    globalSetup: ['packages/core/test/global-setup.ts'],
    // Integration tests share one lab on a 2-core machine; keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'reference-server/**/*.test.ts',
            'scenarios/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', FAULT_TESTS],
        },
      },
      {
        extends: true,
        test: { name: 'faults', include: [FAULT_TESTS], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
