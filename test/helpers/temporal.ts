/** Temporal environments for tests, always from local binaries (`existing-path`): never a download. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../../infra/temporal-binaries.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

function executable(spec: typeof TEMPORAL_CLI) {
  const source = resolveTemporalBinary(spec);
  if (source.type !== 'existing-path') throw new Error(`${spec.name} binary not available for tests`);
  return { type: 'existing-path' as const, path: source.path };
}

/** Time-skipping server: for timers, deadlines and escalations (no Schedules; no skipping during an awaited Update). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: executable(TEMPORAL_TEST_SERVER) } });
}

/** A real dev server (in memory), with our search attributes registered: for Updates, visibility and Schedules. */
export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: executable(TEMPORAL_CLI),
      searchAttributes: [...SEARCH_ATTRIBUTES],
      ip: '127.0.0.1',
      extraArgs: ['--headless', '--log-level', 'error'],
    },
  });
}
