/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import type { Kysely } from 'kysely';

/**
 * Issue #14 item 4: the recipient's signature drawn on the courier's screen at handover, stored
 * encrypted under `receipts/` like the handover photo; the receipt row keeps its relative path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipts').addColumn('signature_path', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipts').dropColumn('signature_path').execute();
}
