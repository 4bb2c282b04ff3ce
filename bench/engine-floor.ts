/**
 * The engine floor (`npm run bench -- --saturate --floor`): the case workflow itself — the real
 * `caseWorkflow` with its SLA timers, search-attribute upserts, local activities and patch marker —
 * on its own task queue on the same Temporal server, with activities that do nothing
 * (bench/engine-floor-activities.ts) and the same Updates and query polling as the bare baseline,
 * but no API, no database, no PDFs. Whatever the service does besides, it cannot cost less per
 * lifecycle than this: it bounds the saturation ratio any change outside the workflow can reach.
 */
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { parseConfig } from '../infra/config.js';
import { caseWorkflowStartOptions } from '../workflows/start-options.js';
import {
  approveUpdate,
  caseStateQuery,
  confirmPrintUpdate,
  handoverUpdate,
  pickupUpdate,
  verifyDocumentsUpdate,
  verifyPrintUpdate,
  type CaseState,
  type CaseWorkflowInput,
} from '../workflows/messages.js';
import { createEngineFloorActivities } from './engine-floor-activities.js';
import type { CasePlan } from './lib/fixtures.js';
import { actionsFor, runPool, type Step } from './lib/lifecycle.js';
import { sleep } from './lib/http.js';
import type { BaselineLifecycle, BaselineRun } from './baseline.js';

export const ENGINE_FLOOR_TASK_QUEUE = 'bench-engine-floor';

export interface EngineFloorOptions {
  address: string;
  namespace: string;
  runId: string;
  plans: CasePlan[];
  concurrency: number;
  pollMs: number;
  /** Built before the measured run, so that webpack's CPU is not counted as the floor's. */
  workflowBundle?: WorkflowBundleWithSourceMap;
}

export const CASE_WORKFLOWS_PATH = new URL('../workflows/index.ts', import.meta.url).pathname;

export const engineFloorWorkflowId = (runId: string, i: number) => `bench-floor-${runId}-${i}`;

/** The Update the API sends for a lifecycle step, with the arguments it would carry. */
function sendAction(handle: WorkflowHandle, step: Step, updateId: string) {
  const base = { actor: { username: `floor-${step.role}`, role: step.role }, inputId: updateId, digest: updateId };
  const b = step.body as Record<string, any>;
  switch (step.action) {
    case 'verify-documents':
      return handle.executeUpdate(verifyDocumentsUpdate, { args: [{ ...base, decision: b.decision }], updateId });
    case 'verify-print':
      return handle.executeUpdate(verifyPrintUpdate, { args: [{ ...base, decision: b.decision }], updateId });
    case 'approve':
      return handle.executeUpdate(approveUpdate, { args: [{ ...base, decision: b.decision }], updateId });
    case 'confirm-print':
      return handle.executeUpdate(confirmPrintUpdate, { args: [{ ...base, result: b.result }], updateId });
    case 'pickup':
      return handle.executeUpdate(pickupUpdate, { args: [base], updateId });
    case 'handover':
      return handle.executeUpdate(handoverUpdate, { args: [{ ...base, relationship: b.relationship, oldCardCollected: b.oldCardCollected ?? null }], updateId });
    default:
      throw new Error(`engine floor: no Update for ${step.action}`);
  }
}

export async function runEngineFloor(opts: EngineFloorOptions): Promise<BaselineRun> {
  // The policy new cases get from the service's own (default) configuration.
  const { policy } = parseConfig({});
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: opts.namespace,
    taskQueue: ENGINE_FLOOR_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: CASE_WORKFLOWS_PATH }),
    activities: createEngineFloorActivities(),
    // The service worker's limits (worker/worker.ts).
    maxConcurrentWorkflowTaskExecutions: 8,
    maxConcurrentActivityTaskExecutions: 16,
    maxConcurrentLocalActivityExecutions: 16,
    maxCachedWorkflows: 1000,
  });
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection, namespace: opts.namespace });
  const running = worker.run();
  try {
    const t0 = performance.now();
    const lifecycles = await runPool(opts.plans.length, opts.concurrency, async (i) => {
      const plan = opts.plans[i]!;
      const result: BaselineLifecycle = { ok: false, updateMs: [], queryMs: [] };
      const l0 = performance.now();
      try {
        const input: CaseWorkflowInput = {
          registrationNumber: engineFloorWorkflowId(opts.runId, i),
          documentType: plan.documentType,
          reason: plan.reason,
          district: String((plan.body.delivery as Record<string, unknown>).district),
          submittedAt: Date.now(),
          policy,
        };
        const handle = await client.workflow.start('caseWorkflow', { ...caseWorkflowStartOptions(input), taskQueue: ENGINE_FLOOR_TASK_QUEUE });
        const waitUntil = async (what: string, pred: (s: CaseState) => boolean) => {
          const deadline = Date.now() + 120_000;
          for (;;) {
            const q0 = performance.now();
            const s = await handle.query(caseStateQuery);
            result.queryMs.push(performance.now() - q0);
            if (pred(s)) return;
            if (Date.now() > deadline) throw new Error(`engine floor ${i}: never reached ${what} (at ${s.currentStep}, ${s.status}, waiting for ${s.waitingFor})`);
            await sleep(opts.pollMs);
          }
        };
        for (const [k, step] of actionsFor(plan).entries()) {
          // The same condition the HTTP lifecycle waits for (tracking shows the step and what it waits for).
          await waitUntil(step.action, (s) => s.currentStep === step.step && s.status === 'IN_PROGRESS' && s.waitingFor === step.waitingFor);
          const deadline = Date.now() + 120_000;
          for (;;) {
            const u0 = performance.now();
            try {
              await sendAction(handle, step, `${step.action}:${k}`);
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
