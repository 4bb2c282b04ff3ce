/**
 * SPEC §9 as data: which staff role may see the personal data of which cases, and which personal
 * fields. Pure (no I/O): the API's access layer (`api/access/`) applies it to every answer that can
 * hold personal data; the tests walk it. Never re-type this table elsewhere.
 *
 * Non-personal facts (registration number, status, step, due times, overdue, escalation, district,
 * document type) are visible to every role and are not listed here.
 */
import { OPEN_STATUSES, escalationRole, sopStep, type CaseStatus, type DocumentKind, type Role, type StepKey } from './sop.js';

/** Every personal field a staff answer can carry. */
export const PERSONAL_FIELDS = [
  // The subject's identity.
  'subject.nik',
  'subject.name',
  'subject.birthDate',
  'subject.married',
  'subject.kkNumber',
  /** Why the card is requested (new, damaged, lost, data change). */
  'request.reason',
  // Who receives the card and where.
  'contact.name',
  'contact.phone',
  /** Street address, RT, RW, village (the district is non-personal). */
  'delivery.address',
  'delivery.note',
  /** Who actually received the card at handover. */
  'receipt.receivedBy',
  /** The handover photo and the recipient's signature drawn on the courier's screen. */
  'receipt.evidence',
  /** Scans and photos: the KK, birth certificate, old card, police report, the child's photo. */
  'attachments',
  /** Free text written about the case: rejection and cancellation reasons, notes, applicant messages. */
  'notes',
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const IDENTITY: readonly PersonalField[] = ['subject.nik', 'subject.name', 'subject.birthDate', 'subject.married', 'subject.kkNumber'];
const RECIPIENT: readonly PersonalField[] = ['contact.name', 'contact.phone', 'delivery.address', 'delivery.note'];

/** Which cases a role may see the personal data of. */
export type CaseRule =
  | { kind: 'all' }
  | { kind: 'none' }
  /** Open cases, and closed ones for `closedDays` after closing. */
  | { kind: 'open-or-recently-closed'; closedDays: number }
  /** Open cases whose current step is the role's, or whose current step has escalated to the role. */
  | { kind: 'own-step-or-escalated' }
  /** Open cases at `step`, and any case for `days` after the viewer's own handover or failed delivery. */
  | { kind: 'step-or-own-courier-act'; step: StepKey; days: number };

export interface RoleAccess {
  readonly cases: CaseRule;
  readonly fields: readonly PersonalField[];
  /** In plain Indonesian, for the console's "what you may see" note. */
  readonly description: string;
}

/** The role × data table of SPEC §9. */
export const ACCESS_POLICY: Readonly<Record<Role, RoleAccess>> = {
  operator: {
    cases: { kind: 'open-or-recently-closed', closedDays: 30 },
    fields: PERSONAL_FIELDS,
    description: 'Semua data pribadi permohonan yang masih berjalan, dan yang sudah ditutup sampai 30 hari.',
  },
  subkoordinator: {
    cases: { kind: 'own-step-or-escalated' },
    // "identity, document type and reason, attachments"; notes are the reasons other staff wrote about these documents.
    fields: [...IDENTITY, 'request.reason', 'attachments', 'notes'],
    description: 'Identitas, alasan permohonan dan lampiran dari permohonan di tahap Anda atau yang dieskalasikan kepada Anda.',
  },
  kabid: {
    cases: { kind: 'own-step-or-escalated' },
    fields: [...IDENTITY, 'request.reason', 'attachments', 'notes'],
    description: 'Identitas, alasan permohonan dan lampiran dari permohonan di tahap Anda atau yang dieskalasikan kepada Anda.',
  },
  kadis: {
    cases: { kind: 'all' },
    fields: PERSONAL_FIELDS,
    description: 'Semua data pribadi semua permohonan (setiap pembukaan dicatat).',
  },
  ekspedisi: {
    cases: { kind: 'step-or-own-courier-act', step: 'HANDOVER', days: 7 },
    // The photo and signature are what the courier took at the handover: theirs to show for 7 days.
    fields: [...RECIPIENT, 'receipt.receivedBy', 'receipt.evidence'],
    description:
      'Nama penerima, nomor HP, alamat dan catatan pengiriman dari permohonan di tahap penyerahan, dan sampai 7 hari setelah penyerahan atau percobaan antar Anda (termasuk foto dan tanda tangan serah terima).',
  },
  admin: {
    cases: { kind: 'none' },
    fields: [],
    description: 'Tidak ada data pribadi pemohon (akun, stok, laporan, pesan dengan penerima disamarkan).',
  },
};

/** The personal fields each produced document holds: served only to a viewer who may see all of them. */
export const DOCUMENT_FIELDS: Readonly<Partial<Record<DocumentKind, readonly PersonalField[]>>> = {
  label: RECIPIENT,
  // The approval letter names the request's reason, and may carry the subject's name.
  approval: ['subject.name', 'request.reason'],
  // The receipt's note is the courier's own handover note; it prints the handover photo and the drawn signature.
  receipt: ['receipt.receivedBy', 'receipt.evidence'],
};

/** Timeline event types that record a courier's own delivery attempt (handover or failure). */
export const COURIER_ACT_EVENT_TYPES = ['DELIVERED', 'DELIVERY_FAILED'] as const;

/** A case as the policy sees it: non-personal facts only. */
export interface CaseAccessFacts {
  status: CaseStatus;
  currentStep: StepKey;
  escalationLevel: number;
  closedAt: number | null;
  /** Handovers and failed deliveries by couriers (username, epoch ms). */
  courierActs: ReadonlyArray<{ username: string; at: number }>;
}

export interface Viewer {
  role: Role;
  username: string;
}

const DAY_MS = 24 * 3600_000;
const isOpen = (s: CaseStatus) => (OPEN_STATUSES as readonly CaseStatus[]).includes(s);

/** Whether the viewer may see any personal data of this case at `nowMs`. */
export function mayAccessCase(viewer: Viewer, c: CaseAccessFacts, nowMs: number): boolean {
  const rule = ACCESS_POLICY[viewer.role].cases;
  switch (rule.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'open-or-recently-closed':
      if (isOpen(c.status)) return true;
      return c.closedAt !== null && nowMs - c.closedAt <= rule.closedDays * DAY_MS;
    case 'own-step-or-escalated': {
      if (c.status !== 'IN_PROGRESS') return false;
      const owner = sopStep(c.currentStep).responsibleRole;
      if (!owner) return false;
      if (owner === viewer.role) return true;
      for (let level = 1; level <= c.escalationLevel; level++) if (escalationRole(owner, level) === viewer.role) return true;
      return false;
    }
    case 'step-or-own-courier-act':
      if (c.status === 'IN_PROGRESS' && c.currentStep === rule.step) return true;
      return c.courierActs.some((a) => a.username === viewer.username && nowMs - a.at <= rule.days * DAY_MS);
  }
}

/** The personal fields the viewer may see in this case (empty: the non-personal view). */
export function visibleFields(viewer: Viewer, c: CaseAccessFacts, nowMs: number): ReadonlySet<PersonalField> {
  if (!mayAccessCase(viewer, c, nowMs)) return new Set();
  return new Set(ACCESS_POLICY[viewer.role].fields);
}

/** Whether the viewer may open a produced document of this case. */
export function mayReadDocument(viewer: Viewer, c: CaseAccessFacts, kind: DocumentKind, nowMs: number): boolean {
  const needs = DOCUMENT_FIELDS[kind];
  if (!needs) return false;
  const fields = visibleFields(viewer, c, nowMs);
  return needs.every((f) => fields.has(f));
}

/** Whether the role needs the courier acts of a case to decide (the API loads them only then). */
export function needsCourierActs(role: Role): boolean {
  return ACCESS_POLICY[role].cases.kind === 'step-or-own-courier-act';
}

/** Roles that read the access log. */
export const ACCESS_LOG_READERS = ['admin', 'kadis'] as const satisfies readonly Role[];

/** What an access-log row records. */
export const ACCESS_KINDS = ['case', 'attachment', 'document', 'search'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];
export const ACCESS_KIND_LABELS: Readonly<Record<AccessKind, string>> = {
  case: 'Data permohonan',
  attachment: 'Lampiran',
  document: 'Dokumen',
  search: 'Pencarian',
};

/** Why staff open a case at a step, in the citizen's words ("… untuk verifikasi dokumen"). */
export const ACCESS_PURPOSE_LABELS: Readonly<Record<StepKey, string>> = {
  SUBMISSION: 'pemeriksaan permohonan',
  DOCUMENT_VERIFICATION: 'verifikasi dokumen',
  PRINT_VERIFICATION: 'verifikasi cetak',
  APPROVAL: 'persetujuan',
  PRINTING: 'pencetakan',
  COURIER_NOTICE: 'persiapan pengiriman',
  HANDOVER: 'pengantaran',
  DONE: 'pemeriksaan arsip',
};
