/**
 * Citizen data rules of SPEC §3: NIK, KK number, eligibility, required attachments, attachment
 * content, phone numbers, Grobogan's districts and the registration number.
 * Pure code (no Node built-ins): used by the API, the workflow's activities and the console's forms.
 */
import type { DocumentType, RequestReason } from './sop.js';

const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000; // WIB, UTC+7, no daylight saving

/** `YYYY-MM-DD` of an instant in Asia/Jakarta. */
export function jakartaDateString(epochMs: number): string {
  return new Date(epochMs + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A real calendar date `YYYY-MM-DD`, or null. */
export function parseIsoDate(value: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

// ---------------------------------------------------------------- NIK and KK number

export type Sex = 'M' | 'F';
export interface ParsedNik {
  province: string;
  regency: string;
  district: string;
  /** `YYYY-MM-DD`; the century is the latest one not in the future of `referenceYear`. */
  birthDate: string;
  sex: Sex;
  serial: string;
}

export type NikResult = { ok: true; value: ParsedNik } | { ok: false; message: string };

/** The region part `PPKKCC`: province 11–99, regency and district not 00 (any region of Indonesia). */
function regionProblem(region: string): string | null {
  const province = Number(region.slice(0, 2));
  if (province < 11) return 'kode provinsi tidak dikenal';
  if (region.slice(2, 4) === '00') return 'kode kabupaten/kota tidak boleh 00';
  if (region.slice(4, 6) === '00') return 'kode kecamatan tidak boleh 00';
  return null;
}

/**
 * Parses a NIK (`PPKKCC DDMMYY SSSS`). Women have 40 added to the day. No checksum exists;
 * the region is where the NIK was first issued, so any region is accepted.
 */
export function parseNik(nik: string, referenceYear: number = new Date().getUTCFullYear()): NikResult {
  if (!/^\d{16}$/.test(nik)) return { ok: false, message: 'NIK harus terdiri dari tepat 16 angka' };
  const regionIssue = regionProblem(nik.slice(0, 6));
  if (regionIssue) return { ok: false, message: `NIK tidak valid: ${regionIssue}` };
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const serial = nik.slice(12, 16);
  let sex: Sex = 'M';
  if (day > 40) {
    sex = 'F';
    day -= 40;
  }
  const year = 2000 + yy <= referenceYear ? 2000 + yy : 1900 + yy;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: 'NIK tidak valid: bagian tanggal lahir bukan tanggal yang sebenarnya' };
  }
  if (serial === '0000') return { ok: false, message: 'NIK tidak valid: nomor urut harus 0001–9999' };
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    ok: true,
    value: { province: nik.slice(0, 2), regency: nik.slice(2, 4), district: nik.slice(4, 6), birthDate, sex, serial },
  };
}

/** Whether the NIK's date part (DDMMYY, women +40) is the submitted birth date. */
export function nikMatchesBirthDate(nik: string, birthDate: string): boolean {
  const d = parseIsoDate(birthDate);
  if (!d || !/^\d{16}$/.test(nik)) return false;
  let day = Number(nik.slice(6, 8));
  if (day > 40) day -= 40;
  return day === d.day && Number(nik.slice(8, 10)) === d.month && Number(nik.slice(10, 12)) === d.year % 100;
}

/** KK number (family card): 16 digits with a sensible region part. Null when valid, else the problem. */
export function kkNumberProblem(kk: string): string | null {
  if (!/^\d{16}$/.test(kk)) return 'Nomor KK harus terdiri dari tepat 16 angka';
  const regionIssue = regionProblem(kk.slice(0, 6));
  if (regionIssue) return `Nomor KK tidak valid: ${regionIssue}`;
  if (/^(\d)\1{15}$/.test(kk)) return 'Nomor KK tidak valid';
  return null;
}

// ---------------------------------------------------------------- eligibility

