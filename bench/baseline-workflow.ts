/**
 * The benchmark's floor: a bare Temporal workflow with the same shape as a case lifecycle — the
 * same number of Updates (one per staff action) and the same number of activities (no-ops) — but
 * no API, no database, no PDFs. `npm run bench` runs it on its own task queue on the same server,
 * so `throughputRatio` and the Update latencies say what the service adds on top of Temporal.
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities.js';

export interface BaselineInput {
  /** The staff actions in order (e.g. verify-documents, …, handover), as the real lifecycle sends them. */
  actions: string[];
  /** Activities to run over the lifecycle, spread between the actions like the real workflow's. */
  activities: number;
}

export const baselineActionUpdate = defineUpdate<{ position: number }, [{ action: string }]>('baselineAction');
/** The action the workflow waits for, or null while it runs activities / once finished. */
export const baselineWaitingQuery = defineQuery<string | null>('baselineWaiting');

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

export async function baselineWorkflow(input: BaselineInput): Promise<number> {
  let position = 0;
  let waiting: string | null = null;
  setHandler(baselineWaitingQuery, () => waiting);
  setHandler(
    baselineActionUpdate,
    () => {
      waiting = null;
      position++;
      return Promise.resolve({ position: position - 1 });
    },
    {
      // Like the real workflow's validators: an action not valid now is refused before it is recorded.
      validator: ({ action }) => {
        if (waiting !== action) throw ApplicationFailure.create({ type: 'NotReady', message: `waiting for ${waiting ?? 'nothing'}`, nonRetryable: true });
      },
    },
  );
  // Activities per gap: before each action and after the last, as evenly as possible.
  const gaps = input.actions.length + 1;
  const perGap = Array.from({ length: gaps }, (_, i) => Math.floor(input.activities / gaps) + (i < input.activities % gaps ? 1 : 0));
  for (let i = 0; i < input.actions.length; i++) {
    for (let k = 0; k < perGap[i]!; k++) await noop(`gap-${i}-${k}`);
    waiting = input.actions[i]!;
    await condition(() => position > i);
  }
  for (let k = 0; k < perGap[gaps - 1]!; k++) await noop(`final-${k}`);
  return position;
}
