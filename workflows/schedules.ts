/** Workflows started by Temporal Schedules: the overdue digest and the daily recap. */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { isOfficeDay, jakartaDate, jakartaInstant } from '../domain/calendar.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});

export interface ScheduleInput {
  /** Office holidays (YYYY-MM-DD): the schedules' calendars know weekdays only. */
  holidays: readonly string[];
}

/** When the Schedule meant this run to happen (stable across retries), else the start time. */
function scheduledTime(): number {
  const info = workflowInfo();
  const attr = info.searchAttributes?.TemporalScheduledStartTime as unknown;
  const first = Array.isArray(attr) ? attr[0] : attr;
  const t = first instanceof Date ? first.getTime() : typeof first === 'string' ? Date.parse(first) : NaN;
  return Number.isFinite(t) ? t : info.startTime.getTime();
}

const SLOT_MS = 30 * 60 * 1000;

export async function overdueDigestWorkflow(input: ScheduleInput): Promise<{ skipped: boolean; cases: number; messages: number }> {
  const at = scheduledTime();
  if (!isOfficeDay(jakartaDate(at), input.holidays)) return { skipped: true, cases: 0, messages: 0 };
  const slot = Math.floor(at / SLOT_MS) * SLOT_MS;
  const r = await acts.sendOverdueDigest({ slot });
  return { skipped: false, ...r };
}

/**
 * Closes the recap of the day that just ended (the Schedule fires just after midnight WIB), so
 * prints confirmed after office hours are in their day's recap. A weekend or holiday is closed
 * only if something was printed or damaged that day.
 */
export async function dailyRecapWorkflow(input: ScheduleInput): Promise<{ skipped: boolean; date: string; count: number }> {
  const today = jakartaDate(scheduledTime());
  const date = jakartaDate(jakartaInstant(today) - 12 * 60 * 60 * 1000);
  const r = await acts.buildDailyRecap({ date, skipIfEmpty: !isOfficeDay(date, input.holidays) });
  return { skipped: r.skipped ?? false, date, count: r.count };
}

/**
 * Retention (SPEC §9): erases the personal data of cases closed more than RETENTION_DAYS ago, and
 * finishes erasures interrupted midway. The activity works in batches; the workflow repeats until
 * nothing is left (bounded, so one run never grows its history without end).
 */
export async function retentionWorkflow(_input: ScheduleInput): Promise<{ erased: number }> {
  const at = scheduledTime();
  let erased = 0;
  for (let i = 0; i < 50; i++) {
    const r = await acts.eraseExpiredCases({ at, limit: 50 });
    erased += r.erased;
    if (!r.more) break;
  }
  return { erased };
}
