/**
 * PDFs in Bahasa Indonesia, on the office's letterhead: delivery label, approval letter (TTE),
 * receipt (tanda terima), daily recap, and the citizen's proof of registration.
 *
 * Fonts: the standard Helvetica family. PDFKit 0.20 parses a standard font's metrics once per
 * process and keeps them (its `standardFonts` cache), so no font is re-read per document.
 * The office logo file is read once per process too (`logoBytes`).
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DEFAULT_OFFICE_PROFILE, type OfficeProfile } from '../domain/office.js';
import { formatIndonesianDate, formatIndonesianDateTime } from '../domain/indonesian-date.js';

export type Doc = InstanceType<typeof PDFDocument>;

const INK = '#111111';
const MUTED = '#555555';
const ACCENT = '#1f5f3f';

export function render(
  opts: { size: string | [number, number]; title: string; at: number; layout?: 'portrait' | 'landscape'; margin?: number; office?: OfficeProfile },
  draw: (doc: Doc) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A fixed creation date keeps the bytes stable for the same content (archive hashes).
    const doc = new PDFDocument({
      size: opts.size,
      layout: opts.layout ?? 'portrait',
      margin: opts.margin ?? 28,
      info: { Title: opts.title, Author: office(opts.office).name, Creator: 'Becak Pintar', CreationDate: new Date(opts.at) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.fillColor(INK);
      draw(doc);
      doc.end();
    } catch (e) {
      reject(e as Error);
    }
  });
}

// ─── the emblem and the letterhead ─────────────────────────────────────────────────────────

/**
 * The built-in emblem (drawn for this project, 100×100 units): a shield with an identity card
 * and a wheel (the becak that delivers it). The same paths are in console/icons/emblem.svg.
 */
export const EMBLEM_PATHS = {
  shield: 'M50 3 L93 17 L93 50 C93 75 74 91 50 98 C26 91 7 75 7 50 L7 17 Z',
  card: 'M22 30 L78 30 L78 66 L22 66 Z',
  photo: 'M28 37 L44 37 L44 57 L28 57 Z',
} as const;

function drawEmblem(doc: Doc, x: number, y: number, size: number): void {
  const s = size / 100;
  doc.save().translate(x, y).scale(s);
  doc.path(EMBLEM_PATHS.shield).fillAndStroke(ACCENT, '#c9a227');
  doc.path(EMBLEM_PATHS.card).fill('#ffffff');
  doc.path(EMBLEM_PATHS.photo).fill('#c9a227');
  doc.rect(49, 39, 23, 4).fill(ACCENT);
  doc.rect(49, 47, 23, 3).fill('#6b8f7b');
  doc.rect(49, 54, 16, 3).fill('#6b8f7b');
  doc.lineWidth(4).circle(50, 80, 8).stroke('#ffffff');
  doc.circle(50, 80, 2).fill('#ffffff');
  doc.restore();
  doc.lineWidth(1).fillColor(INK).strokeColor(INK);
}

const logoCache = new Map<string, Buffer | null>();
function logoBytes(file: string | null): Buffer | null {
  if (!file) return null;
  if (!logoCache.has(file)) {
    try {
      logoCache.set(file, fs.readFileSync(file));
    } catch {
      logoCache.set(file, null); // a missing logo must not stop a print; the emblem stands in
    }
  }
  return logoCache.get(file) ?? null;
}

function drawLogo(doc: Doc, office: OfficeProfile, x: number, y: number, size: number): void {
  const bytes = logoBytes(office.logoFile);
  if (bytes) doc.image(bytes, x, y, { fit: [size, size], align: 'center', valign: 'center' });
  else drawEmblem(doc, x, y, size);
}

