/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Open step runs with a due time, counted per step and UTC day of the due time, kept exact by a
 * trigger on step_runs (insert, completion, a changed due time or step, delete). The SLA report's
 * "open and overdue at the period's end" then sums whole days here and counts only the runs due on
 * the end's own day from the partial index (a backlog of 50,000 open overdue runs was a 50,000-entry
 * index scan on every report). bench/README.md ('Years of cases') has the plans.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_open_due')
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('due_day', 'date', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_open_due_pk', ['step_key', 'due_day'] as never)
    .execute();
  await sql`
    create function sla_open_due_step_run() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.completed_at is null and old.due_at is not null then
        if tg_op = 'UPDATE' and new.completed_at is null and new.due_at = old.due_at and new.step_key = old.step_key then return null; end if;
        update sla_open_due set runs = runs - 1 where step_key = old.step_key and due_day = (old.due_at at time zone 'UTC')::date;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.completed_at is null and new.due_at is not null then
        insert into sla_open_due as t (step_key, due_day, runs) values (new.step_key, (new.due_at at time zone 'UTC')::date, 1)
          on conflict (step_key, due_day) do update set runs = t.runs + 1;
      end if;
      return null;
    end
    $fn$`.execute(db);
  await sql`create trigger step_runs_sla_open_due after insert or update of completed_at, due_at, step_key or delete on step_runs
    for each row execute function sla_open_due_step_run()`.execute(db);
  await backfillOpenDue(db);
}

/** Rebuilds sla_open_due from step_runs (also used by bench/scale-seed.ts, which seeds with triggers off). */
export async function backfillOpenDue(db: Kysely<any>): Promise<void> {
  await sql`truncate sla_open_due`.execute(db);
  await sql`
    insert into sla_open_due (step_key, due_day, runs)
    select step_key, (due_at at time zone 'UTC')::date, count(*) from step_runs
    where completed_at is null and due_at is not null group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists step_runs_sla_open_due on step_runs`.execute(db);
  await sql`drop function if exists sla_open_due_step_run()`.execute(db);
  await db.schema.dropTable('sla_open_due').ifExists().execute();
}
