/** Produced documents (labels, approval, receipt, archive), print jobs, signatures, receipts and recaps. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DocumentKind, DocumentsTable } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type DocumentRow = Selectable<DocumentsTable>;

export async function findDocument(db: Db, registrationNumber: string, kind: DocumentKind, version = 1): Promise<DocumentRow | null> {
  const row = await db
    .selectFrom('documents')
    .selectAll()
    .where('registration_number', '=', registrationNumber)
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ?? null;
}

/** Inserts once per (case, kind, version); returns the stored row (the first one on a repeat). */
export async function saveDocument(
  db: Db,
  d: { registrationNumber: string; kind: DocumentKind; version: number; storagePath: string; contentType: string; sha256: string; sizeBytes: number },
): Promise<DocumentRow> {
  await db
    .insertInto('documents')
    .values({
      registration_number: d.registrationNumber,
      kind: d.kind,
      version: d.version,
      storage_path: d.storagePath,
      content_type: d.contentType,
      sha256: d.sha256,
      size_bytes: d.sizeBytes,
    })
    .onConflict((oc) => oc.columns(['registration_number', 'kind', 'version']).doNothing())
    .execute();
  return (await findDocument(db, d.registrationNumber, d.kind, d.version))!;
}

export async function listDocuments(db: Db, registrationNumber: string): Promise<DocumentRow[]> {
  return db.selectFrom('documents').selectAll().where('registration_number', '=', registrationNumber).orderBy('id').execute();
}

export async function findPrintJob(db: Db, registrationNumber: string, attempt: number) {
  return (
    (await db
      .selectFrom('print_jobs')
      .selectAll()
      .where('registration_number', '=', registrationNumber)
      .where('attempt', '=', attempt)
      .executeTakeFirst()) ?? null
  );
}

/** Confirmed prints whose confirmation falls in [from, to): the day's recap. */
export async function confirmedPrintsBetween(db: Db, from: Date, to: Date) {
  return db
    .selectFrom('print_jobs')
    .innerJoin('cases', 'cases.registration_number', 'print_jobs.registration_number')
    .select([
      'print_jobs.registration_number',
      'print_jobs.attempt',
      'print_jobs.document_type',
      'print_jobs.printed_at',
      'print_jobs.confirmed_at',
      'cases.reason',
      'cases.district',
    ])
    .where('print_jobs.status', '=', 'CONFIRMED')
    .where('print_jobs.confirmed_at', '>=', from)
    .where('print_jobs.confirmed_at', '<', to)
    .orderBy('print_jobs.confirmed_at')
    .orderBy('print_jobs.registration_number')
    .execute();
}

export async function upsertDailyRecap(db: Db, r: { date: string; printedCount: number; pdfPath: string; csvPath: string }): Promise<void> {
  await db
    .insertInto('daily_recaps')
    .values({ date: r.date, printed_count: r.printedCount, pdf_path: r.pdfPath, csv_path: r.csvPath })
    .onConflict((oc) => oc.column('date').doUpdateSet({ printed_count: r.printedCount, pdf_path: r.pdfPath, csv_path: r.csvPath }))
    .execute();
}
