/**
 * Runs once before all test files: resolves (installing if needed) the Temporal binaries through
 * the one resolver, so every forked test file finds them in its environment and never downloads.
 */
import { resolveTemporalBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../../infra/temporal-binaries.js';

export default function setup(): void {
  for (const spec of [TEMPORAL_CLI, TEMPORAL_TEST_SERVER]) {
    const source = resolveTemporalBinary(spec);
    if (source.type === 'existing-path') process.env[spec.envVar] = source.path;
  }
}
