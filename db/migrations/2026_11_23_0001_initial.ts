/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('registration_number', 'text', (c) => c.primaryKey())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_step', 'text', (c) => c.notNull())
    .addColumn('subject_nik', 'text', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('subject_birth_date', 'text', (c) => c.notNull())
    .addColumn('subject_married', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('kk_number', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('rt', 'text', (c) => c.notNull())
    .addColumn('rw', 'text', (c) => c.notNull())
    .addColumn('village', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('delivery_note', 'text')
    .addColumn('workflow_started', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('step_started_at', 'timestamptz')
    .addColumn('step_due_at', 'timestamptz')
    .addColumn('overdue', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting_for', 'text')
    .addColumn('state_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejection_step', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('rejected_at', 'timestamptz')
    .addColumn('resubmission_due_at', 'timestamptz')
    .addColumn('receipt_number', 'text')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  // One open case per subject and document type, enforced by the database itself.
  await sql`create unique index cases_one_open_per_subject on cases (subject_nik, document_type)
    where status in ('IN_PROGRESS', 'AWAITING_RESUBMISSION')`.execute(db);
  await db.schema.createIndex('cases_status_step').on('cases').columns(['status', 'current_step', 'step_due_at']).execute();
  await db.schema.createIndex('cases_submitted').on('cases').columns(['submitted_at', 'registration_number']).execute();
  await db.schema.createIndex('cases_unstarted').on('cases').column('workflow_started').where('workflow_started', '=', false).execute();

  await db.schema
    .createTable('step_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('standard_minutes', 'double precision')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('counted_minutes', 'double precision')
    .addColumn('outcome', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('overdue', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('step_runs_case_seq', ['registration_number', 'seq'])
    .execute();
  await db.schema.createIndex('step_runs_report').on('step_runs').columns(['step_key', 'completed_at']).execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('step_seq', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('escalations_once', ['registration_number', 'step_seq', 'level'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('case_events_once', ['registration_number', 'event_key'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('attachments_case').on('attachments').column('registration_number').execute();

  await db.schema
    .createTable('action_inputs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_username', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('blank_stock')
    .addColumn('document_type', 'text', (c) => c.primaryKey())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`insert into blank_stock (document_type, quantity) values ('KTP_EL', 0), ('KIA', 0)`.execute(db);

  await db.schema
    .createTable('blank_movements')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('registration_number', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('note', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('registration_number', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notifications_case').on('notifications').columns(['registration_number', 'created_at']).execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('documents_once', ['registration_number', 'kind', 'version'])
    .execute();

  await db.schema
    .createTable('signatures')
    .addColumn('registration_number', 'text', (c) => c.primaryKey().references('cases.registration_number'))
    .addColumn('signer_username', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_role', 'text', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('receipts')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().unique().references('cases.registration_number'))
    .addColumn('courier_username', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('old_card_collected', 'boolean')
    .addColumn('note', 'text')
    .addColumn('photo_path', 'text')
    .addColumn('delivered_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('print_jobs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().references('cases.registration_number'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('job_path', 'text', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('printed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addUniqueConstraint('print_jobs_once', ['registration_number', 'attempt'])
    .execute();
  await db.schema.createIndex('print_jobs_day').on('print_jobs').columns(['status', 'printed_at']).execute();

  await db.schema
    .createTable('daily_recaps')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('printed_count', 'integer', (c) => c.notNull())
    .addColumn('pdf_path', 'text', (c) => c.notNull())
    .addColumn('csv_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('registration_counters')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'registration_counters', 'idempotency_keys', 'daily_recaps', 'print_jobs', 'receipts', 'signatures', 'documents',
    'notifications', 'blank_movements', 'blank_stock', 'staff', 'action_inputs', 'attachments', 'case_events',
    'escalations', 'step_runs', 'cases',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
