/**
 * The application form's rules (SPEC §3), written once: the API validates a submission with
 * them and the citizen's browser runs this same file (bundled at server start, served as
 * `/js/domain.js`) to check every field as it is typed. Messages are plain Indonesian: what to
 * do, no codes, no format strings. Pure code: no Node built-ins, no zod.
 */
import {
  ATTACHMENT_KIND_LABELS,
  GROBOGAN_DISTRICTS,
  KIA_PHOTO_MIN_AGE,
  KTP_MIN_AGE,
  MAX_ATTACHMENTS,
  MAX_ATTACHMENT_BYTES,
  ageInYears,
  kkNumberProblem,
  nikMatchesBirthDate,
  normalizeDistrict,
  normalizeIndonesianMobile,
  parseIsoDate,
  parseNik,
  requiredAttachmentKinds,
  type AttachmentKind,
} from './citizen.js';
import { DOCUMENT_TYPES, REQUEST_REASONS, type DocumentType, type RequestReason } from './sop.js';

export interface FormProblem {
  path: string;
  message: string;
}

/** What the form holds (loosely typed: the browser's half-filled form and a raw API body alike). */
export interface ApplicationDraft {
  documentType?: unknown;
  reason?: unknown;
  subject?: { nik?: unknown; name?: unknown; birthDate?: unknown; married?: unknown; kkNumber?: unknown };
  contact?: { name?: unknown; phone?: unknown };
  delivery?: { address?: unknown; rt?: unknown; rw?: unknown; village?: unknown; district?: unknown; note?: unknown };
  attachments?: Array<{ kind?: unknown }> | unknown;
}

/** Length limits of the free-text fields [min, max], used by the API schema and the browser alike. */
export const TEXT_LIMITS = {
  'subject.name': [2, 100],
  'contact.name': [2, 100],
  'delivery.address': [5, 200],
  'delivery.village': [2, 100],
  'delivery.note': [0, 300],
} as const satisfies Record<string, readonly [number, number]>;

