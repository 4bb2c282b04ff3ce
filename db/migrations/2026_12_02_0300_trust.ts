/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Citizen-side trust (issue #12): tracking tokens (hash + sealed copy), per-case and per-NIK
 * attempt counters, the privacy-notice version and erasure marker on cases, and the erasure log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tracking_tokens')
    .addColumn('registration_number', 'text', (c) => c.primaryKey().references('cases.registration_number'))
    // SHA-256 (hex) of the token: the only form the lookup uses.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The token sealed with AES-256-GCM under a server key (for composing later messages); null once erased.
    .addColumn('token_sealed', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('attempt_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('cases').addColumn('privacy_notice_version', 'text').execute();
  await db.schema.alterTable('cases').addColumn('personal_data_erased_at', 'timestamptz').execute();
  await db.schema.createIndex('cases_retention').on('cases').columns(['closed_at']).where(sql.ref('personal_data_erased_at'), 'is', null).execute();

  await db.schema
    .createTable('erasure_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().unique().references('cases.registration_number'))
    .addColumn('trigger', 'text', (c) => c.notNull()) // RETENTION | REQUEST
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_username', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('files_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('erasure_log').ifExists().execute();
  await db.schema.dropIndex('cases_retention').ifExists().execute();
  await db.schema.alterTable('cases').dropColumn('personal_data_erased_at').execute();
  await db.schema.alterTable('cases').dropColumn('privacy_notice_version').execute();
  await db.schema.dropTable('attempt_counters').ifExists().execute();
  await db.schema.dropTable('tracking_tokens').ifExists().execute();
}
