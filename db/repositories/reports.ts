/**
 * The SLA report's per-step figures from the rollups (migrations 2026_12_03_0700 and
 * 2026_12_04_0100), kept current by the trigger on step_runs in the completing transaction.
 * Semantics are the control room's (api/control/service.ts): completed runs in the period except
 * cancellations; open runs past due at the period's end (capped at now); median and p90 over each
 * run's whole counted minutes (rounded down), as percentile_cont(0.5) / percentile_disc(0.9) give.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { StepKey } from '../../domain/sop.js';

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
  /** Completed runs in the range (cancellations left out). */
  count: number;
  /** Completed runs within their own standard (decided on the exact minutes), those that had one, and those over it. */
  withinStandard: number;
  withStandard: number;
  completedLate: number;
  /** Median and p90 of the counted minutes, in whole minutes (each run's minutes rounded down). */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Runs that at min(now, end of range) had started, were not completed and were past due. */
  openOverdue: number;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The Asia/Jakarta date (UTC+7 all year) of an instant. */
const jakartaDay = (ms: number) => isoDay(ms + 7 * 3_600_000);
const addDays = (day: string, n: number) => isoDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

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

/** Completed runs per step and whole minute, ascending by minute. */
type Histogram = Map<StepKey, Array<[minutes: number, runs: number]>>;
type Db = Kysely<Database> | Transaction<Database>;

async function histogram(db: Db, fromDay: string, toDay: string): Promise<Histogram> {
  const seg = rollupSegments(fromDay, toDay);
  const parts = [];
  if (seg.months) {
    parts.push(sql`select step_key, minutes, runs from sla_step_monthly where month >= ${seg.months[0]}::date and month < ${seg.months[1]}::date`);
  }
  for (const [a, b] of seg.days) parts.push(sql`select step_key, minutes, runs from sla_step_daily where day >= ${a}::date and day < ${b}::date`);
  const rows = await sql<{ step_key: StepKey; minutes: number; runs: number }>`
    select step_key, minutes, sum(runs)::bigint as runs from (${sql.join(parts, sql` union all `)}) r
    group by step_key, minutes order by step_key, minutes`.execute(db);
  const out: Histogram = new Map();
  for (const r of rows.rows) {
    let list = out.get(r.step_key);
    if (!list) out.set(r.step_key, (list = []));
    list.push([Number(r.minutes), Number(r.runs)]);
  }
  return out;
}

const runsIn = (list: ReadonlyArray<[number, number]> | undefined) => (list ?? []).reduce((n, [, r]) => n + r, 0);

function merged(a: ReadonlyArray<[number, number]> = [], b: ReadonlyArray<[number, number]> = []): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]![0] < b[j]![0])) out.push([...a[i++]!]);
    else if (i >= a.length || b[j]![0] < a[i]![0]) out.push([...b[j++]!]);
    else out.push([a[i]![0], a[i++]![1] + b[j++]![1]]);
  }
  return out;
}

/** The value at 1-based rank `rank` of a histogram. */
function atRank(list: ReadonlyArray<[number, number]>, rank: number): number {
  let cum = 0;
  for (const [m, r] of list) {
    cum += r;
    if (cum >= rank) return m;
  }
  return list[list.length - 1]![0];
}

/** PostgreSQL's percentile_cont(0.5) and percentile_disc(0.9) over a histogram (same float arithmetic). */
export function histogramPercentiles(list: ReadonlyArray<[number, number]>): { median: number | null; p90: number | null } {
  const n = runsIn(list);
  if (n === 0) return { median: null, p90: null };
  const pos = 0.5 * (n - 1);
  const lo = atRank(list, Math.floor(pos) + 1);
  const hi = atRank(list, Math.ceil(pos) + 1);
  const median = lo + (hi - lo) * (pos - Math.floor(pos));
  const p90 = atRank(list, Math.max(1, Math.ceil(0.9 * n)));
  return { median, p90 };
}

/**
 * Histograms of closed days (before today) per database handle, keyed by range: the year report
 * merges ~30 months and days of ~2,500 minute rows each; a closed range only changes when a run
 * completes with a time in it, which changes its day totals, so a cached histogram is used only
 * while its per-step run counts equal the day totals read in the same snapshot.
 */
