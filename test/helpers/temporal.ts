/** Temporal environments for tests, always from local binaries (`existing-path`): never a download. */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../../infra/temporal-binaries.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

function executable(spec: typeof TEMPORAL_CLI) {
  const source = resolveTemporalBinary(spec);
  if (source.type !== 'existing-path') throw new Error(`${spec.name} binary not available for tests`);
  return { type: 'existing-path' as const, path: source.path };
}

/**
 * Time-skipping server: for timers, deadlines and escalations (no Schedules; no skipping during an
 * awaited Update). It validates search attributes too, so ours are registered through its operator API.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: executable(TEMPORAL_TEST_SERVER) } });
  const T = temporal.api.enums.v1.IndexedValueType;
  const types = { KEYWORD: T.INDEXED_VALUE_TYPE_KEYWORD, BOOL: T.INDEXED_VALUE_TYPE_BOOL, INT: T.INDEXED_VALUE_TYPE_INT, DATETIME: T.INDEXED_VALUE_TYPE_DATETIME } as const;
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, types[k.type as keyof typeof types]])),
  });
  return env;
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
