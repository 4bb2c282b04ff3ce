/** SLA report from step_runs: per step, count, median and p90 of counted minutes, share within standard. */
import { sql, type Kysely } from 'kysely';
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

/** One step's SLA figures over a range of Jakarta days (from the rollups) and its open overdue runs. */
export interface StepSlaSummary {
  stepKey: StepKey;
  /** Completed runs in the range. */
  count: number;
  /** Median and p90 of the counted minutes, in whole minutes (each run's minutes rounded down). */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Completed runs within their own standard (decided on the exact minutes), and those that had one. */
  withinStandard: number;
  withStandard: number;
  /** Runs not completed whose due time passed before min(now, end of range): still overdue. */
  openOverdue: number;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Splits [fromDay, toDay] (inclusive, YYYY-MM-DD) into whole months and the loose days around them. */
export function rollupSegments(fromDay: string, toDay: string): { months: [string, string] | null; days: Array<[string, string]> } {
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const toExcl = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  const f = new Date(from);
  const firstMonth = f.getUTCDate() === 1 ? from : Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 1);
  const t = new Date(toExcl);
  const endMonth = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
  if (firstMonth >= endMonth) return { months: null, days: [[fromDay, isoDay(toExcl)]] };
  const days: Array<[string, string]> = [];
  if (from < firstMonth) days.push([fromDay, isoDay(firstMonth)]);
  if (endMonth < toExcl) days.push([isoDay(endMonth), isoDay(toExcl)]);
  return { months: [isoDay(firstMonth), isoDay(endMonth)], days };
}

/**
 * The SLA report's figures per step for the Jakarta days [fromDay, toDay], computed in SQL from
 * the rollups (sla_step_monthly for whole months, sla_step_daily for the days around them), which
 * the step_runs trigger keeps current in the completing transaction; plus the open runs overdue
 * at min(now, end of range), from the partial index on open runs. A year is a few thousand rows.
 */
export async function stepSlaSummary(db: Kysely<Database>, fromDay: string, toDay: string, now: Date): Promise<StepSlaSummary[]> {
  const seg = rollupSegments(fromDay, toDay);
  const parts = [];
  if (seg.months) {
    parts.push(sql`select step_key, minutes, runs, within_standard, with_standard from sla_step_monthly
      where month >= ${seg.months[0]}::date and month < ${seg.months[1]}::date`);
  }
  for (const [a, b] of seg.days) {
    parts.push(sql`select step_key, minutes, runs, within_standard, with_standard from sla_step_daily
      where day >= ${a}::date and day < ${b}::date`);
  }
  const rows = await sql<{ step_key: StepKey; n: number; within: number; with_std: number; lo: number | null; hi: number | null; p90: number | null }>`
    with h as (
      select step_key, minutes, sum(runs)::bigint as runs, sum(within_standard)::bigint as w, sum(with_standard)::bigint as ws
      from (${sql.join(parts, sql` union all `)}) r
      group by step_key, minutes
    ), c as (
      select step_key, minutes, runs, w, ws,
             sum(runs) over (partition by step_key order by minutes) as cum,
             sum(runs) over (partition by step_key) as total
      from h
    )
    select step_key, max(total)::bigint as n, sum(w)::bigint as within, sum(ws)::bigint as with_std,
           min(minutes) filter (where cum >= ceil(total / 2.0)) as lo,
           min(minutes) filter (where cum >= floor(total / 2) + 1) as hi,
           min(minutes) filter (where cum >= ceil(total * 0.9)) as p90
    from c group by step_key`.execute(db);
  const endExcl = new Date(Date.parse(`${toDay}T00:00:00+07:00`) + DAY_MS);
  const until = endExcl.getTime() < now.getTime() ? endExcl : now;
  const open = await sql<{ step_key: StepKey; n: number }>`
    select step_key, count(*)::bigint as n from step_runs
    where completed_at is null and due_at < ${until} group by step_key`.execute(db);
  const openBy = new Map(open.rows.map((r) => [r.step_key, Number(r.n)]));
  const out = new Map<StepKey, StepSlaSummary>();
  for (const r of rows.rows) {
    const n = Number(r.n);
    const odd = n % 2 === 1;
    out.set(r.step_key, {
      stepKey: r.step_key,
      count: n,
      // Odd count: the middle run; even: the mean of the two middle runs (as median() does).
      medianMinutes: n === 0 || r.hi === null ? null : odd ? Number(r.hi) : (Number(r.lo) + Number(r.hi)) / 2,
      p90Minutes: r.p90 === null ? null : Number(r.p90),
      withinStandard: Number(r.within),
      withStandard: Number(r.with_std),
      openOverdue: openBy.get(r.step_key) ?? 0,
    });
  }
  for (const [k, n] of openBy) {
    if (!out.has(k)) out.set(k, { stepKey: k, count: 0, medianMinutes: null, p90Minutes: null, withinStandard: 0, withStandard: 0, openOverdue: n });
  }
  return [...out.values()];
}