const CACHE_MAX = 32;
const histogramCaches = new WeakMap<object, Map<string, Histogram>>();

/**
 * The SLA report's figures per step for the Jakarta days [fromDay, toDay] (inclusive), as of `now`:
 * counts and shares from the day totals, median and p90 from the minute rollups (closed days
 * through the cache above, today's live), open overdue runs from the partial indexes. One
 * repeatable-read snapshot, so the parts agree.
 */
export async function stepSlaSummary(db: Kysely<Database>, fromDay: string, toDay: string, now: Date): Promise<StepSlaSummary[]> {
  const today = jakartaDay(now.getTime());
  const closedTo = toDay < today ? toDay : addDays(today, -1);
  const liveFrom = fromDay > today ? fromDay : today;
  const endExcl = new Date(Date.parse(`${toDay}T00:00:00+07:00`) + DAY_MS);
  const end = endExcl.getTime() < now.getTime() ? endExcl : now;
  let cache = histogramCaches.get(db);
  if (!cache) histogramCaches.set(db, (cache = new Map()));
  const cacheKey = `${fromDay}|${closedTo}`;

  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const totals = await sql<{ step_key: StepKey; runs: number; within: number; with_std: number; closed_runs: number }>`
        select step_key, sum(runs)::bigint as runs, sum(within_standard)::bigint as within, sum(with_standard)::bigint as with_std,
               coalesce(sum(runs) filter (where day <= ${closedTo}::date), 0)::bigint as closed_runs
        from sla_step_day_totals where day >= ${fromDay}::date and day <= ${toDay}::date
        group by step_key`.execute(trx);
      let closed: Histogram = new Map();
      if (closedTo >= fromDay) {
        const cached = cache.get(cacheKey);
        const current =
          cached !== undefined &&
          totals.rows.every((t) => runsIn(cached.get(t.step_key)) === Number(t.closed_runs)) &&
          [...cached.keys()].every((k) => totals.rows.some((t) => t.step_key === k));
        if (current) {
          closed = cached;
          cache.delete(cacheKey); // re-inserted below: most recently used last
        } else {
          closed = await histogram(trx, fromDay, closedTo);
        }
        cache.set(cacheKey, closed);
        while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
      }
      const live: Histogram = liveFrom <= toDay ? await histogram(trx, liveFrom, toDay) : new Map();
      // Open and past due at `end`: still open now (whole UTC days of due times from the
      // sla_open_due counts, the end's own day from the partial index), or completed after `end`
      // (a late run's (due, completed] span contains `end`). A due time is never before its run's
      // start (start + standard on the SLA clock), so a run due before `end` started before it.
      const endDay = end.toISOString().slice(0, 10);
      const open = await sql<{ step_key: StepKey; n: number }>`
        select step_key, sum(n)::bigint as n from (
          select step_key, runs as n from sla_open_due where due_day < ${endDay}::date
          union all
          select step_key, 1 from step_runs
          where completed_at is null and due_at is not null and due_at >= ${new Date(`${endDay}T00:00:00Z`)}::timestamptz and due_at < ${end}::timestamptz
          union all
          select step_key, 1 from step_runs
          where completed_at > due_at and tstzrange(due_at, completed_at, '(]') @> ${end}::timestamptz and started_at < ${end}::timestamptz
        ) o group by step_key having sum(n) > 0`.execute(trx);

      const out = new Map<StepKey, StepSlaSummary>();
      const entry = (k: StepKey): StepSlaSummary => {
        let e = out.get(k);
        if (!e) out.set(k, (e = { stepKey: k, count: 0, withinStandard: 0, withStandard: 0, completedLate: 0, medianMinutes: null, p90Minutes: null, openOverdue: 0 }));
        return e;
      };
      for (const t of totals.rows) {
        const e = entry(t.step_key);
        e.count = Number(t.runs);
        e.withinStandard = Number(t.within);
        e.withStandard = Number(t.with_std);
        e.completedLate = e.withStandard - e.withinStandard;
        const p = histogramPercentiles(merged(closed.get(t.step_key), live.get(t.step_key)));
        e.medianMinutes = p.median;
        e.p90Minutes = p.p90;
      }
      for (const o of open.rows) entry(o.step_key).openOverdue = Number(o.n);
      return [...out.values()];
    });
}
