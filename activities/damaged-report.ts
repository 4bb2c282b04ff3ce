/**
 * The damaged-blank report (berita acara blangko rusak) for a period: every blank spoiled by a
 * failed print, with date, document type, registration number, reason and officer, and the
 * signature blocks of the officer who made it and the head of division who acknowledges it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { damagedBlanksBetween } from '../db/repositories/blanks.js';
import { jakartaDate, jakartaInstant } from '../domain/calendar.js';
import { indonesianDate, indonesianDateTime } from '../domain/indonesian-date.js';
import { DOCUMENT_TYPES, DOCUMENT_TYPE_LABELS, type DocumentType } from '../domain/sop.js';
import { header, render } from './pdf.js';
import { DEFAULT_OFFICE_PROFILE, type OfficeProfile } from '../domain/office.js';
import { drawSignatureBlocks } from './signature-blocks.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DamagedReportRow {
  at: number;
  documentType: DocumentType;
  registrationNumber: string | null;
  reason: string | null;
  officer: string | null;
}

/** Damaged blanks recorded from `from` to `to` (both whole days in Asia/Jakarta, inclusive). */
export async function damagedReportRows(db: Kysely<Database>, from: string, to: string): Promise<DamagedReportRow[]> {
  const rows = await damagedBlanksBetween(db, new Date(jakartaInstant(from)), new Date(jakartaInstant(to) + DAY_MS));
  return rows.map((r) => ({
    at: new Date(r.at).getTime(),
    documentType: r.document_type,
    registrationNumber: r.registration_number,
    reason: r.note,
    officer: r.actor_name ?? r.actor_username,
  }));
}

export function renderDamagedReport(d: { from: string; to: string; rows: DamagedReportRow[]; madeBy: { name: string; roleLabel: string }; madeAt: number; office?: OfficeProfile }): Promise<Buffer> {
  const office = d.office ?? DEFAULT_OFFICE_PROFILE;
  const period = d.from === d.to ? indonesianDate(d.from) : `${indonesianDate(d.from)} s.d. ${indonesianDate(d.to)}`;
  return render({ size: 'A4', layout: 'landscape', title: `Berita acara blangko rusak ${d.from} - ${d.to}`, at: d.madeAt, office }, (doc) => {
    header(doc, 'BERITA ACARA BLANGKO RUSAK', office);
    doc.font('Helvetica').fontSize(10).text(`Periode: ${period}`, { align: 'center' });
    doc.moveDown(0.8);
    doc.text(
      `Pada hari ini, ${indonesianDateTime(d.madeAt)}, kami yang bertanda tangan di bawah ini menyatakan bahwa selama periode ${period} ` +
        `terdapat blangko yang rusak karena gagal cetak dengan rincian sebagai berikut:`,
      { align: 'justify' },
    );
    doc.moveDown(0.5);
    const totals = DOCUMENT_TYPES.map((t) => `${DOCUMENT_TYPE_LABELS[t]}: ${d.rows.filter((r) => r.documentType === t).length} lembar`).join('; ');
    doc.text(`Jumlah blangko rusak: ${d.rows.length} lembar (${totals}).`);
    doc.moveDown(0.5);
    const cols = [28, 55, 200, 265, 385, 640];
    const head = ['No', 'Waktu', 'Dokumen', 'Nomor registrasi', 'Alasan', 'Petugas'];
    const line = (values: string[], bold: boolean) => {
      if (doc.y > 520) doc.addPage();
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      let bottom = y;
      values.forEach((v, i) => {
        doc.text(v, cols[i]!, y, { width: (cols[i + 1] ?? 814) - cols[i]! - 6 });
        bottom = Math.max(bottom, doc.y);
      });
      doc.x = 28;
      doc.y = bottom + 4;
    };
    line(head, true);
    d.rows.forEach((r, i) =>
      line([String(i + 1), indonesianDateTime(r.at), DOCUMENT_TYPE_LABELS[r.documentType], r.registrationNumber ?? '-', r.reason ?? '-', r.officer ?? '-'], false),
    );
    if (!d.rows.length) doc.font('Helvetica').fontSize(10).text('Tidak ada blangko rusak pada periode ini.', 28);
    doc.moveDown(0.5).font('Helvetica').fontSize(10).text('Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.', 28);
    drawSignatureBlocks(
      doc,
      [
        { caption: 'Yang membuat,', role: d.madeBy.roleLabel, name: d.madeBy.name },
        { caption: 'Mengetahui,', role: 'Kepala Bidang', name: null },
      ],
      { place: `${office.city}, ${indonesianDate(jakartaDate(d.madeAt))}` },
    );
  });
}
