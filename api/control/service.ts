/**
 * The supervisors' control room ("Ruang kendali"): the live board, the cases behind a board cell,
 * escalations addressed to a role, and the SLA report for any period.
 *
 * Everything is aggregated in SQL (GROUP BY, FILTER, ordered-set percentiles) so the answers stay
 * small at a million cases; only a page of rows is finished in JS (office-clock lateness needs the
 * holiday calendar). No personal data: these answers carry only the non-personal facts every
 * staff role may see (SPEC §9).
 *
 * SLA semantics (also in the API description and on the screen):
 * - a period is [from 00:00 WIB, day after `to` 00:00 WIB); its end is capped at now;
 * - "selesai": step runs completed in the period, except runs ended by a cancellation (nobody did
 *   the step's work); minutes are counted minutes on the SLA clock (`counted_minutes`);
 * - "masih terbuka dan terlambat": runs that, at the period's end, had started, were not completed
 *   and were past their due time (due times are set on the SLA clock);
 * - share within standard = finished within standard / (finished with a standard + open overdue).
 *   Three late open cases therefore pull a step's share down instead of leaving it at 100 %.
 * - median and p90 are over each finished run's whole counted minutes (rounded down), the resolution
 *   of the SLA rollups the per-step report is read from (db/repositories/reports.ts `stepSlaSummary`).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { SOP_STEPS, type Role, type StepKey } from '../../domain/sop.js';

export type SlaGrouping = 'step' | 'district' | 'officer';

export interface SlaGroupRow {
  stepKey: StepKey;
  /** district name, officer username, or `role:<role>` for open overdue runs nobody has finished. */
  group: string | null;
  count: number;
  withStandard: number;
  withinStandard: number;
  completedLate: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  openOverdue: number;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Completed runs and open overdue runs per step (and per district or officer), for [from, to) capped
 * at now, from step_runs itself: the report per kecamatan and officer, and the reference the rollups
 * are tested against (test/unit/scale-queries.test.ts).
 */
export async function slaGroups(db: Kysely<Database>, o: { from: Date; to: Date; now: Date; by: SlaGrouping }): Promise<SlaGroupRow[]> {
  const end = new Date(Math.min(o.to.getTime(), o.now.getTime()));
  const groupCompleted =
    o.by === 'district' ? sql<string>`c.district` : o.by === 'officer' ? sql<string>`r.actor_username` : sql<string>`null`;
  const groupOpen = o.by === 'district' ? sql<string>`c.district` : o.by === 'officer' ? sql<string>`'role:' || r.role` : sql<string>`null`;
  const joinCases = o.by === 'district';

  let completed = db
    .selectFrom('step_runs as r')
    .select([
      'r.step_key as step_key',
      groupCompleted.as('grp'),
      sql<number>`count(*)`.as('n'),
      sql<number>`count(*) filter (where r.standard_minutes is not null)`.as('with_standard'),
      sql<number>`count(*) filter (where r.counted_minutes <= r.standard_minutes)`.as('within'),
      sql<number>`count(*) filter (where r.counted_minutes > r.standard_minutes)`.as('late'),
      sql<number>`percentile_cont(0.5) within group (order by floor(r.counted_minutes))`.as('median'),
      sql<number>`percentile_disc(0.9) within group (order by floor(r.counted_minutes))`.as('p90'),
    ])
    .where('r.completed_at', '>=', o.from)
    .where('r.completed_at', '<', o.to)
    .where('r.counted_minutes', 'is not', null)
    .where((eb) => eb.or([eb('r.outcome', 'is', null), eb('r.outcome', '<>', 'CANCELLED')]))
    .groupBy(['r.step_key', 'grp']);
  if (joinCases) completed = completed.innerJoin('cases as c', 'c.registration_number', 'r.registration_number');

  let open = db
    .selectFrom('step_runs as r')
    .select(['r.step_key as step_key', groupOpen.as('grp'), sql<number>`count(*)`.as('n')])
    .where('r.due_at', '<', end)
    .where('r.started_at', '<', end)
    .where((eb) => eb.or([eb('r.completed_at', 'is', null), eb('r.completed_at', '>=', end)]))
    .groupBy(['r.step_key', 'grp']);
  if (joinCases) open = open.innerJoin('cases as c', 'c.registration_number', 'r.registration_number');

  const [doneRows, openRows] = await Promise.all([completed.execute(), open.execute()]);
  const by = new Map<string, SlaGroupRow>();
  const keyOf = (step: string, grp: unknown) => `${step}\u0000${grp ?? ''}`;
  const entry = (step: StepKey, grp: string | null): SlaGroupRow => {
    const k = keyOf(step, grp);
    let e = by.get(k);
    if (!e) {
      e = { stepKey: step, group: grp, count: 0, withStandard: 0, withinStandard: 0, completedLate: 0, medianMinutes: null, p90Minutes: null, openOverdue: 0 };
      by.set(k, e);
    }
    return e;
  };
  for (const r of doneRows) {
    const e = entry(r.step_key, (r.grp as string | null) ?? null);
    e.count = num(r.n);
    e.withStandard = num(r.with_standard);
    e.withinStandard = num(r.within);
    e.completedLate = num(r.late);
    e.medianMinutes = numOrNull(r.median);
    e.p90Minutes = numOrNull(r.p90);
  }
  for (const r of openRows) entry(r.step_key, (r.grp as string | null) ?? null).openOverdue = num(r.n);
  const order = new Map(SOP_STEPS.map((s, i) => [s.key, i]));
  return [...by.values()].sort((a, b) => order.get(a.stepKey)! - order.get(b.stepKey)! || String(a.group).localeCompare(String(b.group)));
}

