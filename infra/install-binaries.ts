/** `npm run temporal:install`: resolve (and if needed install) both Temporal binaries, print where they are. */
import { resolveTemporalBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from './temporal-binaries.js';

let failed = false;
for (const spec of [TEMPORAL_CLI, TEMPORAL_TEST_SERVER]) {
  const source = resolveTemporalBinary(spec);
  if (source.type === 'existing-path') {
    process.stdout.write(`${spec.name}: ${source.path} (${source.origin})\n`);
  } else {
    process.stdout.write(`${spec.name}: not installed locally (the SDK would download it)\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