/** Full letterhead (kop surat): logo, government, office name, address line, a double rule. */
function letterhead(doc: Doc, office: OfficeProfile, scale = 1): void {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const top = doc.page.margins.top;
  const logo = 62 * scale;
  drawLogo(doc, office, left, top, logo);
  const textLeft = left + logo + 8 * scale;
  const width = right - textLeft - logo * 0.4;
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(12 * scale).text(office.government, textLeft, top + 2 * scale, { width, align: 'center' });
  doc.fontSize(13.5 * scale).text(office.name.toUpperCase(), textLeft, doc.y, { width, align: 'center' });
  doc.font('Helvetica').fontSize(8.5 * scale).text(office.address, textLeft, doc.y + 1, { width, align: 'center' });
  doc.text(`Telepon ${office.phone} • ${office.email} • ${office.website}`, textLeft, doc.y, { width, align: 'center' });
  const ruleY = Math.max(doc.y + 4 * scale, top + logo + 4 * scale);
  doc.lineWidth(2.2 * scale).moveTo(left, ruleY).lineTo(right, ruleY).stroke(INK);
  doc.lineWidth(0.6 * scale).moveTo(left, ruleY + 3 * scale).lineTo(right, ruleY + 3 * scale).stroke(INK);
  doc.lineWidth(1);
  doc.x = left;
  doc.y = ruleY + 12 * scale;
}

/** A compact header for small formats (label): emblem, office name, one rule. */
function compactHeader(doc: Doc, office: OfficeProfile): void {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const top = doc.page.margins.top;
  drawLogo(doc, office, left, top, 30);
  doc.font('Helvetica-Bold').fontSize(7.5).fillColor(INK).text(office.government, left + 36, top + 2, { width: right - left - 36 });
  doc.fontSize(7).text(office.name, left + 36, doc.y, { width: right - left - 36 });
  const ruleY = Math.max(doc.y + 3, top + 33);
  doc.lineWidth(1.2).moveTo(left, ruleY).lineTo(right, ruleY).stroke(INK).lineWidth(1);
  doc.x = left;
  doc.y = ruleY + 6;
}

function title(doc: Doc, text: string, sub?: string): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(text, left, doc.y, { width, align: 'center', underline: true });
  if (sub) doc.font('Helvetica').fontSize(10).text(sub, left, doc.y + 1, { width, align: 'center' });
  doc.moveDown(1);
  doc.x = left;
}

/** Label/value rows aligned on a column, as in an Indonesian letter ("Nama  : ..."). */
export function rows(doc: Doc, pairs: Array<[string, string]>, o: { labelWidth?: number; fontSize?: number; indent?: number; rightGap?: number } = {}): void {
  const left = doc.page.margins.left + (o.indent ?? 0);
  const right = doc.page.width - doc.page.margins.right - (o.rightGap ?? 0);
  const lw = o.labelWidth ?? 150;
  const fs = o.fontSize ?? 10.5;
  doc.fontSize(fs);
  for (const [k, v] of pairs) {
    const y = doc.y;
    doc.font('Helvetica').fillColor(MUTED).text(k, left, y, { width: lw - 10 });
    const yAfterLabel = doc.y;
    doc.fillColor(INK).text(':', left + lw - 8, y);
    doc.font('Helvetica-Bold').text(v, left + lw, y, { width: right - left - lw });
    doc.y = Math.max(doc.y, yAfterLabel) + fs * 0.25;
  }
  doc.x = doc.page.margins.left;
  doc.font('Helvetica').fillColor(INK);
}

function paragraph(doc: Doc, text: string, fontSize = 10.5): void {
  const left = doc.page.margins.left;
  doc.font('Helvetica').fontSize(fontSize).fillColor(INK).text(text, left, doc.y, { width: doc.page.width - left - doc.page.margins.right, align: 'justify', lineGap: 2 });
  doc.moveDown(0.6);
}

/**
 * A QR code drawn as vector squares, one quiet-zone module around it. Drawn, not embedded as PNG:
 * encoding a PNG (pngjs) for PDFKit to decode again (png-js) was most of a PDF's CPU (bench:pdf).
 */
function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / (n + 2);
  // A hair of overlap so that rasterisers draw no seams between neighbouring squares.
  const bleed = cell * 0.03;
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      doc.rect(x + (start + 1) * cell, y + (r + 1) * cell, (c - start) * cell + bleed, cell + bleed);
    }
  }
  doc.fill('#000000');
  doc.restore();
}

