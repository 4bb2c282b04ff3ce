/**
 * Valid, generated applications for load and fault runs: NIKs whose date part matches the birth
 * date, real attachment bytes (PNG/PDF by magic bytes), Grobogan districts. No real person's data.
 */
import { randomInt } from 'node:crypto';
import { GROBOGAN_DISTRICTS } from '../../domain/citizen.js';
import type { DocumentType, RequestReason } from '../../domain/sop.js';

// 1×1 PNG and a one-page PDF: the API checks content by magic bytes.
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PDF_B64 = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

export interface CasePlan {
  index: number;
  documentType: DocumentType;
  reason: RequestReason;
  /** How many `confirm-print: failed` before the `ok` (each one costs a damaged blank and a reprint). */
  failedPrints: number;
  body: Record<string, unknown>;
  nik: string;
}

export interface PlanOptions {
  /** Every n-th case (1-based) records one failed print before the good one; 0 = never. */
  failPrintEvery?: number;
  /** A per-run random salt makes NIKs differ between runs on a reused database. */
  salt?: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** NIK `PPKKCC DDMMYY SSSS` for a birth date (women: day + 40); the serial makes it unique per run. */
export function makeNik(region: string, birthDate: string, female: boolean, serial: number): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  return `${region}${pad(d + (female ? 40 : 0), 2)}${pad(m, 2)}${pad(y % 100, 2)}${pad(serial, 4)}`;
}

/**
 * The i-th application of a run: mostly KTP-el NEW, every 4th a KIA for an 8-year-old (birth
 * certificate and photo required), every 4th+2 a DAMAGED KTP-el (old card collected at handover).
 */
export function planCase(index: number, opts: PlanOptions = {}): CasePlan {
  const salt = opts.salt ?? 0;
  const thisYear = new Date().getUTCFullYear();
  const kind = index % 4;
  const documentType: DocumentType = kind === 3 ? 'KIA' : 'KTP_EL';
  const reason: RequestReason = kind === 2 ? 'DAMAGED' : 'NEW';
  const birthYear = documentType === 'KIA' ? thisYear - 8 : 1960 + ((index + salt) % 40);
  const birthDate = `${birthYear}-${pad(1 + ((index + salt) % 12), 2)}-${pad(1 + ((index * 7 + salt) % 28), 2)}`;
  // Region: province 33 (Jawa Tengah) regency 15..; the salt spreads runs over regency/district codes.
  const region = `33${pad(10 + (salt % 89), 2)}${pad(1 + ((salt >> 7) % 98), 2)}`;
  const nik = makeNik(region, birthDate, index % 2 === 1, 1 + (index % 9999));
  const kk = `3315${pad(1 + (index % 98), 2)}${pad(randomInt(0, 1e10), 10)}`;
  const attachments: Array<Record<string, string>> = [
    { kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF_B64 },
  ];
  if (reason === 'DAMAGED') attachments.push({ kind: 'OLD_CARD', fileName: 'ktp-lama.png', contentType: 'image/png', contentBase64: PNG_B64 });
  if (documentType === 'KIA') {
    attachments.push({ kind: 'BIRTH_CERTIFICATE', fileName: 'akta.pdf', contentType: 'application/pdf', contentBase64: PDF_B64 });
    attachments.push({ kind: 'PHOTO', fileName: 'foto.png', contentType: 'image/png', contentBase64: PNG_B64 });
  }
  const body = {
    documentType,
    reason,
    subject: {
      nik,
      name: `Warga Uji ${index}`,
      birthDate,
      married: false,
      kkNumber: kk,
    },
    contact: { name: `Kontak Uji ${index}`, phone: `0812${pad(randomInt(0, 1e8), 8)}` },
    delivery: {
      address: `Jalan Uji Beban No. ${index + 1}`,
      rt: pad(1 + (index % 20), 3),
      rw: pad(1 + (index % 9), 3),
      village: 'Desa Uji',
      district: GROBOGAN_DISTRICTS[index % GROBOGAN_DISTRICTS.length],
    },
    attachments,
    privacyConsent: true,
    ...(documentType === 'KIA' ? { guardianDeclaration: true } : {}),
  };
  const every = opts.failPrintEvery ?? 0;
  return { index, documentType, reason, failedPrints: every > 0 && (index + 1) % every === 0 ? 1 : 0, body, nik };
}
