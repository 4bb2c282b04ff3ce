/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * The SLA report (`GET /api/reports/sla`, api/control) from the rollups, with the control room's
 * semantics (issue #16 item 4):
 * - the rollups leave out runs ended by a cancellation (nobody did the step's work), as the report
 *   does: the trigger function is replaced and the rollups rebuilt;
 * - `sla_step_day_totals`: completed runs per Jakarta day and step (no minute dimension), the
 *   report's counts and shares in ~7 rows a day, and the check that a cached histogram is current;
 * - open runs past due at a period's end: a partial index on the open runs with a due time (the
 *   0700 index also held every open run without one: the DONE runs of all finished cases), and a
 *   GiST index on the late runs' (due, completed] spans for the runs that were open and overdue at a
 *   past period's end and completed after it.
 * bench/README.md ('Years of cases') has the plans.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_step_day_totals')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('within_standard', 'integer', (c) => c.notNull())
    .addColumn('with_standard', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_step_day_totals_pk', ['day', 'step_key'] as never)
    .execute();
  // Same function name as 0700's: its trigger on step_runs now runs this body.
  await sql`
    create or replace function sla_rollup_step_run() returns trigger language plpgsql as $fn$
    declare
      d date;
      m integer;
      w integer;
      ws integer;
    begin
      if new.completed_at is null or new.counted_minutes is null then return null; end if;
      if new.outcome = 'CANCELLED' then return null; end if;
      if tg_op = 'UPDATE' and old.completed_at is not null and old.counted_minutes is not null then return null; end if;
      d := ((new.completed_at at time zone 'UTC') + interval '7 hours')::date;
      m := floor(new.counted_minutes)::integer;
      ws := case when new.standard_minutes is null then 0 else 1 end;
      w := case when new.standard_minutes is not null and new.counted_minutes <= new.standard_minutes then 1 else 0 end;
      insert into sla_step_daily as t (day, step_key, minutes, runs, within_standard, with_standard)
        values (d, new.step_key, m, 1, w, ws)
        on conflict (day, step_key, minutes) do update
          set runs = t.runs + 1, within_standard = t.within_standard + w, with_standard = t.with_standard + ws;
      insert into sla_step_monthly as t (month, step_key, minutes, runs, within_standard, with_standard)
        values (date_trunc('month', d)::date, new.step_key, m, 1, w, ws)
        on conflict (month, step_key, minutes) do update
          set runs = t.runs + 1, within_standard = t.within_standard + w, with_standard = t.with_standard + ws;
      insert into sla_step_day_totals as t (day, step_key, runs, within_standard, with_standard)
        values (d, new.step_key, 1, w, ws)
        on conflict (day, step_key) do update
          set runs = t.runs + 1, within_standard = t.within_standard + w, with_standard = t.with_standard + ws;
      return null;
    end
    $fn$`.execute(db);
  await backfillSlaRollups(db);

  await sql`drop index if exists step_runs_open_due`.execute(db);
  await sql`create index step_runs_open_overdue on step_runs (due_at) include (step_key, started_at)
    where completed_at is null and due_at is not null`.execute(db);
  // (due, completed]: contains a period's end exactly when the run was past due and not yet
  // completed at that end. Only late runs can contain one.
  await sql`create index step_runs_late_span on step_runs using gist (tstzrange(due_at, completed_at, '(]'))
    where completed_at > due_at`.execute(db);
}

/**
 * Rebuilds the SLA rollups from step_runs in one pass (the trigger's rules: completed runs with
 * counted minutes, cancellations left out, per Jakarta day). Also used by bench/scale-seed.ts,
 * which inserts runs with the trigger off.
 */
export async function backfillSlaRollups(db: Kysely<any>): Promise<void> {
  await sql`truncate sla_step_daily, sla_step_monthly, sla_step_day_totals`.execute(db);
  await sql`
    insert into sla_step_daily (day, step_key, minutes, runs, within_standard, with_standard)
    select ((completed_at at time zone 'UTC') + interval '7 hours')::date, step_key, floor(counted_minutes)::integer, count(*),
           count(*) filter (where standard_minutes is not null and counted_minutes <= standard_minutes),
           count(*) filter (where standard_minutes is not null)
    from step_runs
    where completed_at is not null and counted_minutes is not null and outcome is distinct from 'CANCELLED'
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  await sql`
    insert into sla_step_monthly (month, step_key, minutes, runs, within_standard, with_standard)
    select date_trunc('month', day)::date, step_key, minutes, sum(runs), sum(within_standard), sum(with_standard)
    from sla_step_daily group by 1, 2, 3`.execute(db);
  await sql`
    insert into sla_step_day_totals (day, step_key, runs, within_standard, with_standard)
    select day, step_key, sum(runs), sum(within_standard), sum(with_standard)
    from sla_step_daily group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists step_runs_late_span`.execute(db);
  await sql`drop index if exists step_runs_open_overdue`.execute(db);
  await sql`create index if not exists step_runs_open_due on step_runs (step_key, due_at) where completed_at is null`.execute(db);
  // 0700's body (cancellations counted, no day totals).
  await sql`
    create or replace function sla_rollup_step_run() returns trigger language plpgsql as $fn$
    declare
      d date;
      m integer;
      w integer;
      ws integer;
    begin
      if new.completed_at is null or new.counted_minutes is null then return null; end if;
      if tg_op = 'UPDATE' and old.completed_at is not null and old.counted_minutes is not null then return null; end if;
      d := ((new.completed_at at time zone 'UTC') + interval '7 hours')::date;
      m := floor(new.counted_minutes)::integer;
      ws := case when new.standard_minutes is null then 0 else 1 end;
      w := case when new.standard_minutes is not null and new.counted_minutes <= new.standard_minutes then 1 else 0 end;
      insert into sla_step_daily as t (day, step_key, minutes, runs, within_standard, with_standard)
        values (d, new.step_key, m, 1, w, ws)
        on conflict (day, step_key, minutes) do update
          set runs = t.runs + 1, within_standard = t.within_standard + w, with_standard = t.with_standard + ws;
      insert into sla_step_monthly as t (month, step_key, minutes, runs, within_standard, with_standard)
        values (date_trunc('month', d)::date, new.step_key, m, 1, w, ws)
        on conflict (month, step_key, minutes) do update
          set runs = t.runs + 1, within_standard = t.within_standard + w, with_standard = t.with_standard + ws;
      return null;
    end
    $fn$`.execute(db);
  await db.schema.dropTable('sla_step_day_totals').ifExists().execute();
  await sql`truncate sla_step_daily, sla_step_monthly`.execute(db);
  await sql`
    insert into sla_step_daily (day, step_key, minutes, runs, within_standard, with_standard)
    select ((completed_at at time zone 'UTC') + interval '7 hours')::date, step_key, floor(counted_minutes)::integer, count(*),
           count(*) filter (where standard_minutes is not null and counted_minutes <= standard_minutes),
           count(*) filter (where standard_minutes is not null)
    from step_runs where completed_at is not null and counted_minutes is not null
    group by 1, 2, 3`.execute(db);
  await sql`
    insert into sla_step_monthly (month, step_key, minutes, runs, within_standard, with_standard)
    select date_trunc('month', day)::date, step_key, minutes, sum(runs), sum(within_standard), sum(with_standard)
    from sla_step_daily group by 1, 2, 3`.execute(db);
}
