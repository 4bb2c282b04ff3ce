import { defineConfig } from 'vitest/config';

// Fault-injection suite (`npm run test:faults`): kills and restarts real processes, so files run one
// at a time (2-core machine), each in its own fork, with long bounded timeouts.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    maxWorkers: 1,
    fileParallelism: false,
  },
});
