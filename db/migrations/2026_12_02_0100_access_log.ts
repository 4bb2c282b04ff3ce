/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';
import { normalizeForSearch } from '../../domain/search.js';

/**
 * SPEC §9: the append-only access log of staff reads of personal data, and the normalised name
 * columns the staff search matches (filled here for existing cases, on insert for new ones).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('access_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('registration_number', 'text')
    .addColumn('step_key', 'text')
    .addColumn('detail', 'text')
    .addColumn('client_address', 'text')
    .execute();
  await db.schema.createIndex('access_log_case').on('access_log').columns(['registration_number', 'at']).execute();
  await db.schema.createIndex('access_log_at').on('access_log').column('at').execute();
  await db.schema.createIndex('access_log_user').on('access_log').columns(['username', 'at']).execute();
  // Append-only in the database itself: no UPDATE or DELETE gets through, whatever the code does.
  await sql`create function access_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'access_log is append-only'; end $$`.execute(db);
  await sql`create trigger access_log_no_change before update or delete on access_log
    for each row execute function access_log_append_only()`.execute(db);

  await db.schema.alterTable('cases').addColumn('subject_name_search', 'text').execute();
  await db.schema.alterTable('cases').addColumn('contact_name_search', 'text').execute();
  const rows = (await db.selectFrom('cases').select(['registration_number', 'subject_name', 'contact_name']).execute()) as Array<{
    registration_number: string;
    subject_name: string;
    contact_name: string;
  }>;
  for (const r of rows) {
    await db
      .updateTable('cases')
      .set({ subject_name_search: normalizeForSearch(r.subject_name), contact_name_search: normalizeForSearch(r.contact_name) })
      .where('registration_number', '=', r.registration_number)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('contact_name_search').execute();
  await db.schema.alterTable('cases').dropColumn('subject_name_search').execute();
  await sql`drop trigger if exists access_log_no_change on access_log`.execute(db);
  await sql`drop function if exists access_log_append_only()`.execute(db);
  await db.schema.dropTable('access_log').ifExists().execute();
}
