/**
 * The daily recap of printed documents as a record that never changes after the fact.
 *
 * - Content: every print CONFIRMED on that date (Asia/Jakarta, by confirmation time, so a print
 *   confirmed at 16:20 or 21:00 is in that day's recap), totals per document type, the blanks
 *   damaged that day, and signature blocks for the officers.
 * - Closing: once per date. The Schedule closes the previous day just after midnight WIB; a past
 *   date that was never closed (the service was down) is closed on its first request. The PDF and
 *   CSV are written under `recaps/{date}/` and the `daily_recaps` row records their SHA-256 and
 *   `closed_at`. A closed row is never rewritten: every later request returns the archived bytes.
 *   Two concurrent first closes render identical bytes (the documents carry the end of the day as
 *   their time, not the wall clock) and only one row wins.
 * - Today (or any date not yet over): a preview marked SEMENTARA, built in memory, never archived.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FileStore } from '../infra/files.js';
import { sha256Hex } from '../infra/files.js';
import { jakartaDate, jakartaDateTime, jakartaInstant } from '../domain/calendar.js';
import { indonesianDate } from '../domain/indonesian-date.js';
import { DOCUMENT_TYPES, DOCUMENT_TYPE_LABELS, REQUEST_REASON_LABELS, type DocumentType } from '../domain/sop.js';
import { confirmedPrintsBetween } from '../db/repositories/documents.js';
import { damagedBlanksBetween } from '../db/repositories/blanks.js';
import { header, render } from './pdf.js';
import { toCsv } from '../domain/csv.js';
import { DEFAULT_OFFICE_PROFILE, type OfficeProfile } from '../domain/office.js';
import { drawSignatureBlocks } from './signature-blocks.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

export interface RecapPrint {
  registrationNumber: string;
  documentType: DocumentType;
  reasonLabel: string;
  district: string;
  attempt: number;
  confirmedAt: number;
}
export interface RecapDamaged {
  registrationNumber: string | null;
  documentType: DocumentType;
  reason: string | null;
  officer: string | null;
  at: number;
}
export interface RecapContent {
  date: string;
  prints: RecapPrint[];
  damaged: RecapDamaged[];
  totals: Record<DocumentType, number>;
}

export type RecapState = 'closed' | 'preview';

export interface RecapDocuments {
  date: string;
  state: RecapState;
  count: number;
  pdf: Buffer;
  csv: Buffer;
  pdfSha256: string;
  csvSha256: string;
  closedAt: string | null;
}

/** Whether the office day `date` is over at `nowMs` (only then can it be closed). */
export function dateIsOver(date: string, nowMs: number): boolean {
  return jakartaDate(nowMs) > date;
}

export function previousDate(date: string): string {
  return jakartaDate(jakartaInstant(date) - DAY_MS / 2);
}

export async function recapContent(db: Kysely<Database>, date: string): Promise<RecapContent> {
  const from = jakartaInstant(date); // throws RangeError on a bad date
  const [prints, damaged] = await Promise.all([
    confirmedPrintsBetween(db, new Date(from), new Date(from + DAY_MS)),
    damagedBlanksBetween(db, new Date(from), new Date(from + DAY_MS)),
  ]);
  const totals = Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, prints.filter((p) => p.document_type === t).length])) as Record<DocumentType, number>;
  return {
    date,
    prints: prints.map((r) => ({
      registrationNumber: r.registration_number,
      documentType: r.document_type,
      reasonLabel: REQUEST_REASON_LABELS[r.reason],
      district: r.district,
      attempt: r.attempt,
      confirmedAt: new Date(r.confirmed_at!).getTime(),
    })),
    damaged: damaged.map((d) => ({ registrationNumber: d.registration_number, documentType: d.document_type, reason: d.note, officer: d.actor_name ?? d.actor_username, at: new Date(d.at).getTime() })),
    totals,
  };
}

/** CSV for spreadsheets set to Indonesian: `;` separator, UTF-8 with BOM, CRLF lines. */
export function recapCsv(c: RecapContent, state: RecapState): Buffer {
  const status = state === 'closed' ? 'FINAL' : 'SEMENTARA';
  const head = ['no', 'tanggal', 'nomor_registrasi', 'dokumen', 'alasan', 'kecamatan', 'cetakan_ke', 'waktu_konfirmasi_wib', 'status_rekap'];
  const lines = [head, ...c.prints.map((p, i) => [String(i + 1), c.date, p.registrationNumber, DOCUMENT_TYPE_LABELS[p.documentType], p.reasonLabel, p.district, String(p.attempt), jakartaDateTime(p.confirmedAt), status])];
  return Buffer.from(toCsv(lines), 'utf8');
}

