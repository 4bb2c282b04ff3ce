/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { type Kysely } from 'kysely';

/**
 * Task claims (issue #14 item 2): one staff member "sedang menangani" a case at a step. A claim
 * counts only while the case is still at the claimed step; a decision that moves the case on
 * leaves the row stale (ignored, and replaced by the next claim).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_claims')
    .addColumn('registration_number', 'text', (c) => c.primaryKey().references('cases.registration_number'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull().references('staff.username'))
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_claims_username').on('task_claims').columns(['username']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('task_claims').execute();
}
