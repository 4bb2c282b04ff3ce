/**
 * Temporal Schedules: the overdue digest every 30 minutes of office time and the closing of the
 * previous day's recap just after midnight (Asia/Jakarta). Created or updated at every start (idempotent).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../infra/config.js';
import { TASK_QUEUE } from '../domain/sop.js';

export const OVERDUE_DIGEST_SCHEDULE_ID = 'becak-pintar-overdue-digest';
export const DAILY_RECAP_SCHEDULE_ID = 'becak-pintar-daily-recap';
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