/** Whole years between a birth date and `today` (both `YYYY-MM-DD`). */
export function ageInYears(birthDate: string, today: string): number {
  const b = parseIsoDate(birthDate);
  const t = parseIsoDate(today);
  if (!b || !t) throw new Error('ageInYears: invalid date');
  let age = t.year - b.year;
  if (t.month < b.month || (t.month === b.month && t.day < b.day)) age--;
  return age;
}

export const KTP_MIN_AGE = 17;
export const KIA_PHOTO_MIN_AGE = 5;

/** Null when the subject may have this card, else the Indonesian reason. */
export function eligibilityProblem(documentType: DocumentType, age: number, married: boolean): string | null {
  if (age < 0) return 'Tanggal lahir tidak boleh di masa depan';
  if (documentType === 'KIA' && age >= KTP_MIN_AGE) return 'KIA hanya untuk anak di bawah 17 tahun; ajukan KTP-el';
  if (documentType === 'KTP_EL' && age < KTP_MIN_AGE && !married) {
    return 'KTP-el hanya untuk usia 17 tahun ke atas atau yang sudah/pernah menikah; ajukan KIA';
  }
  return null;
}

// ---------------------------------------------------------------- attachments

export const ATTACHMENT_KINDS = ['KK', 'OLD_CARD', 'POLICE_REPORT', 'SUPPORTING_DOCUMENT', 'BIRTH_CERTIFICATE', 'PHOTO', 'OTHER'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_KIND_LABELS: Readonly<Record<AttachmentKind, string>> = {
  KK: 'Kartu Keluarga (KK)',
  OLD_CARD: 'Kartu lama (rusak)',
  POLICE_REPORT: 'Surat keterangan hilang dari kepolisian',
  SUPPORTING_DOCUMENT: 'Dokumen pendukung perubahan data',
  BIRTH_CERTIFICATE: 'Akta kelahiran',
  PHOTO: 'Pas foto',
  OTHER: 'Lainnya',
};
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
export const MAX_ATTACHMENTS = 6;
export const ATTACHMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];

/** The attachment kinds a submission must carry (SPEC §3). */
export function requiredAttachmentKinds(documentType: DocumentType, reason: RequestReason, age: number): AttachmentKind[] {
  const kinds: AttachmentKind[] = ['KK'];
  if (reason === 'DAMAGED') kinds.push('OLD_CARD');
  if (reason === 'LOST') kinds.push('POLICE_REPORT');
  if (reason === 'DATA_CHANGE') kinds.push('SUPPORTING_DOCUMENT');
  if (documentType === 'KIA') {
    kinds.push('BIRTH_CERTIFICATE');
    if (age >= KIA_PHOTO_MIN_AGE) kinds.push('PHOTO');
  }
  return kinds;
}