export function renderRecapPdf(c: RecapContent, state: RecapState, office: OfficeProfile = DEFAULT_OFFICE_PROFILE): Promise<Buffer> {
  const dayName = WEEKDAYS[new Date(jakartaInstant(c.date) + DAY_MS / 2).getUTCDay()];
  const dateLabel = `${dayName}, ${indonesianDate(c.date)}`;
  // The end of the day as the document's time: the same content gives the same bytes.
  const at = jakartaInstant(c.date) + DAY_MS - 1000;
  return render({ size: 'A4', layout: 'landscape', title: `Rekap cetak ${c.date}${state === 'preview' ? ' (sementara)' : ''}`, at, office }, (doc) => {
    header(doc, 'REKAPITULASI HARIAN DOKUMEN TERCETAK', office);
    doc.font('Helvetica').fontSize(10).text(dateLabel, { align: 'center' });
    if (state === 'preview') {
      doc.moveDown(0.3).font('Helvetica-Bold').fontSize(12).fillColor('#b00020').text('SEMENTARA — hari belum ditutup, isi masih dapat bertambah', { align: 'center' });
      doc.fillColor('black');
    } else {
      doc.moveDown(0.3).font('Helvetica').fontSize(9).text(`Ditutup pada akhir hari ${indonesianDate(c.date)} pukul 24.00 WIB; berkas ini diarsipkan dengan sidik SHA-256.`, { align: 'center' });
    }
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(10);
    const totalLine = DOCUMENT_TYPES.map((t) => `${DOCUMENT_TYPE_LABELS[t]}: ${c.totals[t]}`).join('   ');
    doc.text(`Jumlah dokumen tercetak: ${c.prints.length}   (${totalLine})`, 28);
    const damagedLine = DOCUMENT_TYPES.map((t) => `${DOCUMENT_TYPE_LABELS[t]}: ${c.damaged.filter((d) => d.documentType === t).length}`).join('   ');
    doc.text(`Blangko rusak: ${c.damaged.length}   (${damagedLine})`, 28);
    doc.moveDown(0.5);
    const table = (cols: number[], head: string[], rows: string[][]) => {
      const line = (values: string[], bold: boolean) => {
        if (doc.y > 520) doc.addPage();
        const y = doc.y;
        let bottom = y;
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
        values.forEach((v, i) => {
          doc.text(v, cols[i]!, y, { width: (cols[i + 1] ?? 814) - cols[i]! - 6 });
          bottom = Math.max(bottom, doc.y);
        });
        doc.x = 28;
        doc.y = bottom + 3;
      };
      line(head, true);
      rows.forEach((r) => line(r, false));
    };
    if (c.prints.length) {
      table(
        [28, 55, 195, 265, 345, 500, 560],
        ['No', 'Nomor registrasi', 'Dokumen', 'Alasan', 'Kecamatan', 'Cetakan', 'Waktu konfirmasi (WIB)'],
        c.prints.map((p, i) => [String(i + 1), p.registrationNumber, DOCUMENT_TYPE_LABELS[p.documentType], p.reasonLabel, p.district, `ke-${p.attempt}`, jakartaDateTime(p.confirmedAt).slice(11)]),
      );
    } else {
      doc.font('Helvetica').fontSize(10).text('Tidak ada dokumen yang dicetak pada tanggal ini.', 28);
    }
    if (c.damaged.length) {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(10).text('Blangko rusak (gagal cetak)', 28);
      doc.moveDown(0.2);
      table(
        [28, 55, 195, 265, 345, 640],
        ['No', 'Nomor registrasi', 'Dokumen', 'Waktu (WIB)', 'Alasan', 'Petugas'],
        c.damaged.map((d, i) => [String(i + 1), d.registrationNumber ?? '-', DOCUMENT_TYPE_LABELS[d.documentType], jakartaDateTime(d.at).slice(11), d.reason ?? '-', d.officer ?? '-']),
      );
    }
    drawSignatureBlocks(
      doc,
      [
        { caption: 'Dibuat oleh,', role: 'Operator Pencetakan', name: null },
        { caption: 'Diperiksa oleh,', role: 'Subkoordinator', name: null },
        { caption: 'Mengetahui,', role: 'Kepala Bidang', name: null },
      ],
      { place: `${office.city}, ${indonesianDate(c.date)}` },
    );
  });
}

async function documents(db: Kysely<Database>, date: string, state: RecapState, office?: OfficeProfile) {
  const content = await recapContent(db, date);
  const [pdf, csv] = [await renderRecapPdf(content, state, office), recapCsv(content, state)];
  return { content, pdf, csv };
}