/** A signature block: place and date, role lines, a space (or an image/box), name underlined, NIP. */
function signatureBlock(
  doc: Doc,
  o: { x: number; y: number; width: number; heading: string[]; name: string; nip?: string; space?: number; image?: Buffer | null; fontSize?: number },
): number {
  const fs = o.fontSize ?? 10;
  doc.font('Helvetica').fontSize(fs).fillColor(INK);
  let y = o.y;
  for (const line of o.heading) {
    doc.text(line, o.x, y, { width: o.width, align: 'center' });
    y = doc.y;
  }
  const space = o.space ?? 50;
  if (o.image) {
    try {
      doc.image(o.image, o.x + o.width * 0.2, y + 2, { fit: [o.width * 0.6, space - 4], align: 'center', valign: 'center' });
    } catch {
      /* an unreadable image leaves the space blank for a wet signature */
    }
  }
  y += space;
  doc.font('Helvetica-Bold').text(o.name, o.x, y, { width: o.width, align: 'center', underline: true });
  y = doc.y;
  if (o.nip !== undefined) {
    doc.font('Helvetica').text(`NIP. ${o.nip}`, o.x, y, { width: o.width, align: 'center' });
    y = doc.y;
  }
  return y;
}

function footer(doc: Doc, text: string): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const y = doc.page.height - doc.page.margins.bottom - 22;
  doc.lineWidth(0.5).moveTo(left, y - 4).lineTo(left + width, y - 4).stroke('#999999').lineWidth(1);
  doc.font('Helvetica').fontSize(7).fillColor(MUTED).text(text, left, y, { width, align: 'center', lineBreak: true, height: 22 });
  doc.fillColor(INK);
}

const office = (o?: OfficeProfile) => o ?? DEFAULT_OFFICE_PROFILE;

/** The office letterhead and a centred title: the opening of the recap and the berita acara. */
export function header(doc: Doc, text: string, of?: OfficeProfile): void {
  letterhead(doc, office(of));
  title(doc, text);
}

// ─── delivery label ───────────────────────────────────────────────────────────────────────

export interface LabelData {
  registrationNumber: string;
  documentTypeLabel: string;
  attempt: number;
  recipientName: string;
  phone: string;
  address: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  deliveryNote: string | null;
  printedAt: number;
  office?: OfficeProfile;
}

export async function renderLabel(d: LabelData): Promise<Buffer> {
  const of = office(d.office);
  return render({ size: 'A6', title: `Label pengiriman ${d.registrationNumber}`, at: d.printedAt, margin: 18, office: of }, (doc) => {
    compactHeader(doc, of);
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    const top = doc.y;
    const qrSize = 78;
    drawQr(doc, d.registrationNumber, right - qrSize, top, qrSize);
    doc.font('Helvetica').fontSize(7).fillColor(MUTED).text('Pindai saat serah terima', right - qrSize, top + qrSize + 1, { width: qrSize, align: 'center' });
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(11).text('LABEL PENGIRIMAN', left, top, { width: right - left - qrSize - 6 });
    doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(`${d.documentTypeLabel} • cetakan ke-${d.attempt}`, left, doc.y, { width: right - left - qrSize - 6 });
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(13).text(d.registrationNumber, left, doc.y + 4, { width: right - left - qrSize - 6 });
    doc.y = Math.max(doc.y, top + qrSize + 12) + 4;
    doc.lineWidth(0.6).moveTo(left, doc.y).lineTo(right, doc.y).dash(3, { space: 2 }).stroke(MUTED).undash().lineWidth(1);
    doc.moveDown(0.5);
    doc.font('Helvetica').fontSize(7.5).fillColor(MUTED).text('KEPADA', left, doc.y);
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(12).text(d.recipientName, left, doc.y);
    doc.font('Helvetica').fontSize(9.5).text(`${d.address}, RT ${d.rt}/RW ${d.rw}`, left, doc.y + 2, { width: right - left });
    doc.text(`Desa/Kel. ${d.village}, Kec. ${d.district}`, left, doc.y, { width: right - left });
    doc.text(`Telepon ${d.phone}`, left, doc.y, { width: right - left });
    if (d.deliveryNote) doc.font('Helvetica-Oblique').fontSize(8.5).text(`Catatan: ${d.deliveryNote}`, left, doc.y + 3, { width: right - left });
    doc.font('Helvetica').fontSize(7).fillColor(MUTED).text(`Dicetak ${formatIndonesianDateTime(d.printedAt)}`, left, doc.page.height - doc.page.margins.bottom - 10, { width: right - left, align: 'right', lineBreak: false });
  });
}

