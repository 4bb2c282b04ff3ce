/** PDFs in Bahasa Indonesia: delivery label, approval (TTE), receipt (with QR), daily recap. */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { jakartaDateTime } from '../domain/calendar.js';

export type Doc = InstanceType<typeof PDFDocument>;

export function render(opts: { size: string | [number, number]; title: string; at: number; layout?: 'portrait' | 'landscape' }, draw: (doc: Doc) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A fixed creation date keeps the bytes stable for the same content (archive hashes).
    const doc = new PDFDocument({
      size: opts.size,
      layout: opts.layout ?? 'portrait',
      margin: 28,
      info: { Title: opts.title, Author: 'Disdukcapil Kabupaten Grobogan', Creator: 'Becak Pintar', CreationDate: new Date(opts.at) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(doc);
      doc.end();
    } catch (e) {
      reject(e as Error);
    }
  });
}

export function header(doc: Doc, title: string): void {
  doc.font('Helvetica-Bold').fontSize(10).text('PEMERINTAH KABUPATEN GROBOGAN', { align: 'center' });
  doc.fontSize(9).text('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL', { align: 'center' });
  doc.font('Helvetica').fontSize(8).text('Layanan Becak Pintar — Begitu dicetak, KTP dan KIA diantar', { align: 'center' });
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(12).text(title, { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
}

export function rows(doc: Doc, pairs: Array<[string, string]>): void {
  for (const [k, v] of pairs) {
    doc.font('Helvetica-Bold').text(`${k}: `, { continued: true }).font('Helvetica').text(v);
  }
}

const wib = (t: number) => `${jakartaDateTime(t)} WIB`;

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
}

export function renderLabel(d: LabelData): Promise<Buffer> {
  return render({ size: 'A6', title: `Label pengiriman ${d.registrationNumber}`, at: d.printedAt }, (doc) => {
    header(doc, 'LABEL PENGIRIMAN');
    rows(doc, [
      ['Nomor registrasi', d.registrationNumber],
      ['Dokumen', d.documentTypeLabel],
      ['Penerima', d.recipientName],
      ['Telepon', d.phone],
      ['Alamat', `${d.address}, RT ${d.rt}/RW ${d.rw}`],
      ['Desa/Kelurahan', d.village],
      ['Kecamatan', d.district],
      ...(d.deliveryNote ? ([['Catatan', d.deliveryNote]] as Array<[string, string]>) : []),
      ['Dicetak', `${wib(d.printedAt)} (cetakan ke-${d.attempt})`],
    ]);
  });
}

export interface ApprovalData {
  registrationNumber: string;
  documentTypeLabel: string;
  reasonLabel: string;
  signerName: string;
  signerRoleLabel: string;
  /** The signer's NIP, when the admin has recorded it. */
  signerNip?: string | null;
  signedAt: number;
  keyId: string;
  /** Only cases signed under payload v1 print it; v2 signs the PDF's hash, so the PDF cannot hold it. */
  signature?: string;
  verifyUrl: string;
}

export function renderApproval(d: ApprovalData): Promise<Buffer> {
  return render({ size: 'A4', title: `Persetujuan ${d.registrationNumber}`, at: d.signedAt }, (doc) => {
    header(doc, 'PERSETUJUAN PENCETAKAN DOKUMEN');
    rows(doc, [
      ['Nomor registrasi', d.registrationNumber],
      ['Jenis dokumen', d.documentTypeLabel],
      ['Alasan permohonan', d.reasonLabel],
    ]);
    doc.moveDown();
    doc.text('Permohonan di atas telah diverifikasi dan disetujui untuk dicetak.');
    doc.moveDown();
    rows(doc, [
      ['Ditandatangani secara elektronik oleh', `${d.signerName} (${d.signerRoleLabel})`],
      ...(d.signerNip ? ([['NIP', d.signerNip]] as Array<[string, string]>) : []),
      ['Waktu', wib(d.signedAt)],
      ['ID kunci', d.keyId],
    ]);
    if (d.signature) doc.moveDown().fontSize(7).text(`Tanda tangan elektronik (Ed25519): ${d.signature}`);
    doc.fontSize(8).text(`Periksa keabsahan: ${d.verifyUrl}`);
  });
}

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
}

export async function renderReceipt(d: ReceiptData): Promise<Buffer> {
  const qr = await QRCode.toBuffer(d.verifyUrl, { type: 'png', margin: 1, width: 160 });
  return render({ size: 'A5', title: `Tanda terima ${d.receiptNumber}`, at: d.deliveredAt }, (doc) => {
    header(doc, 'TANDA TERIMA DOKUMEN');
    rows(doc, [
      ['Nomor tanda terima', d.receiptNumber],
      ['Nomor registrasi', d.registrationNumber],
      ['Dokumen', d.documentTypeLabel],
      ['Diterima oleh', d.receivedBy],
      ['Hubungan dengan pemohon', d.relationshipLabel],
      ...(d.oldCardCollected === null ? [] : ([['Kartu lama ditarik', d.oldCardCollected ? 'Ya' : 'Tidak']] as Array<[string, string]>)),
      ['Petugas ekspedisi', d.courierName],
      ['Waktu penyerahan', wib(d.deliveredAt)],
      ...(d.note ? ([['Catatan', d.note]] as Array<[string, string]>) : []),
    ]);
    doc.moveDown();
    doc.image(qr, { width: 110 });
    doc.fontSize(8).text(`Pindai untuk verifikasi: ${d.verifyUrl}`);
  });
}

export interface RecapRow {
  no: number;
  registrationNumber: string;
  documentTypeLabel: string;
  reasonLabel: string;
  district: string;
  attempt: number;
  confirmedAt: number;
}

export function renderRecap(date: string, items: RecapRow[], at: number): Promise<Buffer> {
  return render({ size: 'A4', layout: 'landscape', title: `Rekap cetak ${date}`, at }, (doc) => {
    header(doc, `REKAPITULASI DOKUMEN TERCETAK — ${date}`);
    doc.text(`Jumlah dokumen tercetak: ${items.length}`);
    doc.moveDown(0.5);
    const cols = [28, 60, 200, 270, 360, 520, 580];
    const head = ['No', 'Nomor registrasi', 'Dokumen', 'Alasan', 'Kecamatan', 'Cetakan', 'Waktu konfirmasi'];
    const line = (values: string[], bold: boolean) => {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      values.forEach((v, i) => doc.text(v, cols[i], y, { width: (cols[i + 1] ?? 780) - cols[i] - 4, lineBreak: false }));
      doc.x = 28;
      doc.y = y + 14;
      if (doc.y > 540) doc.addPage();
    };
    line(head, true);
    for (const r of items) {
      line([String(r.no), r.registrationNumber, r.documentTypeLabel, r.reasonLabel, r.district, String(r.attempt), jakartaDateTime(r.confirmedAt)], false);
    }
    if (!items.length) doc.text('Tidak ada dokumen yang dicetak pada tanggal ini.', 28);
  });
}
