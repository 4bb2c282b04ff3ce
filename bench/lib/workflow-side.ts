/**
 * A side of the benchmark that talks to Temporal directly (the bare baseline, the engine floor):
 * its own worker in this process on its own task queue, N workflows with C in flight, each driven
 * like the HTTP lifecycles are — poll a query until the workflow waits for the action, send the
 * Update, retry it while the workflow refuses it — then wait for the workflow's result.
 */
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { runPool } from './lifecycle.js';
import { sleep } from './http.js';

export interface SideLifecycle {
  ok: boolean;
  error?: string;
  updateMs: number[];
  /** Latency of each query poll (what a query round trip through the worker costs under this load). */
  queryMs: number[];
  totalMs?: number;
}

export interface SideRun {
  lifecycles: SideLifecycle[];
  wallMs: number;
}

/** What one lifecycle's driver gets: its workflow's handle and helpers that record latencies. */
export interface SideDriver {
  /** Polls `query` every `pollMs` until `done(answer)`; throws after two minutes. */
  pollUntil<T>(query: () => Promise<T>, done: (answer: T) => boolean, what: (answer: T) => string): Promise<void>;
  /** Sends an Update, again after `pollMs` while the workflow refuses it, for up to two minutes. */
  update(send: () => Promise<unknown>): Promise<void>;
}

/** What the bench gives every side. */
export interface SideCommon {
  address: string;
  namespace: string;
  runId: string;
  concurrency: number;
  pollMs: number;
  /** Built before the measured run, so that webpack's CPU is not counted as the side's. */
  workflowBundle?: WorkflowBundleOption;
}

export interface SideOptions extends SideCommon {
  count: number;
  /** The workflows, bundled here when no `workflowBundle` was given. */
  workflowsPath: string;
  /** Worker options besides its connection, namespace and workflows (task queue, activities, limits). */
  worker: Omit<WorkerOptions, 'connection' | 'namespace' | 'workflowsPath' | 'workflowBundle'>;
  /** Starts lifecycle `i`'s workflow and drives it through its actions with `d`. */
  lifecycle(client: Client, i: number, d: SideDriver): Promise<WorkflowHandle>;
}

const STEP_TIMEOUT_MS = 120_000;

export async function runWorkflowSide(opts: SideOptions): Promise<SideRun> {
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: opts.namespace,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: opts.workflowsPath }),
    ...opts.worker,
  });
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection, namespace: opts.namespace });
  const running = worker.run();
  try {
    const t0 = performance.now();
    const lifecycles = await runPool(opts.count, opts.concurrency, async (i) => {
      const result: SideLifecycle = { ok: false, updateMs: [], queryMs: [] };
      const driver: SideDriver = {
        async pollUntil(query, done, what) {
          const deadline = Date.now() + STEP_TIMEOUT_MS;
          for (;;) {
            const q0 = performance.now();
            const answer = await query();
            result.queryMs.push(performance.now() - q0);
            if (done(answer)) return;
            if (Date.now() > deadline) throw new Error(`lifecycle ${i}: ${what(answer)}`);
            await sleep(opts.pollMs);
          }
        },
        async update(send) {
          const deadline = Date.now() + STEP_TIMEOUT_MS;
          for (;;) {
            const u0 = performance.now();
            try {
              await send();
              result.updateMs.push(performance.now() - u0);
              return;
            } catch (e) {
              if (!(e instanceof WorkflowUpdateFailedError) || Date.now() > deadline) throw e;
              await sleep(opts.pollMs);
            }
          }
        },
      };
      const l0 = performance.now();
      try {
        const handle = await opts.lifecycle(client, i, driver);
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
