/**
 * The one response-shaping layer for staff answers that can hold personal data (SPEC §9).
 *
 * Every route that returns personal data calls this module: case detail, lists and tasks, search,
 * attachments, documents, notifications. It reads the policy of `domain/access-policy.ts`, removes
 * what the viewer may not see (or answers 403 for files), and appends the access log in the same
 * call that serves the data, so no route can serve personal data without logging it.
 */
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { CaseRow, Database, NotificationRow } from '../../db/schema.js';
import {
  ACCESS_POLICY,
  DOCUMENT_FIELDS,
  PERSONAL_FIELDS,
  mayReadDocument,
  needsCourierActs,
  visibleFields,
  type AccessKind,
  type CaseAccessFacts,
  type PersonalField,
  type Viewer,
} from '../../domain/access-policy.js';
import { REQUEST_REASONS, type DocumentKind, type StandardMinutes, type StepKey } from '../../domain/sop.js';
import { classifySearch } from '../../domain/search.js';
import type { FileStore } from '../../infra/files.js';
import { findCase, latestDocument, searchCases, type CaseListRow } from '../../db/repositories/cases.js';
import { getAttachment, type AttachmentRow } from '../../db/repositories/attachments.js';
import { appendAccessLog, caseFactsRows, courierActsOf, type NewAccessLogRow } from '../../db/repositories/access-log.js';
import { caseDetailView, listItem, SERVED_DOCUMENT_KINDS } from '../case-view.js';
import { ApiError } from '../errors.js';

export interface AccessLayerDeps {
  db: Kysely<Database>;
  files: FileStore;
  standardMinutes: StandardMinutes;
  now: () => number;
}

type CaseFactsSource = Pick<CaseRow, 'registration_number' | 'status' | 'current_step' | 'escalation_level' | 'closed_at'>;

const ms = (d: Date | string | null): number | null => (d ? new Date(d).getTime() : null);

function viewerOf(req: Request): Viewer {
  const user = req.user;
  // Routes mount requireRole before calling the layer: a missing user is a wiring error.
  if (!user) throw new ApiError('unauthorized', 'Silakan masuk terlebih dahulu.');
  return { role: user.role, username: user.username };
}

/** The policy's facts for cases, loading couriers' delivery attempts only for roles whose rule needs them. */
async function factsFor(db: Kysely<Database>, viewer: Viewer, rows: readonly CaseFactsSource[]): Promise<Map<string, CaseAccessFacts>> {
  const acts = needsCourierActs(viewer.role) ? await courierActsOf(db, rows.map((r) => r.registration_number)) : new Map<string, Array<{ username: string; at: number }>>();
  return new Map(
    rows.map((r) => [
      r.registration_number,
      { status: r.status, currentStep: r.current_step, escalationLevel: r.escalation_level, closedAt: ms(r.closed_at), courierActs: acts.get(r.registration_number) ?? [] },
    ]),
  );
}

/** Timeline data keys that never carry personal data. Any other key is free text ('notes'). */
const NON_PERSONAL_EVENT_DATA_KEYS = new Set([
  'level',
  'role',
  'dueAt',
  'documentType',
  'district',
  'submittedAt',
  'attempt',
  'resubmissionDueAt',
  'by',
  'receiptNumber',
  'relationship',
  'oldCardCollected',
  'manifest',
  'sha256',
  'decision',
  'result',
  'round',
  'kinds',
  'inputId',
  'attachmentIds',
  'count',
]);
/** Timeline entry keys that never carry personal data (labels the API adds); anything else is free text. */
// `text` is the timeline's composed sentence without personal data (api/timeline/view.ts); `personalText` is not listed.
const NON_PERSONAL_EVENT_KEYS = new Set(['type', 'step', 'actor', 'at', 'data', 'label', 'title', 'actorLabel', 'stepTitle', 'stepLabel', 'text']);

/** Timeline data keys that hold one named personal field (anything else unlisted is free text). */
const EVENT_DATA_KEY_FIELDS: Readonly<Record<string, PersonalField>> = {
  receivedBy: 'receipt.receivedBy',
  recipientName: 'contact.name',
  phone: 'contact.phone',
  address: 'delivery.address',
};