/** Finished within standard over everything measured (finished with a standard + still open and late); null when nothing. */
export function withinStandardShare(r: Pick<SlaGroupRow, 'withStandard' | 'withinStandard' | 'openOverdue'>): number | null {
  const denominator = r.withStandard + r.openOverdue;
  return denominator === 0 ? null : Math.round((r.withinStandard / denominator) * 1000) / 1000;
}

export interface BoardCell {
  stepKey: StepKey;
  district: string;
  open: number;
  overdue: number;
  escalated: number;
}

/** Cases in progress now, per current step and district. */
export async function boardCells(db: Kysely<Database>): Promise<{ cells: BoardCell[]; awaitingResubmission: number }> {
  const [rows, waiting] = await Promise.all([
    db
      .selectFrom('cases')
      .select([
        'current_step',
        'district',
        sql<number>`count(*)`.as('n'),
        sql<number>`count(*) filter (where overdue)`.as('overdue'),
        sql<number>`count(*) filter (where escalation_level > 0)`.as('escalated'),
      ])
      .where('status', '=', 'IN_PROGRESS')
      .groupBy(['current_step', 'district'])
      .execute(),
    db.selectFrom('cases').select(sql<number>`count(*)`.as('n')).where('status', '=', 'AWAITING_RESUBMISSION').executeTakeFirst(),
  ]);
  return {
    cells: rows.map((r) => ({ stepKey: r.current_step, district: r.district, open: num(r.n), overdue: num(r.overdue), escalated: num(r.escalated) })),
    awaitingResubmission: num(waiting?.n),
  };
}

export type CaseFilter = 'open' | 'overdue' | 'escalated';

export interface ControlCaseRow {
  registration_number: string;
  document_type: Database['cases']['document_type'];
  district: string;
  current_step: StepKey;
  step_started_at: Date | null;
  step_due_at: Date | null;
  overdue: boolean;
  escalation_level: number;
  waiting_for: string | null;
}

/**
 * Cases in progress behind a board cell, most overdue first (earliest due time), keyset-paged on
 * (due time, registration number); cases without a due time come last.
 */
export async function controlCases(
  db: Kysely<Database>,
  o: { step?: StepKey; district?: string; filter: CaseFilter; limit: number; after?: { due: Date | null; reg: string } },
): Promise<ControlCaseRow[]> {
  const dueKey = sql<Date>`coalesce(step_due_at, 'infinity'::timestamptz)`;
  let q = db
    .selectFrom('cases')
    .select(['registration_number', 'document_type', 'district', 'current_step', 'step_started_at', 'step_due_at', 'overdue', 'escalation_level', 'waiting_for'])
    .where('status', '=', 'IN_PROGRESS')
    .orderBy(dueKey)
    .orderBy('registration_number')
    .limit(o.limit);
  if (o.step) q = q.where('current_step', '=', o.step);
  if (o.district) q = q.where('district', '=', o.district);
  if (o.filter === 'overdue') q = q.where('overdue', '=', true);
  if (o.filter === 'escalated') q = q.where('escalation_level', '>', 0);
  if (o.after) {
    const due = o.after.due ?? sql<Date>`'infinity'::timestamptz`;
    q = q.where(sql<boolean>`(${dueKey}, registration_number) > (${due}, ${o.after.reg})`);
  }
  return q.execute() as Promise<ControlCaseRow[]>;
}

export interface EscalationRow extends ControlCaseRow {
  level: number;
  escalated_at: Date;
  step_key: StepKey;
}

/** Open escalations addressed to `role`: the escalated step run is still the case's current, unfinished run. */
export async function escalationsFor(db: Kysely<Database>, role: Role, limit: number): Promise<EscalationRow[]> {
  return db
    .selectFrom('escalations as e')
    .innerJoin('step_runs as r', (j) => j.onRef('r.registration_number', '=', 'e.registration_number').onRef('r.seq', '=', 'e.step_seq'))
    .innerJoin('cases as c', 'c.registration_number', 'e.registration_number')
    .select([
      'c.registration_number',
      'c.document_type',
      'c.district',
      'c.current_step',
      'c.step_started_at',
      'c.step_due_at',
      'c.overdue',
      'c.escalation_level',
      'c.waiting_for',
      'e.level',
      'e.at as escalated_at',
      'e.step_key',
    ])
    .where('e.role', '=', role)
    .where('r.completed_at', 'is', null)
    .where('c.status', '=', 'IN_PROGRESS')
    .orderBy('e.at', 'desc')
    .orderBy('c.registration_number')
    .limit(limit)
    .execute() as Promise<EscalationRow[]>;
}

export async function escalationCountFor(db: Kysely<Database>, role: Role): Promise<number> {
  const row = await db
    .selectFrom('escalations as e')
    .innerJoin('step_runs as r', (j) => j.onRef('r.registration_number', '=', 'e.registration_number').onRef('r.seq', '=', 'e.step_seq'))
    .innerJoin('cases as c', 'c.registration_number', 'e.registration_number')
    .select(sql<number>`count(distinct e.registration_number)`.as('n'))
    .where('e.role', '=', role)
    .where('r.completed_at', 'is', null)
    .where('c.status', '=', 'IN_PROGRESS')
    .executeTakeFirst();
  return num(row?.n);
}

/** Display names of officers (staff names are not citizens' personal data). */
export async function officerNames(db: Kysely<Database>, usernames: string[]): Promise<Map<string, { name: string; role: Role }>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['username', 'name', 'role']).where('username', 'in', usernames).execute();
  return new Map(rows.map((r) => [r.username, { name: r.name, role: r.role }]));
}
