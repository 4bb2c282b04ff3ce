/**
 * Runs the baseline: its own worker (task queue `bench-baseline`) on the given Temporal server,
 * N lifecycles of `baselineWorkflow` with the same concurrency, Updates and client polling as the
 * HTTP lifecycles (wait until the workflow waits for the action, send the Update, retry if refused).
 */
import { createBaselineActivities } from './baseline-activities.js';
import { baselineActionUpdate, baselineWaitingQuery, type BaselineInput } from './baseline-workflow.js';
import { runWorkflowSide, type SideCommon, type SideRun } from './lib/workflow-side.js';

export const BASELINE_TASK_QUEUE = 'bench-baseline';

export interface BaselineOptions extends SideCommon {
  /** Per lifecycle: the actions it sends (mirrors the HTTP run's plans). */
  plans: string[][];
  activitiesPerLifecycle: number;
}

export const BASELINE_WORKFLOWS_PATH = new URL('./baseline-workflow.ts', import.meta.url).pathname;

export async function runBaseline(opts: BaselineOptions): Promise<SideRun> {
  return runWorkflowSide({
    ...opts,
    count: opts.plans.length,
    workflowsPath: BASELINE_WORKFLOWS_PATH,
    worker: { taskQueue: BASELINE_TASK_QUEUE, activities: createBaselineActivities() },
    async lifecycle(client, i, d) {
      const input: BaselineInput = { actions: opts.plans[i]!, activities: opts.activitiesPerLifecycle };
      const handle = await client.workflow.start('baselineWorkflow', { taskQueue: BASELINE_TASK_QUEUE, workflowId: `bench-baseline-${opts.runId}-${i}`, args: [input] });
      for (const action of input.actions) {
        // Same client behaviour as the HTTP run: wait until the action is expected, then send it.
        await d.pollUntil(() => handle.query(baselineWaitingQuery), (waiting) => waiting === action, () => `never waited for ${action}`);
        await d.update(() => handle.executeUpdate(baselineActionUpdate, { args: [{ action }] }));
      }
      return handle;
    },
  });
}
