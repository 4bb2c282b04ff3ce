/** The Temporal worker: the case and schedule workflows and the activities, on the `becak-pintar` task queue. */
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
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

let bundlePromise: Promise<WorkflowBundle> | undefined;
/** The workflow bundle, built once per process (several workers in one test file share it). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundlePromise ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger }).catch((e: unknown) => {
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
    workflowBundle: await workflowBundle(),
    activities,
    // Sized for a 2-core machine: activities are I/O-bound (database, files, HTTP).
    maxConcurrentWorkflowTaskExecutions: 8,
    maxConcurrentActivityTaskExecutions: 16,
    maxConcurrentLocalActivityExecutions: 16,
    maxCachedWorkflows: 1000,
    shutdownGraceTime: '10 seconds',
  });
}
