/** SLA report from step_runs: per step, count, median and p90 of counted minutes, share within standard. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { StepKey } from '../../domain/sop.js';

export interface StepDurations {
  stepKey: StepKey;
  /** counted_minutes of each completed run, ascending. */
  minutes: number[];
  /** Runs whose counted minutes stayed within the run's own standard. */
  withinStandard: number;
  /** Runs that had a standard to compare with. */
  withStandard: number;
}

/** Completed runs with `completed_at` in [from, to). */
export async function stepDurations(db: Kysely<Database>, from: Date, to: Date): Promise<StepDurations[]> {
  const rows = await db
    .selectFrom('step_runs')
    .select(['step_key', 'counted_minutes', 'standard_minutes'])
    .where('completed_at', '>=', from)
    .where('completed_at', '<', to)
    .where('counted_minutes', 'is not', null)
    .execute();
  const by = new Map<StepKey, StepDurations>();
  for (const r of rows) {
    const entry = by.get(r.step_key) ?? { stepKey: r.step_key, minutes: [], withinStandard: 0, withStandard: 0 };
    const m = Number(r.counted_minutes);
    entry.minutes.push(m);
    if (r.standard_minutes !== null) {
      entry.withStandard++;
      if (m <= Number(r.standard_minutes)) entry.withinStandard++;
    }
    by.set(r.step_key, entry);
  }
  for (const e of by.values()) e.minutes.sort((a, b) => a - b);
  return [...by.values()];
}

/** Nearest-rank percentile of an ascending list (p in 0–100); null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
