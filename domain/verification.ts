/**
 * The verification desk's rules (steps 2–4), written once for the API and the console (through
 * `/js/domain.js`): the checklist an officer works through for a case's document type, reason
 * and age, and the office's standard rejection reasons.
 *
 * The standard reasons are the office's configuration: change the list below (codes are stored
 * with each decision, so retire a code by removing it only when no open case needs it). Each has
 * a short label for staff and a sentence for the citizen in plain Indonesian; the citizen reads
 * exactly the text the officer sees in the reason field (standard sentences plus free text).
 * Pure code: no Node built-ins.
 */
import {
  ATTACHMENT_KIND_LABELS,
  KIA_PHOTO_MIN_AGE,
  eligibilityProblem,
  nikMatchesBirthDate,
  requiredAttachmentKinds,
  type AttachmentKind,
} from './citizen.js';
import { REASON_MAX_LENGTH, type DocumentType, type RequestReason, type StepKey } from './sop.js';

/** The steps a verification desk serves (a decision: approve or reject). */
export const DESK_STEPS = ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL'] as const satisfies readonly StepKey[];
export type DeskStep = (typeof DESK_STEPS)[number];

export function isDeskStep(step: string | null | undefined): step is DeskStep {
  return (DESK_STEPS as readonly string[]).includes(step ?? '');
}

export interface RejectionReason {
  code: string;
  /** Short, for the officer's list. */
  label: string;
  /** What the citizen reads: what is wrong and what to send. */
  text: string;
  /** The steps where it is offered. */
  steps: readonly DeskStep[];
  /** Offered only when the case needs one of these attachments (absent: always). */
  kinds?: readonly AttachmentKind[];
}

export const REJECTION_REASONS: readonly RejectionReason[] = [
  {
    code: 'KK_UNREADABLE',
    label: 'KK buram / tidak terbaca',
    text: 'Foto Kartu Keluarga buram atau tidak terbaca. Mohon unggah ulang foto KK yang jelas dan utuh.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['KK'],
  },
  {
    code: 'DATA_NOT_MATCH_KK',
    label: 'Data tidak sama dengan KK',
    text: 'Nama, NIK atau tanggal lahir yang diisi tidak sama dengan Kartu Keluarga. Mohon periksa kembali dan kirim KK terbaru.',
    steps: ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION'],
    kinds: ['KK'],
  },
  {
    code: 'BIRTH_CERT_UNREADABLE',
    label: 'Akta kelahiran tidak terbaca',
    text: 'Akta kelahiran tidak terbaca atau tidak lengkap. Mohon unggah ulang akta kelahiran yang jelas, semua halaman.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['BIRTH_CERTIFICATE'],
  },
  {
    code: 'BIRTH_CERT_NOT_MATCH',
    label: 'Akta tidak sama dengan data anak',
    text: 'Nama atau tanggal lahir anak di akta kelahiran tidak sama dengan yang diisi. Mohon periksa kembali.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['BIRTH_CERTIFICATE'],
  },
  {
    code: 'PHOTO_UNSUITABLE',
    label: 'Pas foto tidak memenuhi syarat',
    text: 'Pas foto kurang jelas atau tidak berwarna. Mohon unggah pas foto berwarna dengan wajah terlihat jelas.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['PHOTO'],
  },
  {
    code: 'OLD_CARD_UNREADABLE',
    label: 'Foto kartu lama tidak jelas',
    text: 'Foto kartu lama tidak terlihat jelas. Mohon unggah ulang foto kartu lama bagian depan.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['OLD_CARD'],
  },
  {
    code: 'POLICE_REPORT_INVALID',
    label: 'Surat kehilangan tidak sesuai',
    text: 'Surat keterangan kehilangan dari kepolisian tidak terbaca atau bukan atas nama pemohon. Mohon unggah surat yang benar.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['POLICE_REPORT'],
  },
  {
    code: 'SUPPORTING_DOC_INSUFFICIENT',
    label: 'Dokumen perubahan data kurang',
    text: 'Dokumen pendukung belum menunjukkan data yang berubah. Mohon unggah dokumen dasar perubahan, misalnya akta nikah atau surat pindah.',
    steps: ['DOCUMENT_VERIFICATION'],
    kinds: ['SUPPORTING_DOCUMENT'],
  },
  {
    code: 'WRONG_FILE',
    label: 'Berkas bukan dokumen yang diminta',
    text: 'Salah satu berkas yang diunggah bukan dokumen yang diminta. Mohon unggah dokumen yang sesuai.',
    steps: ['DOCUMENT_VERIFICATION'],
  },
  {
    code: 'SIAK_MISMATCH',
    label: 'Data berbeda dengan SIAK',
    text: 'Data permohonan berbeda dengan data kependudukan di Disdukcapil. Mohon periksa kembali data Anda dan kirim KK terbaru.',
    steps: ['PRINT_VERIFICATION', 'APPROVAL'],
  },
];

