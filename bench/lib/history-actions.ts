/**
 * Temporal actions of a workflow execution, counted from its history by kind (what Temporal Cloud
 * bills as "actions", approximately): the start, each scheduled activity, each workflow task that
 * recorded one or more local activities (one "local-activity batch" per task), each timer, each
 * search-attribute upsert, each accepted Update, each signal, each other marker (patch/version
 * markers, side effects), each child workflow start.
 */
import type { temporal } from '@temporalio/proto';

export const ACTION_KINDS = ['start', 'activities', 'localActivityBatches', 'timers', 'upserts', 'updates', 'signals', 'markers', 'children'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export type ActionCounts = Record<ActionKind, number> & { total: number; localActivities: number; workflowTasks: number };

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export function countActions(history: temporal.api.history.v1.IHistory): ActionCounts {
  const c: ActionCounts = { start: 0, activities: 0, localActivityBatches: 0, timers: 0, upserts: 0, updates: 0, signals: 0, markers: 0, children: 0, total: 0, localActivities: 0, workflowTasks: 0 };
  let laInTask = false;
  for (const e of history.events ?? []) {
    if (e.workflowExecutionStartedEventAttributes) c.start++;
    else if (e.activityTaskScheduledEventAttributes) c.activities++;
    else if (e.timerStartedEventAttributes) c.timers++;
    else if (e.upsertWorkflowSearchAttributesEventAttributes) c.upserts++;
    else if (e.workflowExecutionUpdateAcceptedEventAttributes) c.updates++;
    else if (e.workflowExecutionSignaledEventAttributes) c.signals++;
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) c.children++;
    else if (e.workflowTaskCompletedEventAttributes) {
      c.workflowTasks++;
      laInTask = false;
    } else if (e.markerRecordedEventAttributes) {
      if (e.markerRecordedEventAttributes.markerName === LOCAL_ACTIVITY_MARKER) {
        c.localActivities++;
        if (!laInTask) c.localActivityBatches++;
        laInTask = true;
      } else c.markers++;
    }
  }
  c.total = ACTION_KINDS.reduce((s, k) => s + c[k], 0);
  return c;
}

/** Mean per execution of each kind (rounded to 0.01). */
export function meanActions(all: ActionCounts[]): ActionCounts | null {
  if (!all.length) return null;
  const keys = Object.keys(all[0]!) as Array<keyof ActionCounts>;
  const out = {} as ActionCounts;
  for (const k of keys) out[k] = Math.round((all.reduce((s, c) => s + c[k], 0) / all.length) * 100) / 100;
  return out;
}
