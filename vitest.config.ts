import { defineConfig } from 'vitest/config';

// Temporal's native core and servers do not like worker threads: every file runs in its own fork.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    exclude: ['test/faults/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    maxWorkers: 2,
    fileParallelism: true,
  },
});