export const REJECTION_REASON_CODES = REJECTION_REASONS.map((r) => r.code) as [string, ...string[]];

/** Each reason's citizen text must leave room for free text within the stored limit. */
export const MAX_REJECTION_REASON_CODES = 4;

/** The standard reasons offered for a case at this step (those about attachments it needs). */
export function rejectionReasonsFor(step: DeskStep, documentType: DocumentType, reason: RequestReason, age: number | null): RejectionReason[] {
  const kinds = new Set(requiredAttachmentKinds(documentType, reason, age ?? KIA_PHOTO_MIN_AGE));
  return REJECTION_REASONS.filter((r) => r.steps.includes(step) && (!r.kinds || r.kinds.some((k) => kinds.has(k))));
}

/**
 * The text the citizen reads: the chosen standard sentences in list order, then the officer's
 * own words. Unknown codes are ignored (the API refuses them before this is used).
 */
export function composeRejectionText(codes: readonly string[], freeText = ''): string {
  const chosen = REJECTION_REASONS.filter((r) => codes.includes(r.code)).map((r) => r.text);
  const extra = freeText.trim();
  return [...chosen, extra].filter((t) => t !== '').join(' ').slice(0, REASON_MAX_LENGTH);
}

export interface ChecklistItem {
  id: string;
  text: string;
  /** The attachment the officer looks at for this item, when there is one. */
  kind?: AttachmentKind;
  /** Checked by the rules already (e.g. the NIK's date part): true = fits, false = does not. */
  auto?: boolean;
}

export interface ChecklistCase {
  step: DeskStep;
  documentType: DocumentType;
  reason: RequestReason;
  /** Null when the caller's role may not see the birth date. */
  age: number | null;
  nik?: string | null;
  birthDate?: string | null;
  married?: boolean | null;
}

const KIND_CHECK: Readonly<Record<AttachmentKind, string>> = {
  KK: 'terbaca utuh; nama, NIK, tanggal lahir dan nomor KK sama dengan yang diisi',
  OLD_CARD: 'terlihat jelas dan memang rusak',
  POLICE_REPORT: 'dari kepolisian, atas nama pemohon, terbaca',
  SUPPORTING_DOCUMENT: 'menunjukkan data yang berubah',
  BIRTH_CERTIFICATE: 'terbaca; nama anak dan tanggal lahir sama dengan yang diisi',
  PHOTO: 'berwarna, wajah anak terlihat jelas',
  OTHER: 'sesuai dengan keterangannya',
};

/** The checklist for a case at a desk step, generated from the requirement rules (SPEC §3). */
export function checklistFor(c: ChecklistCase): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  if (c.step === 'DOCUMENT_VERIFICATION') {
    for (const kind of requiredAttachmentKinds(c.documentType, c.reason, c.age ?? KIA_PHOTO_MIN_AGE)) {
      items.push({ id: `attachment:${kind}`, kind, text: `${ATTACHMENT_KIND_LABELS[kind]}: ${KIND_CHECK[kind]}` });
    }
    if (c.nik && c.birthDate) {
      items.push({ id: 'rule:nik-birth-date', text: 'Tanggal lahir di dalam NIK sama dengan tanggal lahir yang diisi', auto: nikMatchesBirthDate(c.nik, c.birthDate) });
    }
    if (c.age !== null) {
      const problem = eligibilityProblem(c.documentType, c.age, c.married === true);
      items.push({
        id: 'rule:eligibility',
        text: c.documentType === 'KIA' ? `Umur ${c.age} tahun: berhak atas KIA (di bawah 17 tahun)` : `Umur ${c.age} tahun: berhak atas KTP-el`,
        auto: problem === null,
      });
    }
  }
  if (c.step === 'PRINT_VERIFICATION') {
    items.push({ id: 'siak:data', text: 'Data permohonan sama dengan data di SIAK (nama, NIK, tanggal lahir, alamat)' });
    items.push({ id: 'siak:no-duplicate', text: `Tidak ada permohonan ${c.documentType === 'KIA' ? 'KIA' : 'KTP-el'} lain yang masih berjalan untuk NIK ini` });
    items.push({ id: 'siak:verified', text: 'Berkas sudah diperiksa operator (lihat riwayat)' });
  }
  if (c.step === 'APPROVAL') {
    items.push({ id: 'approval:checked', text: 'Verifikasi dokumen dan verifikasi cetak sudah disetujui' });
    items.push({ id: 'approval:data', text: 'Data yang akan dicetak dan ditandatangani sudah benar' });
  }
  return items;
}
