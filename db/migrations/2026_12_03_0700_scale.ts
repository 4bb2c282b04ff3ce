/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Years of cases (issue #16 item 4): the indexes the staff lists, tasks, search, recap and
 * reports need at 1,000,000 cases, and the SLA rollups (per Jakarta day and month, per step, per
 * whole counted minute) kept current by a trigger on step_runs. bench/README.md has the plans.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Staff list filters walk their own (filter, submitted_at, registration_number) order: a deep
  // keyset page is one index range, whatever the filter.
  await sql`create index cases_status_submitted on cases (status, submitted_at, registration_number)`.execute(db);
  await sql`create index cases_step_submitted on cases (current_step, submitted_at, registration_number)`.execute(db);
  await sql`create index cases_overdue_submitted on cases (submitted_at, registration_number) where overdue`.execute(db);
  // Registration-number prefixes (LIKE 'BP-2026%'): text_pattern_ops compares bytes, so the
  // planner serves LIKE prefixes from it under any database collation (C.UTF-8, en_US, id_ID).
  await sql`create index cases_regno_pattern on cases (registration_number text_pattern_ops)`.execute(db);
  // Task lists: the open cases in the tasks' own order (most urgent first).
  await sql`create index cases_tasks on cases (overdue desc, step_due_at asc nulls last, submitted_at asc)
    where status = 'IN_PROGRESS'`.execute(db);
  // Daily recap: prints confirmed on a day.
  await sql`create index print_jobs_confirmed on print_jobs (confirmed_at) where status = 'CONFIRMED'`.execute(db);
  // Case detail and tracking read the receipt by case.
  await sql`create index receipts_case on receipts (registration_number)`.execute(db);
  // SLA report: steps still open, by due time (the open overdue ones).
  await sql`create index step_runs_open_due on step_runs (step_key, due_at) where completed_at is null`.execute(db);
  // Name search (contains) on PostgreSQL: trigram indexes when pg_trgm is available. PGlite has no
  // pg_trgm unless loaded; there the search stays a scan (embedded installs stay small).
  const trgm = await sql<{ ok: number }>`select 1 as ok from pg_available_extensions where name = 'pg_trgm'`.execute(db);
  if (trgm.rows.length > 0) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index cases_subject_name_trgm on cases using gin (subject_name_search gin_trgm_ops)`.execute(db);
    await sql`create index cases_contact_name_trgm on cases using gin (contact_name_search gin_trgm_ops)`.execute(db);
  }

  // SLA rollups: completed runs per (Jakarta day | month, step, whole counted minutes). Whole
  // minutes give exact counts and within-standard shares (decided per run on its exact minutes)
  // and percentiles at the minute (the exact value rounded down), in a few thousand rows a year.
  for (const [table, key] of [
    ['sla_step_daily', 'day'],
    ['sla_step_monthly', 'month'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(key, 'date', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('minutes', 'integer', (c) => c.notNull())
      .addColumn('runs', 'integer', (c) => c.notNull())
      .addColumn('within_standard', 'integer', (c) => c.notNull())
      .addColumn('with_standard', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [key, 'step_key', 'minutes'] as never)
      .execute();
  }
  // Jakarta is UTC+7 all year (no daylight saving): the day is computed without time-zone data.
  await sql`
    create function sla_rollup_step_run() returns trigger language plpgsql as $fn$
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
  await sql`create trigger step_runs_sla_rollup after insert or update of completed_at, counted_minutes on step_runs
    for each row execute function sla_rollup_step_run()`.execute(db);
  // Runs completed before this migration.
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

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists step_runs_sla_rollup on step_runs`.execute(db);
  await sql`drop function if exists sla_rollup_step_run()`.execute(db);
  await db.schema.dropTable('sla_step_monthly').ifExists().execute();
  await db.schema.dropTable('sla_step_daily').ifExists().execute();
  for (const name of [
    'cases_contact_name_trgm',
    'cases_subject_name_trgm',
    'step_runs_open_due',
    'receipts_case',
    'print_jobs_confirmed',
    'cases_tasks',
    'cases_regno_pattern',
    'cases_overdue_submitted',
    'cases_step_submitted',
    'cases_status_submitted',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
