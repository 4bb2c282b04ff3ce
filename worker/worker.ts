/** The Temporal worker: the case and schedule workflows and the activities, on the `becak-pintar` task queue. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { FileStore } from '../infra/files.js';
import type { Logger } from '../infra/logger.js';
import { TASK_QUEUE } from '../domain/sop.js';
import type { Adapters } from '../activities/adapters/index.js';
import { createActivities } from '../activities/index.js';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  db: Kysely<Database>;
  files: FileStore;
  config: Readonly<Config>;
  logger: Logger;
  adapters: Adapters;
}

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const PROJECT_ROOT = path.resolve(path.dirname(WORKFLOWS_PATH), '..');
// Everything that can end up in the bundle: our workflow and domain code and the SDK version.
const BUNDLE_SOURCES = ['workflows', 'domain'];

/** A hash of the bundle's inputs: a cached bundle is reused only while none of them changed. */
function bundleFingerprint(): string {
  const hash = createHash('sha256');
  for (const dir of BUNDLE_SOURCES) {
    for (const name of fs.readdirSync(path.join(PROJECT_ROOT, dir)).filter((n) => n.endsWith('.ts')).sort()) {
      hash.update(name).update(fs.readFileSync(path.join(PROJECT_ROOT, dir, name)));
    }
  }
  const sdk = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules/@temporalio/workflow/package.json'), 'utf8')) as { version: string };
  return hash.update(sdk.version).digest('hex').slice(0, 16);
}

async function buildBundle(cacheDir?: string): Promise<WorkflowBundleOption> {
  if (!cacheDir) return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  // Bundling takes seconds on 2 cores; a restarted worker reuses the bundle built by the last start.
  const codePath = path.join(cacheDir, `workflow-bundle-${bundleFingerprint()}.js`);
  if (fs.existsSync(codePath)) return { codePath };
  // Built in a child process: webpack and swc left ≈ 120 MB resident in this one for its whole
  // life (empty embedded stack: 545 → 422 MB RSS, bench/README.md, issue #17).
  fs.mkdirSync(cacheDir, { recursive: true });
  await promisify(execFile)(process.execPath, [BUILD_SCRIPT, WORKFLOWS_PATH, codePath], { timeout: 600_000 });
  return { codePath };
}

const BUILD_SCRIPT = fileURLToPath(new URL('./build-workflow-bundle.mjs', import.meta.url));

let bundlePromise: Promise<WorkflowBundleOption> | undefined;
/**
 * The workflow bundle, built once per process (several workers in one test file share it) and,
 * given a cache directory, once per change of the workflow code.
 */
export function workflowBundle(cacheDir?: string): Promise<WorkflowBundleOption> {
  bundlePromise ??= buildBundle(cacheDir).catch((e: unknown) => {
    bundlePromise = undefined;
    throw e;
  });
  return bundlePromise;
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activities = createActivities({ db: deps.db, files: deps.files, adapters: deps.adapters, config: deps.config, logger: deps.logger });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue ?? TASK_QUEUE,
    workflowBundle: await workflowBundle(path.join(deps.config.dataDir, 'cache')),
    activities,
    // Sized for a 2-core machine: activities are I/O-bound (database, files, HTTP).
    maxConcurrentWorkflowTaskExecutions: 8,
    maxConcurrentActivityTaskExecutions: 16,
    maxConcurrentLocalActivityExecutions: 16,
    maxCachedWorkflows: 1000,
    shutdownGraceTime: '10 seconds',
  });
}
