/** Attachment metadata (files themselves live in the FileStore under `attachments/{regNo}/{id}`). */
import type { Kysely, Transaction, Selectable } from 'kysely';
import type { AttachmentsTable, Database } from '../schema.js';

export type AttachmentRow = Selectable<AttachmentsTable>;

export function attachmentPath(registrationNumber: string, id: string): string {
  return `attachments/${registrationNumber}/${id}`;
}

export async function insertAttachments(
  db: Kysely<Database> | Transaction<Database>,
  rows: Array<Omit<AttachmentRow, 'created_at'>>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('attachments').values(rows).execute();
}

export async function listAttachments(db: Kysely<Database>, registrationNumber: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('registration_number', '=', registrationNumber)
    .orderBy('round')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getAttachment(db: Kysely<Database>, registrationNumber: string, id: string): Promise<AttachmentRow | null> {
  return (
    (await db.selectFrom('attachments').selectAll().where('registration_number', '=', registrationNumber).where('id', '=', id).executeTakeFirst()) ??
    null
  );
}

/** The highest round so far (0 = the submission). */
export async function latestRound(db: Kysely<Database> | Transaction<Database>, registrationNumber: string): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.max('round').as('r'))
    .where('registration_number', '=', registrationNumber)
    .executeTakeFirst();
  return Number(row?.r ?? 0);
}
