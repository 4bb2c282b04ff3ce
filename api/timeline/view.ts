/**
 * The timeline as staff read it: every event with its label, an actor label ("Pemohon",
 * "Sistem", or the officer's name and role), a plain-language `text`, and the free text behind it
 * (reasons, notes, courier and recipient names) resolved from the stored action bodies instead of
 * internal ids. Nothing is lost on resubmission: a rejection's reason is read from its own action
 * body, not from the case row.
 *
 * Personal data: `text` is built from labels and non-personal facts only. Everything a person
 * wrote or that names a person is in `personalText` (and the officer's name in `actor.name`), so
 * an access policy can strip those fields per role without parsing anything.
 */
import type { Kysely, Selectable } from 'kysely';
import type { CaseEventsTable, Database } from '../../db/schema.js';
import { CASE_EVENT_LABELS, DOCUMENT_TYPE_LABELS, RELATIONSHIP_LABELS, REQUEST_REASON_LABELS, ROLE_LABELS, sopStep, type CaseEventType, type DocumentType, type RequestReason, type Role, type StepKey } from '../../domain/sop.js';
import { indonesianDateTime } from '../../domain/indonesian-date.js';
import { bodyOf } from '../../db/repositories/action-inputs.js';

/** Free text written by staff or the applicant, or naming a person: the fields a policy may strip. */
export interface PersonalText {
  reason?: string;
  note?: string;
  courierName?: string;
  receivedBy?: string;
  text?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface TimelineEntry {
  type: string;
  label: string;
  step: string | null;
  stepTitle: string | null;
  at: string;
  actor: { username: string; role: string | null; name: string | null } | null;
  /** "Pemohon", "Sistem", or "Nama Petugas (Peran)". */
  actorLabel: string;
  /** Plain Indonesian, no personal data. */
  text: string;
  /** May hold personal data (see the module comment); null when the event carries no free text. */
  personalText: PersonalText | null;
  /** The stored event data (ids and non-personal facts). */
  data: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const isRole = (r: string | null): r is Role => r !== null && r in ROLE_LABELS;

function actorLabelOf(e: Selectable<CaseEventsTable>, name: string | null): string {
  if (e.actor_role === 'applicant') return 'Pemohon';
  if (!e.actor_username) return 'Sistem';
  const role = isRole(e.actor_role) ? ROLE_LABELS[e.actor_role] : e.actor_role;
  return `${name ?? e.actor_username}${role ? ` (${role})` : ''}`;
}

function textOf(type: string, stepTitle: string | null, data: Record<string, unknown>): string {
  const t = type as CaseEventType;
  const attempt = typeof data.attempt === 'number' ? ` (cetakan ke-${data.attempt})` : '';
  switch (t) {
    case 'SUBMITTED': {
      const doc = DOCUMENT_TYPE_LABELS[data.documentType as DocumentType];
      const reason = REQUEST_REASON_LABELS[data.reason as RequestReason];
      return `Permohonan ${doc ?? ''}${reason ? `, alasan ${reason.toLowerCase()}` : ''}${typeof data.district === 'string' ? `, Kecamatan ${data.district}` : ''}.`.replace(' ,', ',');
    }
    case 'STEP_STARTED':
      return `Tahap "${stepTitle ?? '-'}" dimulai.`;
    case 'APPROVED':
    case 'SIGNED':
      return `${CASE_EVENT_LABELS[t]} pada tahap "${stepTitle ?? '-'}".`;
    case 'REJECTED':
      return `Ditolak pada tahap "${stepTitle ?? '-'}"${typeof data.resubmissionDueAt === 'number' ? `; perbaikan berkas paling lambat ${indonesianDateTime(data.resubmissionDueAt)}` : ''}.`;
    case 'RESUBMITTED':
      return 'Pemohon mengirim perbaikan berkas.';
    case 'PRINTED':
      return `Kartu dicetak${attempt}.`;
    case 'PRINT_CONFIRMED':
      return `Hasil cetak baik${attempt}.`;
    case 'PRINT_FAILED':
      return `Hasil cetak gagal${attempt}; blangko rusak dicatat dan kartu dicetak ulang.`;
    case 'WAITING_FOR_BLANKS':
      return `Menunggu stok blangko ${DOCUMENT_TYPE_LABELS[data.documentType as DocumentType] ?? ''}.`.replace(' .', '.');
    case 'COURIER_NOTIFIED':
      return typeof data.district === 'string' ? `Ekspedisi diberi tahu untuk Kecamatan ${data.district}.` : 'Ekspedisi diberi tahu.';
    case 'PICKED_UP':
      return 'Kartu diambil ekspedisi dari kantor.';
    case 'DELIVERED': {
      const rel = RELATIONSHIP_LABELS[data.relationship as keyof typeof RELATIONSHIP_LABELS];
      const old = data.oldCardCollected === true ? '; kartu lama ditarik' : data.oldCardCollected === false ? '; kartu lama tidak ditarik' : '';
      return `Kartu diserahkan${rel ? ` (penerima: ${rel.toLowerCase()})` : ''}${typeof data.receiptNumber === 'string' ? `, tanda terima ${data.receiptNumber}` : ''}${old}.`;
    }
    case 'ESCALATED':
      return `Eskalasi level ${String(data.level ?? '-')} ke ${isRole(String(data.role ?? '')) ? ROLE_LABELS[data.role as Role] : '-'}: tahap "${stepTitle ?? '-'}" melewati batas waktu.`;
    case 'CANCELLED':
      return data.by === 'applicant' ? 'Dibatalkan oleh pemohon.' : 'Dibatalkan oleh petugas.';
    case 'RESUBMISSION_EXPIRED':
      return 'Batas waktu perbaikan berkas lewat; permohonan ditutup.';
    case 'COMPLETED':
      return 'Permohonan selesai.';
    case 'ARCHIVED':
      return 'Permohonan diarsipkan (manifes dengan sidik SHA-256).';
    case 'NOTE':
      return 'Catatan internal petugas.';
    default:
      return CASE_EVENT_LABELS[t as CaseEventType] ?? type;
  }
}

function personalTextOf(type: string, data: Record<string, unknown>, body: Record<string, unknown>): PersonalText | null {
  const p: PersonalText = {};
  const reason = str(body.reason);
  const note = str(body.note);
  if (reason) p.reason = reason;
  if (note) p.note = note;
  const courierName = str(body.courierName);
  if (courierName) p.courierName = courierName;
  const receivedBy = str(body.receivedBy);
  if (receivedBy) p.receivedBy = receivedBy;
  if (type === 'NOTE') {
    const text = str(body.text) ?? str(data.text);
    if (text) p.text = text;
  }
  // Data corrections (e.g. an operator's address correction) keep before/after in their body.
  if (body.before && typeof body.before === 'object') p.before = body.before as Record<string, unknown>;
  if (body.after && typeof body.after === 'object') p.after = body.after as Record<string, unknown>;
  return Object.keys(p).length ? p : null;
}

/** Readable timeline entries for a case's events (two queries: the action bodies and the staff names). */
export async function timelineView(db: Kysely<Database>, events: Selectable<CaseEventsTable>[]): Promise<TimelineEntry[]> {
  const datas = events.map((e) => bodyOf(e.data));
  const inputIds = [...new Set(datas.map((d) => d.inputId).filter((v): v is string => typeof v === 'string' && v !== ''))];
  const usernames = [...new Set(events.map((e) => e.actor_username).filter((u): u is string => u !== null))];
  const [inputs, staff] = await Promise.all([
    inputIds.length ? db.selectFrom('action_inputs').select(['id', 'body']).where('id', 'in', inputIds).execute() : Promise.resolve([]),
    usernames.length ? db.selectFrom('staff').select(['username', 'name']).where('username', 'in', usernames).execute() : Promise.resolve([]),
  ]);
  const bodies = new Map(inputs.map((i) => [i.id, bodyOf(i.body)]));
  const names = new Map(staff.map((s) => [s.username, s.name]));
  return events.map((e, i) => {
    const data = datas[i]!;
    const body = typeof data.inputId === 'string' ? (bodies.get(data.inputId) ?? {}) : {};
    const stepTitle = e.step_key ? sopStep(e.step_key as StepKey).title : null;
    const name = e.actor_username ? (names.get(e.actor_username) ?? null) : null;
    return {
      type: e.type,
      label: CASE_EVENT_LABELS[e.type as CaseEventType] ?? e.type,
      step: e.step_key,
      stepTitle,
      at: new Date(e.at).toISOString(),
      actor: e.actor_username ? { username: e.actor_username, role: e.actor_role, name } : null,
      actorLabel: actorLabelOf(e, name),
      text: textOf(e.type, stepTitle, data),
      personalText: personalTextOf(e.type, data, body),
      data,
    };
  });
}
