/** The daily recap of printed documents (PDF + CSV), stored under files/recaps and recorded in daily_recaps. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FileStore } from '../infra/files.js';
import { jakartaDateTime, jakartaInstant } from '../domain/calendar.js';
import { DOCUMENT_TYPE_LABELS, REQUEST_REASON_LABELS } from '../domain/sop.js';
import { confirmedPrintsBetween, upsertDailyRecap } from '../db/repositories/documents.js';
import type { OfficeProfile } from '../domain/office.js';
import { renderRecap, type RecapRow } from './pdf.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * CSV as Excel with Indonesian regional settings opens it in columns: `;` separators (the list
 * separator where `,` is the decimal mark), a UTF-8 byte-order mark, CRLF line ends.
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';
export function csvCell(v: string): string {
  return /[";\r\n,]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
export function toCsv(rows: string[][]): string {
  return CSV_BOM + rows.map((cols) => cols.map(csvCell).join(CSV_SEPARATOR)).join('\r\n') + '\r\n';
}

export async function buildDailyRecap(
  deps: { db: Kysely<Database>; files: FileStore; office?: OfficeProfile },
  date: string,
): Promise<{ count: number; pdf: Buffer; csv: string }> {
  const from = jakartaInstant(date); // throws RangeError on a bad date
  const rows = await confirmedPrintsBetween(deps.db, new Date(from), new Date(from + DAY_MS));
  const items: RecapRow[] = rows.map((r, i) => ({
    no: i + 1,
    registrationNumber: r.registration_number,
    documentTypeLabel: DOCUMENT_TYPE_LABELS[r.document_type],
    reasonLabel: REQUEST_REASON_LABELS[r.reason],
    district: r.district,
    attempt: r.attempt,
    confirmedAt: new Date(r.confirmed_at!).getTime(),
  }));
  const header = ['no', 'nomor_registrasi', 'dokumen', 'alasan', 'kecamatan', 'cetakan_ke', 'waktu_konfirmasi_wib'];
  const csv = toCsv([header, ...items.map((r) => [String(r.no), r.registrationNumber, r.documentTypeLabel, r.reasonLabel, r.district, String(r.attempt), jakartaDateTime(r.confirmedAt)])]);
  // The PDF's date is the end of that day so that rebuilding an unchanged day gives the same bytes.
  const pdf = await renderRecap(date, items, from + DAY_MS - 1, { office: deps.office });
  const pdfFile = await deps.files.put(`recaps/${date}/rekap-cetak-${date}.pdf`, pdf);
  const csvFile = await deps.files.put(`recaps/${date}/rekap-cetak-${date}.csv`, csv);
  await upsertDailyRecap(deps.db, { date, printedCount: items.length, pdfPath: pdfFile.path, csvPath: csvFile.path });
  return { count: items.length, pdf, csv };
}