// ─── approval letter with the TTE box ─────────────────────────────────────────────────────

export interface ApprovalData {
  registrationNumber: string;
  documentTypeLabel: string;
  reasonLabel: string;
  /** The card holder (subject) as printed on the letter. */
  holderName?: string;
  /** The holder's NIK, masked (never in full on a paper that travels). */
  holderNikMasked?: string;
  signerName: string;
  signerRoleLabel: string;
  /** The signer's NIP, when the admin has recorded it. */
  signerNip?: string | null;
  signedAt: number;
  keyId: string;
  /** Kept for callers (v1 cases); the letter shows the TTE box and the QR, not the raw signature. */
  signature?: string;
  verifyUrl: string;
  office?: OfficeProfile;
}

/** The letter number: classification 470 (kependudukan) / registration number / year. */
export function approvalLetterNumber(registrationNumber: string, signedAt: number): string {
  return `470/${registrationNumber}/DUKCAPIL/${formatIndonesianDate(signedAt).split(' ').pop()}`;
}

export async function renderApproval(d: ApprovalData): Promise<Buffer> {
  const of = office(d.office);
  return render({ size: 'A4', title: `Persetujuan ${d.registrationNumber}`, at: d.signedAt, margin: 56, office: of }, (doc) => {
    letterhead(doc, of);
    title(doc, 'SURAT PERSETUJUAN PENCETAKAN DOKUMEN KEPENDUDUKAN', `Nomor: ${approvalLetterNumber(d.registrationNumber, d.signedAt)}`);
    paragraph(doc, `Yang bertanda tangan di bawah ini, ${d.signerRoleLabel} pada ${of.name}, menerangkan bahwa permohonan dokumen kependudukan berikut:`);
    rows(doc, [
      ['Nomor registrasi', d.registrationNumber],
      ...(d.holderName ? ([['Nama pemegang', d.holderName]] as Array<[string, string]>) : []),
      ...(d.holderNikMasked ? ([['NIK', d.holderNikMasked]] as Array<[string, string]>) : []),
      ['Jenis dokumen', d.documentTypeLabel],
      ['Alasan permohonan', d.reasonLabel],
      ['Tanggal persetujuan', formatIndonesianDate(d.signedAt)],
    ], { indent: 20 });
    doc.moveDown(0.6);
    paragraph(doc, 'telah diverifikasi kelengkapan dan kebenaran persyaratannya serta DISETUJUI untuk dicetak dan diantarkan kepada pemohon melalui layanan Becak Pintar (Begitu dicetak, KTP dan KIA diantar).');
    paragraph(doc, 'Demikian surat persetujuan ini dibuat untuk dipergunakan sebagaimana mestinya.');

    // Signature with the TTE box, on the right half.
    const right = doc.page.width - doc.page.margins.right;
    const blockW = 250;
    const x = right - blockW;
    let y = doc.y + 10;
    doc.font('Helvetica').fontSize(10.5).text(`${of.city}, ${formatIndonesianDate(d.signedAt)}`, x, y, { width: blockW, align: 'center' });
    doc.text(`a.n. ${of.head.title}`, x, doc.y, { width: blockW, align: 'center' });
    doc.text(d.signerRoleLabel, x, doc.y, { width: blockW, align: 'center' });
    y = doc.y + 8;
    const boxH = 92;
    doc.lineWidth(0.8).roundedRect(x, y, blockW, boxH, 4).stroke(ACCENT).lineWidth(1);
    drawQr(doc, d.verifyUrl, x + 6, y + 6, boxH - 12);
    const tx = x + boxH;
    const tw = blockW - boxH - 8;
    doc.font('Helvetica-Bold').fontSize(8).fillColor(ACCENT).text('DITANDATANGANI SECARA ELEKTRONIK', tx, y + 9, { width: tw });
    doc.font('Helvetica').fontSize(7.5).fillColor(INK).text(`oleh ${d.signerName} pada ${formatIndonesianDateTime(d.signedAt)} menggunakan sertifikat elektronik (TTE).`, tx, doc.y + 2, { width: tw });
    doc.fillColor(MUTED).text('Pindai kode QR untuk memeriksa keabsahan.', tx, doc.y + 2, { width: tw });
    doc.fillColor(INK);
    y += boxH + 6;
    doc.font('Helvetica-Bold').fontSize(10.5).text(d.signerName, x, y, { width: blockW, align: 'center', underline: true });
    doc.font('Helvetica').text(`NIP. ${d.signerNip ?? '-'}`, x, doc.y, { width: blockW, align: 'center' });

    footer(doc, `Dokumen ini ditandatangani secara elektronik dan tidak memerlukan tanda tangan basah. Periksa keabsahannya di ${d.verifyUrl} • ID kunci ${d.keyId}`);
  });
}

