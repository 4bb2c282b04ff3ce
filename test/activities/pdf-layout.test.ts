/**
 * Every PDF rendered to text (poppler's pdftotext): the letterhead, Indonesian dates, the holder,
 * and the QR/TTE elements are on the paper, and each QR code decodes (poppler's render, jsQR) to
 * its link. The PDFs are also written to test-results/pdf/ so a
 * person can render them to PNG and look at them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { renderApproval, renderLabel, renderProof, renderReceipt } from '../../activities/pdf.js';
import { renderRecapPdf } from '../../activities/recap-archive.js';
import { toCsv } from '../../activities/recap.js';
import { DEFAULT_OFFICE_PROFILE } from '../../domain/office.js';
import { formatIndonesianDate, formatIndonesianDateTime } from '../../domain/indonesian-date.js';
import { jakartaInstant } from '../../domain/calendar.js';

// jsqr is CommonJS with `exports.default` (its types say ES default): under NodeNext the default import is the module.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

const OUT = path.resolve('test-results/pdf');
fs.mkdirSync(OUT, { recursive: true });
const AT = jakartaInstant('2026-12-03', '14:05');

function textOf(name: string, pdf: Buffer, layout = false): string {
  const file = path.join(OUT, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  // Whitespace collapsed: a wrapped line in the layout is still the same words.
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** pdfimages lists the embedded raster images (the handover photo; the QR codes are drawn as vectors). */
function imageCount(name: string): number {
  const out = execFileSync('pdfimages', ['-list', path.join(OUT, `${name}.pdf`)], { encoding: 'utf8' });
  return out.trim().split('\n').slice(2).filter((l) => l.trim().split(/\s+/)[2] === 'image').length;
}

/** The text of the QR code on the first page, as a phone would read it: rendered by poppler (grey, 150 dpi), decoded by jsQR. */
function qrTextOf(name: string): string | null {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '150', '-f', '1', '-l', '1', path.join(OUT, `${name}.pdf`)], { maxBuffer: 64 << 20 });
  // Binary PGM: "P5 <width> <height> <maxval>" then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const grey = pgm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = grey[i]!;
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, width, height)?.data ?? null;
}

function expectLetterhead(text: string): void {
  expect(text).toContain('PEMERINTAH KABUPATEN GROBOGAN');
  expect(text).toContain('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL');
  expect(text).toContain('Purwodadi');
}

describe('Indonesian dates from the one formatter', () => {
  it('formats an instant in Asia/Jakarta as "3 Desember 2026" and a date-time with pukul … WIB', () => {
    expect(formatIndonesianDate(AT)).toBe('3 Desember 2026');
    expect(formatIndonesianDate('2026-01-09')).toBe('9 Januari 2026');
    // 23:30 UTC on 2 December is already 3 December in Jakarta.
    expect(formatIndonesianDate(Date.UTC(2026, 11, 2, 23, 30))).toBe('3 Desember 2026');
    expect(formatIndonesianDateTime(AT)).toBe('3 Desember 2026 pukul 14.05 WIB');
  });
});