function lengthProblem(path: keyof typeof TEXT_LIMITS, value: string): string | null {
  const [min, max] = TEXT_LIMITS[path];
  if (value.length < min) return `Terlalu pendek: paling sedikit ${min} huruf.`;
  if (value.length > max) return `Terlalu panjang: paling banyak ${max} huruf.`;
  return null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const REQUIRED = 'Wajib diisi.';

/** Citizen-facing wording of each rule that has one. */
export const PLAIN = {
  nikDigits: 'NIK terdiri dari 16 angka, seperti tertulis di Kartu Keluarga.',
  nikDate: 'NIK ini tidak sesuai aturan penulisan NIK; periksa kembali angka ke-7 sampai ke-12.',
  nikInvalid: 'NIK ini tidak sesuai aturan penulisan NIK; periksa kembali angkanya.',
  kkDigits: 'Nomor KK terdiri dari 16 angka, seperti tertulis di bagian atas Kartu Keluarga.',
  kkInvalid: 'Nomor KK ini tidak sesuai aturan penulisan; periksa kembali angkanya.',
  birthInvalid: 'Isi tanggal lahir yang benar.',
  birthFuture: 'Tanggal lahir tidak boleh setelah hari ini.',
  birthTooOld: 'Periksa kembali tahun lahir.',
  birthVsNik: 'Tanggal lahir tidak sama dengan tanggal lahir di dalam NIK. Periksa NIK atau tanggal lahir.',
  kiaTooOld: 'Umur 17 tahun ke atas: pilih KTP-el, bukan KIA.',
  ktpTooYoung: 'Di bawah 17 tahun: pilih KIA. KTP-el hanya bila sudah atau pernah menikah.',
  phone: 'Isi nomor HP/WhatsApp yang aktif, misalnya 081234567890.',
  rtRw: 'Isi dengan angka, misalnya 003.',
  district: 'Pilih kecamatan dari daftar.',
  documentType: 'Pilih KTP-el atau KIA.',
  reason: 'Pilih alasan permohonan.',
  tooMany: `Paling banyak ${MAX_ATTACHMENTS} berkas.`,
} as const;

/** Requirement texts shown before the uploads: what each attachment is. */
export const ATTACHMENT_HINTS: Readonly<Record<AttachmentKind, string>> = {
  KK: 'Foto atau pindaian Kartu Keluarga, semua tulisan terbaca.',
  OLD_CARD: 'Foto kartu lama yang rusak (depan). Kartu lama diserahkan ke kurir saat kartu baru diantar.',
  POLICE_REPORT: 'Surat keterangan kehilangan dari kepolisian.',
  SUPPORTING_DOCUMENT: 'Dokumen yang menjadi dasar perubahan data, misalnya akta nikah, ijazah, atau surat pindah.',
  BIRTH_CERTIFICATE: 'Akta kelahiran anak.',
  PHOTO: 'Pasfoto anak berwarna, wajah terlihat jelas (untuk anak 5 tahun ke atas).',
  OTHER: 'Berkas pendukung lain bila ada.',
};

/** The card a person of this age should ask for (married people under 17 may have a KTP-el). */
export function suggestedDocumentType(age: number, married: boolean): DocumentType {
  return age >= KTP_MIN_AGE || married ? 'KTP_EL' : 'KIA';
}

export interface Requirement {
  kind: AttachmentKind;
  label: string;
  hint: string;
}

/** The attachments a form needs, with their labels and hints (age null: not known yet, assume the photo). */
export function requirementsFor(documentType: DocumentType, reason: RequestReason, age: number | null): Requirement[] {
  return requiredAttachmentKinds(documentType, reason, age ?? KIA_PHOTO_MIN_AGE).map((kind) => ({
    kind,
    label: ATTACHMENT_KIND_LABELS[kind],
    hint: ATTACHMENT_HINTS[kind],
  }));
}

/** What the applicant should have ready when the card is delivered. */
export function toPrepare(documentType: DocumentType, reason: RequestReason): string[] {
  const card = documentType === 'KIA' ? 'KIA' : 'KTP-el';
  const out: string[] = [];
  if (reason === 'DAMAGED') out.push(`${card} lama yang rusak, untuk diserahkan kepada kurir.`);
  if (reason === 'DATA_CHANGE') out.push(`${card} lama, untuk diserahkan kepada kurir.`);
  if (documentType === 'KIA') out.push('Orang tua atau wali yang menerima kartu anak.');
  else out.push('Pemilik kartu atau anggota keluarga yang menerima kartu.');
  return out;
}

/**
 * Every rule of the form at once (not in rounds). `today` is the Jakarta date `YYYY-MM-DD`.
 * Attachment contents (type by magic bytes, size) are checked where the bytes are: the API, and
 * the browser before upload (`MAX_ATTACHMENT_BYTES`).
 */
export function applicationProblems(draft: ApplicationDraft, today: string): FormProblem[] {
  const out: FormProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const textField = (path: keyof typeof TEXT_LIMITS, v: unknown, required = true) => {
    const t = str(v);
    if (!t) {
      if (required) add(path, REQUIRED);
      return;
    }
    const p = lengthProblem(path, t);
    if (p) add(path, p);
  };
  const s = draft.subject ?? {};
  const c = draft.contact ?? {};
  const d = draft.delivery ?? {};

  const documentType = DOCUMENT_TYPES.includes(draft.documentType as DocumentType) ? (draft.documentType as DocumentType) : null;
  if (!documentType) add('documentType', PLAIN.documentType);
  const reason = REQUEST_REASONS.includes(draft.reason as RequestReason) ? (draft.reason as RequestReason) : null;
  if (!reason) add('reason', PLAIN.reason);

  const nik = str(s.nik);
  let nikOk = false;
  if (!nik) add('subject.nik', REQUIRED);
  else if (!/^\d{16}$/.test(nik)) add('subject.nik', PLAIN.nikDigits);
  else {
    const parsed = parseNik(nik, Number(today.slice(0, 4)));
    if (!parsed.ok) add('subject.nik', /tanggal/.test(parsed.message) ? PLAIN.nikDate : PLAIN.nikInvalid);
    nikOk = parsed.ok;
  }
  textField('subject.name', s.name);

  const birthDate = str(s.birthDate);
  let age: number | null = null;
  if (!birthDate) add('subject.birthDate', REQUIRED);
  else if (!parseIsoDate(birthDate)) add('subject.birthDate', PLAIN.birthInvalid);
  else {
    age = ageInYears(birthDate, today);
    if (age < 0) add('subject.birthDate', PLAIN.birthFuture);
    else if (age > 130) add('subject.birthDate', PLAIN.birthTooOld);
    else if (nikOk && !nikMatchesBirthDate(nik, birthDate)) add('subject.birthDate', PLAIN.birthVsNik);
    else if (documentType) {
      const married = s.married === true;
      if (documentType === 'KIA' && age >= KTP_MIN_AGE) add('documentType', PLAIN.kiaTooOld);
      if (documentType === 'KTP_EL' && age < KTP_MIN_AGE && !married) add('documentType', PLAIN.ktpTooYoung);
    }
  }

  const kk = str(s.kkNumber);
  if (!kk) add('subject.kkNumber', REQUIRED);
  else if (!/^\d{16}$/.test(kk)) add('subject.kkNumber', PLAIN.kkDigits);
  else if (kkNumberProblem(kk)) add('subject.kkNumber', PLAIN.kkInvalid);

  textField('contact.name', c.name);
  const phone = str(c.phone);
  if (!phone) add('contact.phone', REQUIRED);
  else if (!normalizeIndonesianMobile(phone)) add('contact.phone', PLAIN.phone);

  textField('delivery.address', d.address);
  for (const k of ['rt', 'rw'] as const) {
    const v = str(d[k]);
    if (!v) add(`delivery.${k}`, REQUIRED);
    else if (!/^\d{1,3}$/.test(v)) add(`delivery.${k}`, PLAIN.rtRw);
  }
  textField('delivery.village', d.village);
  textField('delivery.note', d.note, false);
  const district = str(d.district);
  if (!district) add('delivery.district', 'Pilih kecamatan.');
  else if (!normalizeDistrict(district)) add('delivery.district', PLAIN.district);

  const attachments = Array.isArray(draft.attachments) ? (draft.attachments as Array<{ kind?: unknown }>) : [];
  if (attachments.length > MAX_ATTACHMENTS) add('attachments', PLAIN.tooMany);
  if (documentType && reason && age !== null && age >= 0) {
    const present = new Set(attachments.map((a) => a?.kind));
    for (const kind of requiredAttachmentKinds(documentType, reason, age)) {
      if (!present.has(kind)) add(`attachments.${kind}`, `Lampirkan ${ATTACHMENT_KIND_LABELS[kind]}.`);
    }
  }
  return out;
}

export { GROBOGAN_DISTRICTS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, KTP_MIN_AGE, KIA_PHOTO_MIN_AGE, ATTACHMENT_KIND_LABELS, ageInYears };

/**
 * When a case started at `start` is expected to be done: the SOP's standard times of the office's
 * steps (2–7) counted on the office calendar (`clock`), as a Jakarta instant.
 */
export function expectedCompletion(start: number, standardMinutes: Readonly<Record<string, number | null>>, clock: { addMinutes(start: number, minutes: number): number }): number {
  const keys = ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL', 'PRINTING', 'COURIER_NOTICE', 'HANDOVER'];
  const total = keys.reduce((sum, k) => sum + (standardMinutes[k] ?? 0), 0);
  return clock.addMinutes(start, total);
}