// ─── receipt (tanda terima) ───────────────────────────────────────────────────────────────

export interface ReceiptData {
  receiptNumber: string;
  registrationNumber: string;
  documentTypeLabel: string;
  receivedBy: string;
  relationshipLabel: string;
  oldCardCollected: boolean | null;
  courierName: string;
  deliveredAt: number;
  note: string | null;
  verifyUrl: string;
  /** The handover photo (JPEG/PNG), when the courier took one. */
  photo?: Buffer | null;
  /** The recipient's signature drawn on the courier's screen (PNG), when present. */
  recipientSignature?: Buffer | null;
  office?: OfficeProfile;
}

export async function renderReceipt(d: ReceiptData): Promise<Buffer> {
  const of = office(d.office);
  return render({ size: 'A5', title: `Tanda terima ${d.receiptNumber}`, at: d.deliveredAt, margin: 36, office: of }, (doc) => {
    letterhead(doc, of, 0.72);
    title(doc, 'TANDA TERIMA DOKUMEN KEPENDUDUKAN', `Nomor: ${d.receiptNumber}`);
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    rows(doc, [
      ['Nomor registrasi', d.registrationNumber],
      ['Dokumen', d.documentTypeLabel],
      ['Diterima oleh', d.receivedBy],
      ['Hubungan dengan pemohon', d.relationshipLabel],
      ...(d.oldCardCollected === null ? [] : ([['Kartu lama ditarik', d.oldCardCollected ? 'Ya' : 'Tidak']] as Array<[string, string]>)),
      ['Petugas ekspedisi', d.courierName],
      ['Waktu penyerahan', formatIndonesianDateTime(d.deliveredAt)],
      ...(d.note ? ([['Catatan', d.note]] as Array<[string, string]>) : []),
    ], { labelWidth: 128, fontSize: 9 });
    doc.y += 4;
    doc.font('Helvetica').fontSize(9).text(`${of.city}, ${formatIndonesianDate(d.deliveredAt)}`, left, doc.y, { width: right - left, align: 'right' });
    const y = doc.y + 6;
    const colW = (right - left - 16) / 2;
    const boxH = 96;
    doc.lineWidth(0.6).rect(left, y, colW, boxH).stroke('#888888').rect(left + colW + 16, y, colW, boxH).stroke('#888888').lineWidth(1);
    signatureBlock(doc, { x: left, y: y + 6, width: colW, heading: ['Yang menyerahkan,', 'Petugas ekspedisi'], name: d.courierName, space: 46, fontSize: 8.5 });
    signatureBlock(doc, { x: left + colW + 16, y: y + 6, width: colW, heading: ['Yang menerima,', d.relationshipLabel], name: d.receivedBy, space: 46, image: d.recipientSignature ?? null, fontSize: 8.5 });
    const qy = y + boxH + 10;
    drawQr(doc, d.verifyUrl, left, qy, 64);
    const photoW = d.photo ? 80 : 0;
    if (d.photo) {
      try {
        doc.image(d.photo, right - photoW, qy, { fit: [photoW, photoW], align: 'center' });
        doc.font('Helvetica').fontSize(6.5).fillColor(MUTED).text('Foto serah terima', right - photoW, qy + photoW + 1, { width: photoW, align: 'center' });
      } catch {
        /* an unreadable photo: the receipt is still valid without it */
      }
    }
    doc.font('Helvetica').fontSize(7.5).fillColor(MUTED).text(`Pindai kode QR untuk memeriksa keabsahan tanda terima ini, atau buka ${d.verifyUrl}`, left + 72, qy + 14, { width: right - left - 72 - photoW - 8 });
    doc.fillColor(INK);
  });
}