describe('PDF layout (pdftotext)', () => {
  it('approval letter: letterhead, letter number, holder, Indonesian date, TTE box with QR, no base64 signature', async () => {
    const signature = 'A'.repeat(86) + '==';
    const pdf = await renderApproval({
      registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KIA', reasonLabel: 'Baru',
      holderName: 'Ayu Lestari', holderNikMasked: '3315••••••••0001',
      signerName: 'Budi Santoso', signerRoleLabel: 'Kepala Bidang', signerNip: '197001011995031001',
      signedAt: AT, keyId: 'k-1', signature, verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007',
    });
    const text = textOf('approval', pdf);
    expectLetterhead(text);
    expect(text).toContain('SURAT PERSETUJUAN PENCETAKAN DOKUMEN KEPENDUDUKAN');
    expect(text).toContain('Nomor: 470/BP-20261203-00007/DUKCAPIL/2026');
    expect(text).toContain('Ayu Lestari');
    expect(text).toContain('Purwodadi, 3 Desember 2026');
    expect(text).toContain('DITANDATANGANI SECARA ELEKTRONIK');
    expect(text).toContain('NIP. 197001011995031001');
    expect(text.replace(/\s/g, '')).toContain('/verifikasi/BP-20261203-00007');
    expect(text).not.toContain(signature.slice(0, 40));
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no ISO dates
    expect(qrTextOf('approval')).toBe('http://localhost:3000/verifikasi/BP-20261203-00007');
    expect(imageCount('approval')).toBe(0); // the QR is vector paths, no embedded PNG
  });

  it('receipt: letterhead, Yang menyerahkan / Yang menerima boxes with both names, the handover photo, QR', async () => {
    const photo = fs.readFileSync(path.resolve('console/icons/icon-192.png'));
    const pdf = await renderReceipt({
      receiptNumber: 'TT-BP-20261203-00007', registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el',
      receivedBy: 'Siti Aminah', relationshipLabel: 'Keluarga', oldCardCollected: true, courierName: 'Eko Kurir',
      deliveredAt: AT, note: null, verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007', photo,
    });
    const text = textOf('receipt', pdf);
    expectLetterhead(text);
    expect(text).toContain('TANDA TERIMA DOKUMEN KEPENDUDUKAN');
    expect(text).toContain('Yang menyerahkan');
    expect(text).toContain('Yang menerima');
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('Eko Kurir');
    expect(text).toContain('3 Desember 2026 pukul 14.05 WIB');
    expect(text).toContain('Foto serah terima');
    expect(imageCount('receipt')).toBe(1); // the photo (the QR is drawn)
    expect(qrTextOf('receipt')).toBe('http://localhost:3000/verifikasi/BP-20261203-00007');
  });

  it('label: the registration number as text and as a QR, recipient and address', async () => {
    const pdf = await renderLabel({
      registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', attempt: 1, recipientName: 'Siti Aminah',
      phone: '+6281234567890', address: 'Jl. Melati No. 5', rt: '002', rw: '004', village: 'Kuripan', district: 'Purwodadi',
      deliveryNote: 'Rumah cat hijau', printedAt: AT,
    });
    const text = textOf('label', pdf);
    expect(text).toContain('Dinas Kependudukan dan Pencatatan Sipil');
    expect(text).toContain('LABEL PENGIRIMAN');
    expect(text).toContain('BP-20261203-00007');
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('Kec. Purwodadi');
    expect(text).toContain('3 Desember 2026');
    expect(qrTextOf('label')).toBe('BP-20261203-00007');
  });

  it('recap: letterhead, Indonesian date, totals per type, damaged blanks, signature blocks', async () => {
    const pdf = await renderRecapPdf(
      {
        date: '2026-12-03',
        prints: [
          { registrationNumber: 'BP-20261203-00001', documentType: 'KTP_EL', reasonLabel: 'Baru', district: 'Purwodadi', attempt: 1, confirmedAt: AT },
          { registrationNumber: 'BP-20261203-00002', documentType: 'KIA', reasonLabel: 'Rusak', district: 'Toroh', attempt: 2, confirmedAt: AT },
          { registrationNumber: 'BP-20261203-00003', documentType: 'KTP_EL', reasonLabel: 'Hilang', district: 'Godong', attempt: 1, confirmedAt: AT },
        ],
        damaged: [{ registrationNumber: 'BP-20261203-00002', documentType: 'KIA', reason: 'Tergores', officer: 'Operator Satu', at: AT }],
        totals: { KTP_EL: 2, KIA: 1 },
      },
      'closed',
    );
    const text = textOf('recap', pdf, true);
    expectLetterhead(text);
    expect(text).toContain('Kamis, 3 Desember 2026');
    expect(text).toMatch(/Jumlah dokumen tercetak: 3 \(KTP-el: 2\s+KIA: 1\)/);
    expect(text).toMatch(/Blangko rusak: 1/);
    expect(text).toContain('Tergores');
    expect(text).toContain('Dibuat oleh');
    expect(text).toContain('Mengetahui');
    expect(text).toContain(`${DEFAULT_OFFICE_PROFILE.city}, 3 Desember 2026`);
  });

  it('proof of registration: number, masked NIK (never in full), expected date, what to prepare, QR to tracking', async () => {
    const pdf = await renderProof({
      registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', reasonLabel: 'Rusak', subjectName: 'Ayu Lestari',
      nikMasked: '3315••••••••0001', district: 'Purwodadi', submittedAt: AT, expectedBy: '2026-12-04',
      prepare: ['KTP-el lama yang rusak'], trackUrl: 'http://localhost:3000/lacak/abc',
    });
    const text = textOf('proof', pdf);
    expectLetterhead(text);
    expect(text).toContain('BUKTI PENDAFTARAN');
    expect(text).toContain('BP-20261203-00007');
    expect(text).toContain('4 Desember 2026');
    expect(text).toContain('KTP-el lama yang rusak');
    expect(text).not.toMatch(/\d{16}/);
    expect(qrTextOf('proof')).toBe('http://localhost:3000/lacak/abc');
  });
});

describe('recap CSV', () => {
  it('opens in columns with a semicolon parser: BOM, ";" separators, quoted cells with ";"', () => {
    const csv = toCsv([['no', 'kecamatan', 'catatan'], ['1', 'Purwodadi', 'a;b "c"']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    // A minimal RFC 4180 parser with ';' as separator, as Excel with Indonesian settings reads it.
    const parse = (s: string): string[][] => {
      const out: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < s.length; i++) {
        const ch = s[i];
        if (quoted) {
          if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ';') { row.push(cell); cell = ''; } else if (ch === '\r') continue;
        else if (ch === '\n') { row.push(cell); out.push(row); row = []; cell = ''; } else cell += ch;
      }
      return out;
    };
    const rows = parse(csv.slice(1));
    expect(rows).toEqual([['no', 'kecamatan', 'catatan'], ['1', 'Purwodadi', 'a;b "c"']]);
  });
});
