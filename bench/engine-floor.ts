/**
 * The engine floor (`npm run bench -- --saturate --floor`): the case workflow itself — the real
 * `caseWorkflow` with its SLA timers, search-attribute upserts, local activities and patch marker —
 * on its own task queue on the same Temporal server, with activities that do nothing
 * (bench/engine-floor-activities.ts) and the same Updates and query polling as the bare baseline,
 * but no API, no database, no PDFs. Whatever the service does besides, it cannot cost less per
 * lifecycle than this: it bounds the saturation ratio any change outside the workflow can reach.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { parseConfig } from '../infra/config.js';
import { caseWorkflowStartOptions } from '../workflows/start-options.js';
import { caseStateQuery, type CaseWorkflowInput } from '../workflows/messages.js';
import { runUpdate, type UpdateName } from '../api/case-actions.js';
import { WORKFLOWS_PATH } from '../worker/worker.js';
import { createEngineFloorActivities } from './engine-floor-activities.js';
import type { CasePlan } from './lib/fixtures.js';
import { actionsFor, type Step } from './lib/lifecycle.js';
import { runWorkflowSide, type SideCommon, type SideRun } from './lib/workflow-side.js';

export const ENGINE_FLOOR_TASK_QUEUE = 'bench-engine-floor';

export interface EngineFloorOptions extends SideCommon {
  plans: CasePlan[];
}

export const engineFloorWorkflowId = (runId: string, i: number) => `bench-floor-${runId}-${i}`;

/** The Update the API sends for a lifecycle step, with the arguments its route would give it. */
function sendAction(handle: WorkflowHandle, step: Step, updateId: string) {
  const b = step.body as Record<string, unknown>;
  const args = {
    actor: { username: `floor-${step.role}`, role: step.role },
    inputId: updateId,
    digest: updateId,
    // Undefined fields do not travel: each action gets only its own.
    decision: b.decision,
    result: b.result,
    relationship: b.relationship,
    oldCardCollected: step.action === 'handover' ? (b.oldCardCollected ?? null) : undefined,
  };
  return runUpdate(handle, step.action as UpdateName, args, updateId, updateId);
}

export async function runEngineFloor(opts: EngineFloorOptions): Promise<SideRun> {
  // The policy new cases get from the service's own (default) configuration.
  const { policy } = parseConfig({});
  return runWorkflowSide({
    ...opts,
    count: opts.plans.length,
    workflowsPath: WORKFLOWS_PATH,
    worker: {
      taskQueue: ENGINE_FLOOR_TASK_QUEUE,
      activities: createEngineFloorActivities(),
      // The service worker's limits (worker/worker.ts).
      maxConcurrentWorkflowTaskExecutions: 8,
      maxConcurrentActivityTaskExecutions: 16,
      maxConcurrentLocalActivityExecutions: 16,
      maxCachedWorkflows: 1000,
    },
    async lifecycle(client, i, d) {
      const plan = opts.plans[i]!;
      const input: CaseWorkflowInput = {
        registrationNumber: engineFloorWorkflowId(opts.runId, i),
        documentType: plan.documentType,
        reason: plan.reason,
        district: String((plan.body.delivery as Record<string, unknown>).district),
        submittedAt: Date.now(),
        policy,
      };
      const handle = await client.workflow.start('caseWorkflow', { ...caseWorkflowStartOptions(input), taskQueue: ENGINE_FLOOR_TASK_QUEUE });
      for (const [k, step] of actionsFor(plan).entries()) {
        // The same condition the HTTP lifecycle waits for (tracking shows the step and what it waits for).
        await d.pollUntil(
          () => handle.query(caseStateQuery),
          (s) => s.currentStep === step.step && s.status === 'IN_PROGRESS' && s.waitingFor === step.waitingFor,
          (s) => `never ready for ${step.action} (at ${s.currentStep}, ${s.status}, waiting for ${s.waitingFor})`,
        );
        await d.update(() => sendAction(handle, step, `${step.action}:${k}`));
      }
      return handle;
    },
  });
}