/** Whether a value of a timeline data key may be shown with these fields. */
function eventDataVisible(key: string, value: unknown, fields: ReadonlySet<PersonalField>): boolean {
  const named = EVENT_DATA_KEY_FIELDS[key];
  if (named) return fields.has(named);
  if (fields.has('notes')) return true;
  if (key === 'reason' && typeof value === 'string') {
    // The request's reason (NEW, LOST…) or a code (NOT_HOME…); free-text reasons are notes.
    if ((REQUEST_REASONS as readonly string[]).includes(value)) return fields.has('request.reason');
    return /^[A-Z][A-Z_]*$/.test(value);
  }
  return NON_PERSONAL_EVENT_DATA_KEYS.has(key);
}

type Detail = Awaited<ReturnType<typeof caseDetailView>>;

/** The case detail as this viewer may see it: only the personal fields the policy allows. */
export function shapeCaseDetail(view: Detail, fields: ReadonlySet<PersonalField>, viewer: Viewer, facts: CaseAccessFacts, nowMs: number) {
  const has = (f: PersonalField) => fields.has(f);
  const { subject, contact, delivery, attachments, reason, timeline, rejection, documents, receipt, ...rest } = view;
  const subjectOut: Partial<Detail['subject']> = {};
  if (has('subject.nik')) subjectOut.nik = subject.nik;
  if (has('subject.name')) subjectOut.name = subject.name;
  if (has('subject.birthDate')) {
    subjectOut.birthDate = subject.birthDate;
    subjectOut.age = subject.age;
  }
  if (has('subject.married')) subjectOut.married = subject.married;
  if (has('subject.kkNumber')) subjectOut.kkNumber = subject.kkNumber;
  const contactOut: Partial<Detail['contact']> = {};
  if (has('contact.name')) contactOut.name = contact.name;
  if (has('contact.phone')) contactOut.phone = contact.phone;
  const deliveryOut: Partial<Detail['delivery']> & { district: string } = { district: delivery.district };
  if (has('delivery.address')) Object.assign(deliveryOut, { address: delivery.address, rt: delivery.rt, rw: delivery.rw, village: delivery.village });
  if (has('delivery.note')) deliveryOut.note = delivery.note;

  return {
    ...rest,
    ...(has('request.reason') ? { reason } : {}),
    ...(Object.keys(subjectOut).length ? { subject: subjectOut } : {}),
    ...(Object.keys(contactOut).length ? { contact: contactOut } : {}),
    delivery: deliveryOut,
    ...(has('attachments') ? { attachments } : {}),
    timeline: timeline.map((e) => {
      if (fields.size === PERSONAL_FIELDS.length) return e;
      const entry: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(e)) if (NON_PERSONAL_EVENT_KEYS.has(k) || has('notes')) entry[k] = v;
      if (!has('notes')) entry.personalText = null;
      entry.data = Object.fromEntries(Object.entries(e.data ?? {}).filter(([k, v]) => eventDataVisible(k, v, fields)));
      return entry as unknown as typeof e;
    }),
    rejection: rejection ? { ...rejection, reason: has('notes') ? rejection.reason : null } : null,
    documents: documents.filter((d) => mayReadDocument(viewer, facts, d.kind as DocumentKind, nowMs)),
    receipt: receipt
      ? (() => {
          const { receivedBy, photoUrl, signatureUrl, ...r } = receipt;
          return {
            ...r,
            ...(has('receipt.receivedBy') ? { receivedBy } : {}),
            ...(has('receipt.evidence') ? { photoUrl, signatureUrl } : {}),
          };
        })()
      : null,
    access: accessNote(viewer, fields),
  };
}

/** What the console says about the view ("Data pribadi tidak ditampilkan …"). */
function accessNote(viewer: Viewer, fields: ReadonlySet<PersonalField>) {
  return {
    personalData: fields.size > 0,
    fields: [...fields],
    note: fields.size > 0 ? ACCESS_POLICY[viewer.role].description : 'Data pribadi permohonan ini tidak ditampilkan untuk peran Anda (UU PDP).',
  };
}

