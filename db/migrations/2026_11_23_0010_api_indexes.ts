/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import type { Kysely } from 'kysely';

/** Indexes for the API's queries: staff search by exact NIK (any status), SLA reports by completion time, inputs per case. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_subject_nik').on('cases').column('subject_nik').execute();
  await db.schema.createIndex('step_runs_completed').on('step_runs').column('completed_at').execute();
  await db.schema.createIndex('action_inputs_case').on('action_inputs').columns(['registration_number', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('action_inputs_case').ifExists().execute();
  await db.schema.dropIndex('step_runs_completed').ifExists().execute();
  await db.schema.dropIndex('cases_subject_nik').ifExists().execute();
}