/** Today's (or a not-yet-over date's) recap: marked SEMENTARA, never written anywhere. */
export async function previewDailyRecap(db: Kysely<Database>, date: string, office?: OfficeProfile): Promise<RecapDocuments> {
  const { content, pdf, csv } = await documents(db, date, 'preview', office);
  return { date, state: 'preview', count: content.prints.length, pdf, csv, pdfSha256: sha256Hex(pdf), csvSha256: sha256Hex(csv), closedAt: null };
}

/** Today's recap as CSV only: the CSV preview does not render the PDF it would not send. */
export async function previewDailyRecapCsv(db: Kysely<Database>, date: string): Promise<{ count: number; csv: Buffer; csvSha256: string }> {
  const content = await recapContent(db, date);
  const csv = recapCsv(content, 'preview');
  return { count: content.prints.length, csv, csvSha256: sha256Hex(csv) };
}

async function readArchived(files: FileStore, row: { date: string; printed_count: number; pdf_path: string; csv_path: string; pdf_sha256: string | null; csv_sha256: string | null; closed_at: Date | string | null }): Promise<RecapDocuments> {
  const [pdf, csv] = await Promise.all([files.read(row.pdf_path), files.read(row.csv_path)]);
  return {
    date: row.date,
    state: 'closed',
    count: row.printed_count,
    pdf,
    csv,
    pdfSha256: row.pdf_sha256!,
    csvSha256: row.csv_sha256!,
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

/**
 * Closes `date` once and returns the archived recap (the same bytes on every call). Refuses a
 * date that is not over yet at `nowMs` (RangeError). A row left by the old, rebuilding recap
 * (closed_at null) is replaced once by the closed one.
 */
export function closeDailyRecap(deps: RecapDeps, date: string, nowMs = Date.now()): Promise<RecapDocuments & { closedNow: boolean }> {
  // One close per date at a time in this process (concurrent first requests share it); across
  // processes the row's conflict rule decides and the loser returns the winner's archive.
  const key = `${deps.files.root}\u0000${date}`;
  let running = closing.get(key);
  if (!running) {
    running = closeOnce(deps, date, nowMs).finally(() => closing.delete(key));
    closing.set(key, running);
  }
  return running;
}
/** The office profile names the place on the signature blocks and heads the letter (OFFICE_*). */
type RecapDeps = { db: Kysely<Database>; files: FileStore; office?: OfficeProfile };
const closing = new Map<string, Promise<RecapDocuments & { closedNow: boolean }>>();

async function closeOnce(deps: RecapDeps, date: string, nowMs: number): Promise<RecapDocuments & { closedNow: boolean }> {
  const { db, files } = deps;
  const existing = await db.selectFrom('daily_recaps').selectAll().where('date', '=', date).where('closed_at', 'is not', null).executeTakeFirst();
  if (existing) return { ...(await readArchived(files, existing)), closedNow: false };
  if (!dateIsOver(date, nowMs)) throw new RangeError(`recap ${date} cannot be closed before the day is over`);
  const { content, pdf, csv } = await documents(db, date, 'closed', deps.office);
  const pdfSha256 = sha256Hex(pdf);
  const csvSha256 = sha256Hex(csv);
  // Content-addressed names: a concurrent close writes its own files and never overwrites the winner's.
  const pdfFile = await files.put(`recaps/${date}/rekap-cetak-${date}-${pdfSha256.slice(0, 12)}.pdf`, pdf);
  const csvFile = await files.put(`recaps/${date}/rekap-cetak-${date}-${csvSha256.slice(0, 12)}.csv`, csv);
  const closedAt = new Date(nowMs);
  const won = await db
    .insertInto('daily_recaps')
    .values({ date, printed_count: content.prints.length, pdf_path: pdfFile.path, csv_path: csvFile.path, pdf_sha256: pdfSha256, csv_sha256: csvSha256, closed_at: closedAt })
    .onConflict((oc) =>
      oc
        .column('date')
        .doUpdateSet({ printed_count: content.prints.length, pdf_path: pdfFile.path, csv_path: csvFile.path, pdf_sha256: pdfSha256, csv_sha256: csvSha256, closed_at: closedAt })
        .where('daily_recaps.closed_at', 'is', null),
    )
    .returning('date')
    .executeTakeFirst();
  const row = await db.selectFrom('daily_recaps').selectAll().where('date', '=', date).executeTakeFirstOrThrow();
  return { ...(await readArchived(files, row)), closedNow: won !== undefined };
}
