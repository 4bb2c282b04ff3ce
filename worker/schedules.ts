/**
 * Temporal Schedules: the overdue digest every 30 minutes of office time, the closing of the
 * previous day's recap just after midnight (Asia/Jakarta), and the hourly retention erasure.
 * Created or updated at every start (idempotent).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../infra/config.js';
import { TASK_QUEUE } from '../domain/sop.js';

export const OVERDUE_DIGEST_SCHEDULE_ID = 'becak-pintar-overdue-digest';
export const DAILY_RECAP_SCHEDULE_ID = 'becak-pintar-daily-recap';
export const RETENTION_SCHEDULE_ID = 'becak-pintar-retention';
const TZ = 'Asia/Jakarta';

export function scheduleDefinitions(config: Readonly<Config>, taskQueue = TASK_QUEUE): ScheduleOptions[] {
  const args = [{ holidays: [...config.policy.holidays] }];
  return [
    {
      scheduleId: OVERDUE_DIGEST_SCHEDULE_ID,
      spec: {
        // Office hours: Mon–Thu 07:30–16:00, Fri 07:30–16:30 (holidays are skipped by the workflow).
        cronExpressions: ['0,30 8-15 * * 1-4', '30 7 * * 1-5', '0,30 8-16 * * 5'],
        timezone: TZ,
      },
      action: { type: 'startWorkflow', workflowType: 'overdueDigestWorkflow', taskQueue, args, workflowExecutionTimeout: '10 minutes' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
      state: { note: 'Rekap permohonan terlambat untuk atasan, tiap 30 menit pada jam kerja.' },
    },
    {
      scheduleId: DAILY_RECAP_SCHEDULE_ID,
      spec: {
        // Just after midnight: closes the day that ended, with every print confirmed that day (also after 16:00).
        calendars: [{ hour: 0, minute: 5 }],
        timezone: TZ,
      },
      action: { type: 'startWorkflow', workflowType: 'dailyRecapWorkflow', taskQueue, args, workflowExecutionTimeout: '30 minutes' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
      state: { note: 'Menutup rekapitulasi harian dokumen tercetak (PDF dan CSV) hari sebelumnya, pukul 00.05 WIB, lalu diarsipkan.' },
    },
    {
      scheduleId: RETENTION_SCHEDULE_ID,
      // Every hour: a case is erased at most an hour after its RETENTION_DAYS have passed.
      spec: { intervals: [{ every: '1 hour', offset: '17 minutes' }] },
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue, args, workflowExecutionTimeout: '1 hour' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      state: { note: 'Penghapusan data pribadi permohonan yang masa retensinya (RETENTION_DAYS) telah lewat.' },
    },
  ];
}

export async function ensureSchedules(client: Client, config: Readonly<Config>, taskQueue = TASK_QUEUE): Promise<void> {
  for (const def of scheduleDefinitions(config, taskQueue)) {
    try {
      await client.schedule.create(def);
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
      // Already there: bring spec and action up to date with this configuration.
      await client.schedule.getHandle(def.scheduleId).update((prev) => ({
        ...prev,
        spec: def.spec,
        action: def.action,
        policies: { ...prev.policies, ...def.policies },
      }));
    }
  }
}
