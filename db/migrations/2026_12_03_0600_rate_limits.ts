/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import type { Kysely } from 'kysely';

/**
 * The public per-address rate limit shared by every API process (issue #16): rate-limiter-flexible's
 * PostgreSQL store keeps its counters here (its own column layout: key, points, expire in epoch ms).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  await db.schema.createIndex('rate_limits_expire').on('rate_limits').column('expire').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