/** A list or task item as this viewer may see it. */
export function shapeListItem(r: CaseListRow, fields: ReadonlySet<PersonalField>) {
  const { subjectName, reason, ...item } = listItem(r);
  return {
    ...item,
    ...(fields.has('request.reason') ? { reason } : {}),
    ...(fields.has('subject.name') ? { subjectName } : {}),
    ...(fields.has('contact.name') ? { recipientName: r.contact_name } : {}),
    personalData: fields.size > 0,
  };
}

/** The case columns a route card can show (personal: shaped by `shapeRecipient`). */
export type RouteRecipientColumns = Pick<CaseRow, 'contact_name' | 'contact_phone' | 'address' | 'rt' | 'rw' | 'village' | 'delivery_note' | 'district'>;

/** The recipient block of a route card as the viewer may see it; null when nothing personal is visible. */
export function shapeRecipient(r: RouteRecipientColumns, fields: ReadonlySet<PersonalField>) {
  const out: { name?: string; phone?: string; address?: string; rt?: string; rw?: string; village?: string; note?: string | null } = {};
  if (fields.has('contact.name')) out.name = r.contact_name;
  if (fields.has('contact.phone')) out.phone = r.contact_phone;
  if (fields.has('delivery.address')) Object.assign(out, { address: r.address, rt: r.rt, rw: r.rw, village: r.village });
  if (fields.has('delivery.note')) out.note = r.delivery_note;
  return Object.keys(out).length ? out : null;
}

/** Recipients are phone numbers (masked), group ids or roles (shown as they are). */
export type MaskRecipient = (recipient: string) => string;

/** Message kinds whose text is built without personal data (registration number, step, district); any other kind is the applicant's. */
const NON_PERSONAL_NOTIFICATION_KINDS = new Set<string>(['COURIER_GROUP', 'ESCALATION', 'DIGEST']);

export const HIDDEN_MESSAGE_TEXT = 'Isi pesan untuk pemohon tidak ditampilkan untuk peran Anda (berisi data pribadi).';