/** The content type by magic bytes (never by name): JPEG, PNG or PDF; null otherwise. */
export function detectContentType(bytes: Uint8Array): AttachmentContentType | null {
  const starts = (sig: number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  return null;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
/** Strips an optional `data:…;base64,` prefix and whitespace. */
export function stripBase64(value: string): string {
  return value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
}
/** Whether a string is canonical base64 (length multiple of 4). */
export function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64_RE.test(value);
}
/** Decoded size of a base64 string without decoding it. */
export function base64DecodedSize(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}
/** Length of the base64 text of `bytes` bytes (with padding, no line breaks). */
export function base64EncodedLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
/**
 * The largest JSON body the API accepts, derived from the attachment limits: MAX_ATTACHMENTS files
 * of MAX_ATTACHMENT_BYTES in base64 with MIME line breaks (CRLF every 76 characters, which the API
 * ignores; `\r\n` inside a JSON string is 4 bytes) and a `data:…;base64,` prefix each, plus 256 KiB
 * for the other fields and the JSON syntax.
 * A handover photo is one such file, so every route fits.
 */
export const MAX_JSON_BODY_BYTES =
  MAX_ATTACHMENTS * (Math.ceil((base64EncodedLength(MAX_ATTACHMENT_BYTES) * 80) / 76) + 64) + 256 * 1024;
/** Decodes base64 without Node built-ins (atob is a web standard available in Node and browsers). */
export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
/** Content type of a base64 string by the magic bytes of its first few decoded bytes. */
export function detectBase64ContentType(b64: string): AttachmentContentType | null {
  const head = b64.slice(0, 16);
  if (!isBase64(head)) return null;
  return detectContentType(decodeBase64(head));
}

// ---------------------------------------------------------------- phone

/** Indonesian mobile number (`08…`, `+628…`, `628…`, separators allowed) → E.164 `+628…`; null if not one. */
export function normalizeIndonesianMobile(input: string): string | null {
  const compact = input.replace(/[\s\-().]/g, '');
  let national: string;
  if (compact.startsWith('+62')) national = compact.slice(3);
  else if (compact.startsWith('62')) national = compact.slice(2);
  else if (compact.startsWith('0')) national = compact.slice(1);
  else return null;
  // Mobile numbers: 8xx, 9 to 12 digits after the country code.
  if (!/^8[1-9]\d{7,10}$/.test(national)) return null;
  return `+62${national}`;
}

/** `+6281234567890` → `+62812****890`: enough to recognise, not enough to misuse. */
export function maskPhone(value: string): string {
  if (!/^\+?\d{8,}$/.test(value)) return value.length > 6 ? `${value.slice(0, 3)}****${value.slice(-3)}` : '****';
  return `${value.slice(0, 6)}****${value.slice(-3)}`;
}

// ---------------------------------------------------------------- districts

/** Grobogan's 19 kecamatan. */
export const GROBOGAN_DISTRICTS = [
  'Brati', 'Gabus', 'Geyer', 'Godong', 'Grobogan', 'Gubug', 'Karangrayung', 'Kedungjati', 'Klambu', 'Kradenan',
  'Ngaringan', 'Penawangan', 'Pulokulon', 'Purwodadi', 'Tanggungharjo', 'Tawangharjo', 'Tegowanu', 'Toroh', 'Wirosari',
] as const;
export type GroboganDistrict = (typeof GROBOGAN_DISTRICTS)[number];

/** The canonical spelling of a district (case and surrounding spaces ignored), or null. */
export function normalizeDistrict(input: string): GroboganDistrict | null {
  const wanted = input.trim().toLowerCase();
  return GROBOGAN_DISTRICTS.find((d) => d.toLowerCase() === wanted) ?? null;
}

// ---------------------------------------------------------------- registration number

export const REGISTRATION_NUMBER_RE = /^BP-(\d{8})-(\d{5})$/;

/** `BP-YYYYMMDD-NNNNN` from a Jakarta date (`YYYYMMDD` or `YYYY-MM-DD`) and a daily sequence 1–99999. */
export function formatRegistrationNumber(date: string, seq: number): string {
  const compact = date.replace(/-/g, '');
  if (!/^\d{8}$/.test(compact)) throw new Error(`invalid registration date ${date}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > 99_999) throw new Error(`registration sequence out of range: ${seq}`);
  return `BP-${compact}-${String(seq).padStart(5, '0')}`;
}

export function parseRegistrationNumber(value: string): { date: string; seq: number } | null {
  const m = REGISTRATION_NUMBER_RE.exec(value);
  if (!m) return null;
  const d = m[1]!;
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const seq = Number(m[2]);
  if (!parseIsoDate(iso) || seq < 1) return null;
  return { date: iso, seq };
}

export function isRegistrationNumber(value: string): boolean {
  return parseRegistrationNumber(value) !== null;
}

/** A NIK as printed on papers that travel: region and serial kept, the birth date hidden (`3315••••••••0001`). */
export function maskNikForPrint(nik: string): string {
  return nik.length === 16 ? `${nik.slice(0, 4)}${'•'.repeat(8)}${nik.slice(12)}` : '•'.repeat(Math.max(nik.length, 4));
}
