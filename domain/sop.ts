/**
 * The SOP of "Pelayanan Becak Pintar" (SOP-DKC.IP-22) as one table.
 * Pure data and pure functions: imported by the workflow (deterministic sandbox), the API and,
 * through `/api/sop` and `/api/forms`, the console. Never re-type a step, role or time elsewhere.
 */

export const STEP_KEYS = [
  'SUBMISSION',
  'DOCUMENT_VERIFICATION',
  'PRINT_VERIFICATION',
  'APPROVAL',
  'PRINTING',
  'COURIER_NOTICE',
  'HANDOVER',
  'DONE',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export const ROLES = ['operator', 'subkoordinator', 'kabid', 'kadis', 'ekspedisi', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that own SOP steps (and so have a task queue). */
export const SOP_ROLES = ['operator', 'subkoordinator', 'kabid', 'ekspedisi'] as const satisfies readonly Role[];
/** Roles that receive escalations and digests and may read reports. */
export const SUPERVISOR_ROLES = ['subkoordinator', 'kabid', 'kadis'] as const satisfies readonly Role[];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  operator: 'Operator',
  subkoordinator: 'Sub Koordinator',
  kabid: 'Kepala Bidang',
  kadis: 'Kepala Dinas',
  ekspedisi: 'Jasa Ekspedisi',
  admin: 'Administrator',
};

export const CASE_STATUSES = ['IN_PROGRESS', 'AWAITING_RESUBMISSION', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_STATUSES = ['IN_PROGRESS', 'AWAITING_RESUBMISSION'] as const satisfies readonly CaseStatus[];
export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  IN_PROGRESS: 'Dalam proses',
  AWAITING_RESUBMISSION: 'Menunggu perbaikan berkas',
  COMPLETED: 'Selesai',
  REJECTED: 'Ditolak',
  CANCELLED: 'Dibatalkan',
};

/** Why a current step is not moving (shown in the console, tracking and the Web UI details). */
export const WAITING_FOR_KEYS = ['STAFF_ACTION', 'BLANK_STOCK', 'PRINT_CONFIRMATION', 'RESUBMISSION', 'COURIER', 'COURIER_MESSAGE', 'DELIVERY_RETRY', 'OFFICE_PICKUP'] as const;
export type WaitingForKey = (typeof WAITING_FOR_KEYS)[number];
export const WAITING_FOR_LABELS: Readonly<Record<WaitingForKey, string>> = {
  STAFF_ACTION: 'Menunggu tindakan petugas',
  BLANK_STOCK: 'Menunggu stok blangko',
  PRINT_CONFIRMATION: 'Menunggu konfirmasi hasil cetak',
  RESUBMISSION: 'Menunggu perbaikan berkas dari pemohon',
  COURIER: 'Menunggu penyerahan oleh ekspedisi',
  COURIER_MESSAGE: 'Menunggu pesan ke grup ekspedisi terkirim',
  DELIVERY_RETRY: 'Pengantaran gagal; ekspedisi mencoba lagi pada hari kerja berikutnya',
  OFFICE_PICKUP: 'Dokumen kembali di kantor; menunggu diambil pemohon',
};

/** The timeline's event types (written by the workflow's record activity) and their labels. */
export const CASE_EVENT_LABELS = {
  SUBMITTED: 'Permohonan diajukan',
  STEP_STARTED: 'Tahap dimulai',
  APPROVED: 'Disetujui',
  SIGNED: 'Ditandatangani (TTE)',
  REJECTED: 'Ditolak',
  RESUBMITTED: 'Berkas diperbaiki',
  RESUBMISSION_EXPIRED: 'Batas perbaikan berkas lewat',
  WAITING_FOR_BLANKS: 'Menunggu stok blangko',
  PRINTED: 'Dicetak',
  PRINT_CONFIRMED: 'Hasil cetak dikonfirmasi',
  PRINT_FAILED: 'Cetak gagal',
  COURIER_NOTIFIED: 'Ekspedisi diberi tahu (grup WhatsApp)',
  COURIER_NOTIFIED_MANUALLY: 'Ekspedisi diberi tahu dengan cara lain',
  DELIVERY_FAILED: 'Pengantaran gagal',
  RETURNED_TO_OFFICE: 'Dokumen kembali ke kantor untuk diambil pemohon',
  OFFICE_HANDOVER: 'Diserahkan di kantor',
  PICKED_UP: 'Diambil ekspedisi',
  DELIVERED: 'Diserahkan kepada penerima',
  ESCALATED: 'Eskalasi',
  CANCELLED: 'Dibatalkan',
  COMPLETED: 'Selesai',
  ARCHIVED: 'Diarsipkan',
  ADDRESS_CORRECTED: 'Alamat pengantaran diperbaiki oleh pemohon',
  CONTACT_CORRECTED: 'Alamat atau nomor HP dikoreksi petugas',
  PERSONAL_DATA_ERASED: 'Data pribadi dihapus',
  NOTE: 'Catatan internal',
} as const satisfies Record<string, string>;
export type CaseEventType = keyof typeof CASE_EVENT_LABELS;

/** Documents the service produces for a case. */
export const DOCUMENT_KINDS = ['label', 'approval', 'receipt', 'archive', 'print_job'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Readonly<Record<DocumentKind, string>> = {
  label: 'Label pengiriman',
  approval: 'Persetujuan (TTE)',
  receipt: 'Tanda terima',
  archive: 'Arsip',
  print_job: 'Berkas cetak',
};

export const DOCUMENT_TYPES = ['KTP_EL', 'KIA'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const DOCUMENT_TYPE_LABELS: Readonly<Record<DocumentType, string>> = { KTP_EL: 'KTP-el', KIA: 'KIA' };

export const REQUEST_REASONS = ['NEW', 'DAMAGED', 'LOST', 'DATA_CHANGE'] as const;
export type RequestReason = (typeof REQUEST_REASONS)[number];
export const REQUEST_REASON_LABELS: Readonly<Record<RequestReason, string>> = {
  NEW: 'Baru',
  DAMAGED: 'Rusak',
  LOST: 'Hilang',
  DATA_CHANGE: 'Perubahan data',
};

/** Who performs a step: a staff role, the applicant, or the worker acting for a role. */
export type StepActor = Role | 'applicant' | 'system';

export interface SopStep {
  readonly number: number;
  readonly key: StepKey;
  /** Indonesian activity name shown to staff and citizens. */
  readonly title: string;
  readonly actor: StepActor;
  /** The role answerable for the step's time (escalations start from its supervisor). Null: no timer. */
  readonly responsibleRole: Role | null;
  /** The SOP's mutu baku, in minutes; null for the final step. */
  readonly standardMinutes: number | null;
  readonly output: string;
}

export const SOP_STEPS: readonly SopStep[] = [
  { number: 1, key: 'SUBMISSION', title: 'Pengajuan permohonan', actor: 'applicant', responsibleRole: null, standardMinutes: 10, output: 'Nomor registrasi' },
  { number: 2, key: 'DOCUMENT_VERIFICATION', title: 'Verifikasi dokumen persyaratan', actor: 'operator', responsibleRole: 'operator', standardMinutes: 5, output: 'Notifikasi ke pemohon' },
  { number: 3, key: 'PRINT_VERIFICATION', title: 'Verifikasi cetak (SIAK)', actor: 'subkoordinator', responsibleRole: 'subkoordinator', standardMinutes: 1, output: 'Persetujuan permohonan' },
  { number: 4, key: 'APPROVAL', title: 'Persetujuan dengan tanda tangan elektronik', actor: 'kabid', responsibleRole: 'kabid', standardMinutes: 1, output: 'TTE' },
  { number: 5, key: 'PRINTING', title: 'Pencetakan dokumen dan rekapitulasi', actor: 'operator', responsibleRole: 'operator', standardMinutes: 5, output: 'Dokumen KTP-el / KIA' },
  { number: 6, key: 'COURIER_NOTICE', title: 'Pemberitahuan ke jasa ekspedisi (grup WhatsApp)', actor: 'system', responsibleRole: 'operator', standardMinutes: 1, output: 'Pesan singkat' },
  { number: 7, key: 'HANDOVER', title: 'Penyerahan dokumen dengan tanda terima', actor: 'ekspedisi', responsibleRole: 'ekspedisi', standardMinutes: 1, output: 'Tanda terima' },
  { number: 8, key: 'DONE', title: 'Selesai dan diarsipkan', actor: 'system', responsibleRole: null, standardMinutes: null, output: 'Arsip' },
];

const STEP_BY_KEY = new Map(SOP_STEPS.map((s) => [s.key, s]));
export function sopStep(key: StepKey): SopStep {
  const step = STEP_BY_KEY.get(key);
  if (!step) throw new Error(`unknown SOP step ${key}`);
  return step;
}
export function stepIndex(key: StepKey): number {
  return STEP_KEYS.indexOf(key);
}

/** Standard minutes per step after an office's overrides (SOP_STANDARD_MINUTES). */
export type StandardMinutes = Readonly<Record<StepKey, number | null>>;
export function standardMinutesTable(overrides: Partial<Record<StepKey, number>> = {}): StandardMinutes {
  const table = {} as Record<StepKey, number | null>;
  for (const s of SOP_STEPS) table[s.key] = overrides[s.key] ?? s.standardMinutes;
  return table;
}

/** One rung up: who supervises a role. `kadis` is the top of the ladder. */
export const SUPERVISOR_OF: Readonly<Record<Role, Role | null>> = {
  operator: 'subkoordinator',
  ekspedisi: 'subkoordinator',
  subkoordinator: 'kabid',
  kabid: 'kadis',
  kadis: null,
  admin: null,
};

/**
 * The role notified at escalation `level` (1-based) of a step owned by `role`:
 * level 1 is the owner's supervisor, each further level one rung higher. Null past the top.
 */
export function escalationRole(role: Role, level: number): Role | null {
  let current: Role | null = role;
  for (let i = 0; i < level && current; i++) current = SUPERVISOR_OF[current];
  return current;
}
/** How many escalation levels a step owned by `role` can reach before the ladder ends. */
export function maxEscalationLevel(role: Role): number {
  let level = 0;
  while (escalationRole(role, level + 1)) level++;
  return level;
}

export const ACTION_NAMES = [
  'verify-documents',
  'verify-print',
  'approve',
  'confirm-print',
  'courier-notified-manually',
  'pickup',
  'handover',
  'delivery-failed',
  'office-handover',
  'cancel',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface ActionRule {
  readonly name: ActionName;
  readonly title: string;
  readonly roles: readonly Role[];
  /** Steps at which the action is valid. */
  readonly steps: readonly StepKey[];
  /** Also valid while the case awaits a resubmission (only cancellation). */
  readonly whileAwaitingResubmission?: boolean;
}

export const ACTION_RULES: Readonly<Record<ActionName, ActionRule>> = {
  'verify-documents': { name: 'verify-documents', title: 'Verifikasi dokumen', roles: ['operator'], steps: ['DOCUMENT_VERIFICATION'] },
  'verify-print': { name: 'verify-print', title: 'Verifikasi cetak', roles: ['subkoordinator'], steps: ['PRINT_VERIFICATION'] },
  approve: { name: 'approve', title: 'Persetujuan (TTE)', roles: ['kabid'], steps: ['APPROVAL'] },
  'confirm-print': { name: 'confirm-print', title: 'Konfirmasi hasil cetak', roles: ['operator'], steps: ['PRINTING'] },
  pickup: { name: 'pickup', title: 'Pengambilan oleh ekspedisi', roles: ['ekspedisi'], steps: ['HANDOVER'] },
  handover: { name: 'handover', title: 'Penyerahan dengan tanda terima', roles: ['ekspedisi'], steps: ['HANDOVER'] },
  'courier-notified-manually': {
    name: 'courier-notified-manually',
    title: 'Ekspedisi sudah diberi tahu dengan cara lain',
    roles: ['operator'],
    steps: ['COURIER_NOTICE'],
  },
  'delivery-failed': { name: 'delivery-failed', title: 'Pengantaran gagal', roles: ['ekspedisi'], steps: ['HANDOVER'] },
  'office-handover': { name: 'office-handover', title: 'Penyerahan di kantor dengan tanda terima', roles: ['operator'], steps: ['HANDOVER'] },
  cancel: {
    name: 'cancel',
    title: 'Pembatalan',
    roles: ['kadis', 'admin'],
    steps: ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL'],
    whileAwaitingResubmission: true,
  },
};

/** The decision actions of steps 2–4, in SOP order. */
export const DECISION_ACTION_OF_STEP: Readonly<Partial<Record<StepKey, ActionName>>> = {
  DOCUMENT_VERIFICATION: 'verify-documents',
  PRINT_VERIFICATION: 'verify-print',
  APPROVAL: 'approve',
};

/** Steps before printing: the case may still be cancelled. */
export const CANCELLABLE_STEPS: readonly StepKey[] = ACTION_RULES.cancel.steps;

/** Who received the card at handover (step 7). */
export const RELATIONSHIPS = ['SELF', 'FAMILY', 'OTHER'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export const RELATIONSHIP_LABELS: Readonly<Record<Relationship, string>> = { SELF: 'Pemohon sendiri', FAMILY: 'Keluarga', OTHER: 'Lainnya' };

/**
 * Task lists beyond "the steps a role acts in": the operator also answers for a courier notice
 * whose group message did not go out and for a card back at the office; the courier no longer
 * for the latter.
 */
export const TASK_WAITING_EXTRA: Readonly<Partial<Record<Role, readonly WaitingForKey[]>>> = { operator: ['COURIER_MESSAGE', 'OFFICE_PICKUP'] };
export const TASK_WAITING_EXCLUDED: Readonly<Partial<Record<Role, readonly WaitingForKey[]>>> = { ekspedisi: ['OFFICE_PICKUP'] };

/** Why a delivery attempt failed (step 7, `delivery-failed`). */
export const DELIVERY_FAILURE_REASONS = ['NOT_HOME', 'WRONG_ADDRESS', 'REFUSED', 'UNREACHABLE', 'OTHER'] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];
export const DELIVERY_FAILURE_REASON_LABELS: Readonly<Record<DeliveryFailureReason, string>> = {
  NOT_HOME: 'Tidak ada orang di rumah',
  WRONG_ADDRESS: 'Alamat tidak ditemukan atau salah',
  REFUSED: 'Penerima menolak',
  UNREACHABLE: 'Lokasi tidak dapat dijangkau',
  OTHER: 'Lainnya',
};
/** Failed deliveries before the card waits for pickup at the office (MAX_DELIVERY_ATTEMPTS). */
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 3;

export const REASON_MIN_LENGTH = 10;
export const REASON_MAX_LENGTH = 500;
export const DEFAULT_RESUBMISSION_DAYS = 14;
export const TASK_QUEUE = 'becak-pintar';

/** Each SOP step in the citizen's words, shown beside the office's title on the tracking page. */
export const CITIZEN_STEP_LABELS: Readonly<Record<StepKey, { title: string; explain: string }>> = {
  SUBMISSION: { title: 'Permohonan diterima', explain: 'Permohonan dan berkas Anda sudah masuk.' },
  DOCUMENT_VERIFICATION: { title: 'Berkas diperiksa', explain: 'Petugas memeriksa kelengkapan dan kebenaran berkas.' },
  PRINT_VERIFICATION: { title: 'Data diperiksa sebelum dicetak', explain: 'Data Anda dicocokkan dengan database kependudukan.' },
  APPROVAL: { title: 'Disetujui pimpinan', explain: 'Kepala bidang menyetujui dengan tanda tangan elektronik.' },
  PRINTING: { title: 'Kartu dicetak', explain: 'Kartu Anda dicetak di kantor Disdukcapil.' },
  COURIER_NOTICE: { title: 'Kurir diberi tahu', explain: 'Kurir diberi tahu bahwa kartu siap diambil untuk diantar.' },
  HANDOVER: { title: 'Kartu diantar', explain: 'Kurir mengantar kartu ke alamat Anda dan meminta tanda terima.' },
  DONE: { title: 'Selesai', explain: 'Kartu sudah diterima.' },
};
