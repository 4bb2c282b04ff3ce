/** The Temporal worker: the case and schedule workflows and the activities, on the `becak-pintar` task queue. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { tracingActive } from '../infra/tracing.js';
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

/** With tracing on, the OpenTelemetry workflow interceptors go into the bundle (and its cache name). */
function bundleOptions() {
  const traced = tracingActive() !== null;
  return {
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    ...(traced ? { workflowInterceptorModules: [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] } : {}),
    suffix: traced ? '-otel' : '',
  };
}

async function buildBundle(cacheDir?: string): Promise<WorkflowBundleOption> {
  const { suffix, ...options } = bundleOptions();
  if (!cacheDir) return bundleWorkflowCode(options);
  // Bundling takes seconds on 2 cores; a restarted worker reuses the bundle built by the last start.
  const codePath = path.join(cacheDir, `workflow-bundle-${bundleFingerprint()}${suffix}.js`);
  if (fs.existsSync(codePath)) return { codePath };
  // Built in a child process: webpack and swc left ≈ 120 MB resident in this one for its whole
  // life (empty embedded stack: 545 → 422 MB RSS, bench/README.md, issue #17).
  fs.mkdirSync(cacheDir, { recursive: true });
  const interceptorModules = options.workflowInterceptorModules ?? [];
  await promisify(execFile)(process.execPath, [BUILD_SCRIPT, WORKFLOWS_PATH, codePath, ...interceptorModules], { timeout: 600_000 });
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
/** For `bundleWorkflowCode`: webpack's progress lines are not the worker's log (benches use it too). */
export const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

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
    // Tracing (infra/tracing.ts): client, activity and workflow interceptors and the span sink.
    plugins: otelPlugins(),
  });
}

function otelPlugins(): OpenTelemetryPlugin[] {
  const t = tracingActive();
  // The plugin's types come from its own (1.x) OpenTelemetry packages; the objects are compatible.
  return t ? [new OpenTelemetryPlugin({ resource: t.resource as never, spanProcessor: t.processor as never })] : [];
}
