/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import type { Kysely } from 'kysely';

/**
 * Signature payload v2 (issue #12 item 6): the signer's NIP on staff and on the signature, and the
 * SHA-256 of the signed approval PDF. Both signature columns are copies for display: /api/verify
 * shows what the signed payload says, never these columns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('nip', 'text').execute();
  await db.schema.alterTable('signatures').addColumn('signer_nip', 'text').execute();
  await db.schema.alterTable('signatures').addColumn('document_sha256', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('signatures').dropColumn('document_sha256').execute();
  await db.schema.alterTable('signatures').dropColumn('signer_nip').execute();
  await db.schema.alterTable('staff').dropColumn('nip').execute();
}
