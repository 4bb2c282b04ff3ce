// Builds the workflow bundle (webpack + swc) and writes it to a file, then exits: run as a child
// process by worker/worker.ts, so webpack's and swc's memory (≈ 120 MB resident, measured for
// issue #17) leaves with this process instead of staying in the worker's for its whole life.
// Usage: node worker/build-workflow-bundle.mjs <workflows entry .ts> <output .js> [workflow interceptor module…]
import fs from 'node:fs';
import process from 'node:process';
import { bundleWorkflowCode } from '@temporalio/worker';

const [workflowsPath, outFile, ...workflowInterceptorModules] = process.argv.slice(2);
if (!workflowsPath || !outFile) {
  process.stderr.write('usage: build-workflow-bundle.mjs <workflowsPath> <outFile>\n');
  process.exit(2);
}
const noop = () => undefined;
const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
const { code } = await bundleWorkflowCode({
  workflowsPath,
  logger,
  ...(workflowInterceptorModules.length > 0 ? { workflowInterceptorModules } : {}),
});
const tmp = `${outFile}.${process.pid}.tmp`;
fs.writeFileSync(tmp, code);
fs.renameSync(tmp, outFile);
