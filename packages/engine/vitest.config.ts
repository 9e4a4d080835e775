// The engine's own test config: no globalSetup (the engine needs no databases), and at most two
// test files at a time, since the executor tests measure timing and this machine has few cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    maxWorkers: 2,
  },
});
