/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Account management (issue #11 item 4): token revocation that lives in the database (so it holds
 * across API processes), the forced password change, and per-account login throttling.
 *
 * - staff.token_version: every token carries the version it was issued under; deactivation, a role
 *   change, a password change or reset bump it, and older tokens stop working at once.
 * - staff.must_change_password: set by an admin's reset and for the generated first admin.
 * - revoked_tokens: logged-out tokens (sha256 of the token id) until they would have expired.
 * - login_throttle: failed logins per username as typed (also for names that do not exist, so a
 *   lockout does not reveal which accounts exist).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('staff').addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('staff').addColumn('password_changed_at', 'timestamptz').execute();

  await db.schema
    .createTable('revoked_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('revoked_tokens_expires').on('revoked_tokens').column('expires_at').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').ifExists().execute();
  await db.schema.dropTable('revoked_tokens').ifExists().execute();
  await db.schema.alterTable('staff').dropColumn('password_changed_at').execute();
  await db.schema.alterTable('staff').dropColumn('must_change_password').execute();
  await db.schema.alterTable('staff').dropColumn('token_version').execute();
}
