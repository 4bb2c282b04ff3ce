/**
 * Runs the baseline: its own worker (task queue `bench-baseline`) on the given Temporal server,
 * N lifecycles of `baselineWorkflow` with the same concurrency, Updates and client polling as the
 * HTTP lifecycles (wait until the workflow waits for the action, send the Update, retry if refused).
 */
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createBaselineActivities } from './baseline-activities.js';
import { baselineActionUpdate, baselineWaitingQuery, type BaselineInput } from './baseline-workflow.js';
import { runPool } from './lib/lifecycle.js';
import { sleep } from './lib/http.js';

export const BASELINE_TASK_QUEUE = 'bench-baseline';

export interface BaselineLifecycle {
  ok: boolean;
  error?: string;
  updateMs: number[];
  /** Latency of each query poll (what a query round trip through the worker costs under this load). */
  queryMs: number[];
  totalMs?: number;
}

export interface BaselineRun {
  lifecycles: BaselineLifecycle[];
  wallMs: number;
}

export interface BaselineOptions {
  address: string;
  namespace: string;
  runId: string;
  /** Per lifecycle: the actions it sends (mirrors the HTTP run's plans). */
  plans: string[][];
  activitiesPerLifecycle: number;
  concurrency: number;
  pollMs: number;
  /** Built before the measured run, so that webpack's CPU is not counted as the baseline's. */
  workflowBundle?: WorkflowBundleWithSourceMap;
}

export const BASELINE_WORKFLOWS_PATH = new URL('./baseline-workflow.ts', import.meta.url).pathname;

export async function runBaseline(opts: BaselineOptions): Promise<BaselineRun> {
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: opts.namespace,
    taskQueue: BASELINE_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: BASELINE_WORKFLOWS_PATH }),
    activities: createBaselineActivities(),
  });
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection, namespace: opts.namespace });
  const running = worker.run();
  try {
    const t0 = performance.now();
    const lifecycles = await runPool(opts.plans.length, opts.concurrency, async (i) => {
      const result: BaselineLifecycle = { ok: false, updateMs: [], queryMs: [] };
      const l0 = performance.now();
      try {
        const input: BaselineInput = { actions: opts.plans[i]!, activities: opts.activitiesPerLifecycle };
        const handle = await client.workflow.start('baselineWorkflow', {
          taskQueue: BASELINE_TASK_QUEUE,
          workflowId: `bench-baseline-${opts.runId}-${i}`,
          args: [input],
        });
        for (const action of input.actions) {
          const deadline = Date.now() + 120_000;
          // Same client behaviour as the HTTP run: wait until the action is expected, then send it.
          for (;;) {
            const q0 = performance.now();
            const waiting = await handle.query(baselineWaitingQuery);
            result.queryMs.push(performance.now() - q0);
            if (waiting === action) break;
            if (Date.now() > deadline) throw new Error(`baseline ${i}: never waited for ${action}`);
            await sleep(opts.pollMs);
          }
          for (;;) {
            const u0 = performance.now();
            try {
              await handle.executeUpdate(baselineActionUpdate, { args: [{ action }] });
              result.updateMs.push(performance.now() - u0);
              break;
            } catch (e) {
              if (!(e instanceof WorkflowUpdateFailedError) || Date.now() > deadline) throw e;
              await sleep(opts.pollMs);
            }
          }
        }
        await handle.result();
        result.totalMs = performance.now() - l0;
        result.ok = true;
      } catch (e) {
        result.error = (e as Error).message;
      }
      return result;
    });
    return { lifecycles, wallMs: performance.now() - t0 };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
  }
}
