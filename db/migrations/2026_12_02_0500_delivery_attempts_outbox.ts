/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Issue #13 (exceptions): failed delivery attempts per case; the outbox's long retries (when the
 * next try is due, until when it is retried, and a short claim so two senders never send one row twice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('notifications').addColumn('next_attempt_at', 'timestamptz').execute();
  await db.schema.alterTable('notifications').addColumn('retry_until', 'timestamptz').execute();
  await db.schema.alterTable('notifications').addColumn('locked_until', 'timestamptz').execute();
  // Rows from before: retried for a day from their creation, like new ones.
  await sql`update notifications set retry_until = created_at + interval '24 hours' where status <> 'SENT'`.execute(db);
  await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_due').ifExists().execute();
  await db.schema.alterTable('notifications').dropColumn('locked_until').execute();
  await db.schema.alterTable('notifications').dropColumn('retry_until').execute();
  await db.schema.alterTable('notifications').dropColumn('next_attempt_at').execute();
  await db.schema.alterTable('cases').dropColumn('delivery_attempts').execute();
}