// ─── the citizen's proof of registration ──────────────────────────────────────────────────

export interface ProofData {
  registrationNumber: string;
  documentTypeLabel: string;
  reasonLabel: string;
  /** The applicant's name as submitted, and the NIK masked (never in full). */
  subjectName: string;
  nikMasked: string;
  district: string;
  submittedAt: number;
  /** Expected completion date (YYYY-MM-DD or instant), from the SOP standard times on the office calendar. */
  expectedBy: number | string | null;
  prepare: string[];
  trackUrl: string;
  office?: OfficeProfile;
}

export async function renderProof(d: ProofData): Promise<Buffer> {
  const of = office(d.office);
  return render({ size: 'A5', title: `Bukti pendaftaran ${d.registrationNumber}`, at: d.submittedAt, margin: 36, office: of }, (doc) => {
    letterhead(doc, of, 0.72);
    title(doc, 'BUKTI PENDAFTARAN', 'Layanan Becak Pintar — Begitu dicetak, KTP dan KIA diantar');
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text('Nomor registrasi', left, doc.y, { width: right - left, align: 'center' });
    doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(d.registrationNumber, left, doc.y, { width: right - left, align: 'center' });
    doc.moveDown(0.6);
    rows(doc, [
      ['Nama', d.subjectName],
      ['NIK', d.nikMasked],
      ['Dokumen', `${d.documentTypeLabel} (${d.reasonLabel.toLowerCase()})`],
      ['Kecamatan', d.district],
      ['Tanggal pengajuan', formatIndonesianDateTime(d.submittedAt)],
      ...(d.expectedBy ? ([['Perkiraan selesai', formatIndonesianDate(d.expectedBy)]] as Array<[string, string]>) : []),
    ], { labelWidth: 110, fontSize: 9.5 });
    if (d.prepare.length) {
      doc.moveDown(0.4).font('Helvetica-Bold').fontSize(9.5).text('Siapkan saat kartu diantar:', left, doc.y);
      for (const p of d.prepare) doc.font('Helvetica').fontSize(9).text(`•  ${p}`, left + 8, doc.y + 1, { width: right - left - 8 });
    }
    const qy = Math.max(doc.y + 10, 0);
    drawQr(doc, d.trackUrl, left, qy, 74);
    doc.font('Helvetica').fontSize(8.5).text('Pantau permohonan Anda dengan memindai kode ini atau membuka:', left + 84, qy + 8, { width: right - left - 84 });
    doc.font('Helvetica-Bold').fontSize(8).text(d.trackUrl, left + 84, doc.y + 1, { width: right - left - 84 });
    doc.font('Helvetica').fontSize(8.5).text(`Pertanyaan: ${of.phone} (${of.hours}).`, left + 84, doc.y + 3, { width: right - left - 84 });
    footer(doc, 'Simpan bukti ini. Petugas tidak pernah meminta bayaran: layanan ini gratis.');
  });
}