export function createAccessLayer(deps: AccessLayerDeps) {
  const { db } = deps;

  async function log(req: Request, viewer: Viewer, kind: AccessKind, entries: Array<{ registrationNumber: string | null; step: StepKey | null; detail: string | null }>) {
    const at = new Date(deps.now());
    const rows: NewAccessLogRow[] = entries.map((e) => ({
      at,
      username: viewer.username,
      role: viewer.role,
      kind,
      registration_number: e.registrationNumber,
      step_key: e.step,
      detail: e.detail,
      client_address: req.ip ?? null,
    }));
    await appendAccessLog(db, rows);
  }

  async function caseAndFields(req: Request, regNo: string) {
    const viewer = viewerOf(req);
    const c = await findCase(db, regNo);
    if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');
    const facts = (await factsFor(db, viewer, [c])).get(c.registration_number)!;
    const nowMs = deps.now();
    return { viewer, c, facts, nowMs, fields: visibleFields(viewer, facts, nowMs) };
  }

  return {
    /** GET /api/applications/{regNo}: the case as the viewer may see it; logged when it carries personal fields. */
    async caseDetail(req: Request, regNo: string) {
      const { viewer, c, facts, nowMs, fields } = await caseAndFields(req, regNo);
      const view = await caseDetailView(db, c, deps.standardMinutes, nowMs);
      const shaped = shapeCaseDetail(view, fields, viewer, facts, nowMs);
      if (fields.size > 0) await log(req, viewer, 'case', [{ registrationNumber: c.registration_number, step: c.current_step, detail: null }]);
      return shaped;
    },

    /** Lists and tasks: names only where the policy allows (not logged: the case detail, files and searches are). */
    async listItems(req: Request, rows: readonly CaseListRow[]) {
      const viewer = viewerOf(req);
      const facts = await factsFor(db, viewer, rows);
      const nowMs = deps.now();
      return rows.map((r) => shapeListItem(r, visibleFields(viewer, facts.get(r.registration_number)!, nowMs)));
    },

    /** An attachment's file, or 403 when the viewer may not see this case's scans. Logged. */
    async attachment(req: Request, regNo: string, id: string): Promise<{ row: AttachmentRow; data: Buffer }> {
      const { viewer, c, fields } = await caseAndFields(req, regNo);
      if (!fields.has('attachments')) throw new ApiError('forbidden', 'Peran Anda tidak berwenang membuka lampiran permohonan ini.');
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw ApiError.notFound('Lampiran tidak ditemukan.');
      const row = await getAttachment(db, regNo, id);
      if (!row) throw ApiError.notFound('Lampiran tidak ditemukan.');
      if (row.storage_path === '') throw new ApiError('gone', 'Berkas ini telah dihapus bersama data pribadi permohonan (masa retensi atau permintaan).');
      const data = await deps.files.read(row.storage_path);
      await log(req, viewer, 'attachment', [{ registrationNumber: c.registration_number, step: c.current_step, detail: `${row.kind} ${row.id}` }]);
      return { row, data };
    },

    /** The handover photo or the drawn signature of a case's receipt, or 403 without `receipt.evidence`. Logged. */
    async receiptFile(req: Request, regNo: string, which: 'photo' | 'signature'): Promise<{ data: Buffer; contentType: string }> {
      const { viewer, c, fields } = await caseAndFields(req, regNo);
      if (!fields.has('receipt.evidence')) throw new ApiError('forbidden', 'Peran Anda tidak berwenang membuka foto atau tanda tangan serah terima permohonan ini.');
      const receipt = await db.selectFrom('receipts').select(['photo_path', 'signature_path']).where('registration_number', '=', regNo).executeTakeFirst();
      const rel = which === 'photo' ? receipt?.photo_path : receipt?.signature_path;
      if (!rel) throw ApiError.notFound(which === 'photo' ? 'Tidak ada foto serah terima.' : 'Tidak ada tanda tangan penerima.');
      const data = await deps.files.read(rel);
      await log(req, viewer, 'document', [{ registrationNumber: c.registration_number, step: c.current_step, detail: which === 'photo' ? 'foto serah terima' : 'tanda tangan penerima' }]);
      return { data, contentType: rel.endsWith('.png') ? 'image/png' : 'image/jpeg' };
    },

    /**
     * The courier's route: each delivery with the recipient's name, phone, address and note only
     * where the policy allows; every case shown with personal fields is logged ("rute pengantaran").
     */
    async routeItems<R extends CaseFactsSource & RouteRecipientColumns>(req: Request, rows: readonly R[]) {
      const viewer = viewerOf(req);
      const facts = await factsFor(db, viewer, rows);
      const nowMs = deps.now();
      const out = rows.map((r) => ({ row: r, recipient: shapeRecipient(r, visibleFields(viewer, facts.get(r.registration_number)!, nowMs)) }));
      const shown = out.filter((o) => o.recipient !== null);
      if (shown.length) await log(req, viewer, 'case', shown.map((o) => ({ registrationNumber: o.row.registration_number, step: o.row.current_step, detail: 'rute pengantaran' })));
      return out;
    },

    /** A produced document (label, approval, receipt), or 403 when it holds personal data the viewer may not see. Logged. */
    async document(req: Request, regNo: string, kind: string) {
      if (!(SERVED_DOCUMENT_KINDS as readonly string[]).includes(kind)) throw ApiError.notFound('Jenis dokumen tidak dikenal (label, approval, receipt).');
      const { viewer, c, facts, nowMs } = await caseAndFields(req, regNo);
      if (!mayReadDocument(viewer, facts, kind as DocumentKind, nowMs)) throw new ApiError('forbidden', 'Peran Anda tidak berwenang membuka dokumen ini (berisi data pribadi).');
      const doc = await latestDocument(db, regNo, kind);
      if (!doc) throw ApiError.notFound('Dokumen belum tersedia.');
      if (doc.storage_path === '') throw new ApiError('gone', 'Dokumen ini telah dihapus bersama data pribadi permohonan (masa retensi atau permintaan).');
      const data = await deps.files.read(doc.storage_path);
      if ((DOCUMENT_FIELDS[kind as DocumentKind] ?? []).length > 0) {
        await log(req, viewer, 'document', [{ registrationNumber: c.registration_number, step: c.current_step, detail: `${kind} v${doc.version}` }]);
      }
      return { doc, data };
    },

    /**
     * POST /api/applications/search: by registration number, NIK or name. A NIK or name matches only
     * cases whose matching field the viewer may see; such searches are logged per case found.
     */
    async search(req: Request, q: string, limit: number) {
      const viewer = viewerOf(req);
      const query = classifySearch(q);
      if (!query) {
        throw ApiError.validation([{ path: 'q', message: 'Isi nomor registrasi, NIK (16 angka) atau minimal 3 huruf nama' }]);
      }
      const allowed = ACCESS_POLICY[viewer.role].fields;
      if (query.kind === 'nik' && !allowed.includes('subject.nik')) throw new ApiError('forbidden', 'Peran Anda tidak berwenang mencari dengan NIK.');
      if (query.kind === 'name' && !allowed.includes('subject.name') && !allowed.includes('contact.name')) {
        throw new ApiError('forbidden', 'Peran Anda tidak berwenang mencari dengan nama.');
      }
      const candidates = await searchCases(db, query, query.kind === 'registration' ? limit : Math.max(limit * 4, 200));
      const facts = await factsFor(db, viewer, candidates);
      const nowMs = deps.now();
      const found: Array<{ row: CaseListRow; fields: ReadonlySet<PersonalField> }> = [];
      for (const r of candidates) {
        const fields = visibleFields(viewer, facts.get(r.registration_number)!, nowMs);
        if (query.kind === 'nik' && !fields.has('subject.nik')) continue;
        if (query.kind === 'name' && !((r.subject_match && fields.has('subject.name')) || (r.contact_match && fields.has('contact.name')))) continue;
        found.push({ row: r, fields });
        if (found.length >= limit) break;
      }
      if (query.kind !== 'registration') {
        const detail = query.kind === 'nik' ? 'NIK' : 'nama';
        await log(
          req,
          viewer,
          'search',
          found.length
            ? found.map((f) => ({ registrationNumber: f.row.registration_number, step: f.row.current_step, detail: `pencarian ${detail}` }))
            : [{ registrationNumber: null, step: null, detail: `pencarian ${detail}, tidak ada hasil` }],
        );
      }
      return { kind: query.kind, items: found.map((f) => shapeListItem(f.row, f.fields)) };
    },

    /** Notifications: recipients masked for everyone; an applicant message's text only for viewers who may read the case's notes. */
    async notifications(req: Request, rows: readonly NotificationRow[], maskRecipient: MaskRecipient) {
      const viewer = viewerOf(req);
      const personal = (n: NotificationRow) => !NON_PERSONAL_NOTIFICATION_KINDS.has(n.kind);
      const regNos = rows.filter((n) => personal(n) && n.registration_number).map((n) => n.registration_number!);
      const facts = await factsFor(db, viewer, await caseFactsRows(db, regNos));
      const nowMs = deps.now();
      return rows.map((n) => {
        const f = personal(n) && n.registration_number ? facts.get(n.registration_number) : undefined;
        const textVisible = !personal(n) || (f !== undefined && visibleFields(viewer, f, nowMs).has('notes'));
        return {
          id: n.id,
          kind: n.kind,
          registrationNumber: n.registration_number,
          channel: n.channel,
          recipient: maskRecipient(n.recipient),
          text: textVisible ? n.text : HIDDEN_MESSAGE_TEXT,
          textHidden: !textVisible,
          status: n.status,
          attempts: n.attempts,
          ...(n.status === 'FAILED' || n.status === 'NO_RECIPIENT' ? { problem: n.last_error ?? null } : {}),
          createdAt: new Date(n.created_at).toISOString(),
        };
      });
    },
  };
}

export type AccessLayer = ReturnType<typeof createAccessLayer>;
