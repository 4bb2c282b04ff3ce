/** Read-model → API shapes: tracking (citizens), list items and full case (staff). */
import type { Kysely, Selectable } from 'kysely';
import type { CaseRow, Database, EscalationsTable, StepRunsTable } from '../db/schema.js';
import { DELIVERY_FAILURE_REASONS, DELIVERY_FAILURE_REASON_LABELS, SOP_STEPS, stepIndex, type DeliveryFailureReason, type StandardMinutes, type StepKey } from '../domain/sop.js';
import { ageInYears, jakartaDateString } from '../domain/citizen.js';
import {
  documentsOf,
  escalationsOf,
  eventsOf,
  receiptOf,
  signatureOf,
  stepRunsOf,
  type CaseListRow,
} from '../db/repositories/cases.js';
import { listAttachments } from '../db/repositories/attachments.js';
import type { TrackingCase } from '../db/repositories/tracking.js';
import { timelineView } from './timeline/view.js';

/** Produced documents served at /documents/{kind}. */
export const SERVED_DOCUMENT_KINDS = ['label', 'approval', 'receipt'] as const;

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

interface StepView {
  key: StepKey;
  title: string;
  role: string | null;
  standardMinutes: number | null;
  state: 'done' | 'current' | 'pending';
  startedAt: string | null;
  completedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  /** Minutes the finished run took on the SLA clock (null while running or untimed). */
  countedMinutes: number | null;
  escalations: Array<{ level: number; role: string; at: string }>;
}

/** The columns of a step run the views read (the tracking snapshot brings its timestamps as strings). */
type RunLike = Pick<Selectable<StepRunsTable>, 'step_key' | 'seq' | 'role' | 'overdue' | 'counted_minutes'> & {
  started_at: Date | string;
  due_at: Date | string | null;
  completed_at: Date | string | null;
};

/** Steps of a case: the latest run of each step, its state relative to the current step. */
export function buildSteps(c: CaseRow | TrackingCase, runs: readonly RunLike[], escalations: Selectable<EscalationsTable>[], standard: StandardMinutes): StepView[] {
  const latest = new Map<StepKey, RunLike>();
  for (const r of runs) {
    const prev = latest.get(r.step_key);
    if (!prev || r.seq > prev.seq) latest.set(r.step_key, r);
  }
  const currentIdx = stepIndex(c.current_step);
  const open = c.status === 'IN_PROGRESS' || c.status === 'AWAITING_RESUBMISSION';
  return SOP_STEPS.map((s) => {
    const run = latest.get(s.key);
    const idx = stepIndex(s.key);
    let state: StepView['state'];
    if (s.key === 'SUBMISSION') state = 'done';
    else if (c.status === 'COMPLETED') state = 'done';
    else if (open && idx === currentIdx) state = 'current';
    // A closed case (cancelled, rejected) ended at its current step: that run is finished too.
    else if (idx < currentIdx || (idx === currentIdx && run?.completed_at)) state = 'done';
    else state = 'pending';
    const isCurrent = state === 'current';
    const runEscalations = run ? escalations.filter((e) => e.step_key === s.key && e.step_seq === run.seq) : [];
    return {
      key: s.key,
      title: s.title,
      role: run?.role ?? (s.actor === 'applicant' ? 'applicant' : s.responsibleRole),
      standardMinutes: standard[s.key],
      state,
      startedAt: s.key === 'SUBMISSION' ? iso(c.submitted_at) : iso(isCurrent ? (c.step_started_at ?? run?.started_at) : run?.started_at),
      completedAt:
        s.key === 'SUBMISSION'
          ? iso(c.submitted_at)
          : s.key === 'DONE' && c.status === 'COMPLETED'
            ? iso(c.closed_at ?? run?.started_at)
            : state === 'done'
              ? iso(run?.completed_at)
              : null,
      dueAt: iso(isCurrent ? (c.step_due_at ?? run?.due_at) : run?.due_at),
      overdue: isCurrent ? c.overdue : (run?.overdue ?? false),
      countedMinutes: state === 'done' && run?.counted_minutes !== null && run?.counted_minutes !== undefined ? Number(run.counted_minutes) : null,
      escalations: runEscalations.map((e) => ({ level: e.level, role: e.role, at: iso(e.at)! })),
    };
  });
}

export async function trackingView(db: Kysely<Database>, c: CaseRow, standard: StandardMinutes) {
  // Citizens poll this page: the public view shows no escalations, and a receipt exists only once
  // the read model has its number, so those queries run only when they can matter.
  const [runs, receipt, cancellation] = await Promise.all([
    stepRunsOf(db, c.registration_number),
    c.receipt_number ? receiptOf(db, c.registration_number) : undefined,
    c.status === 'CANCELLED' ? cancellationOf(db, c.registration_number) : undefined,
  ]);
  return trackingViewOf(c, runs, receipt ?? null, cancellation, standard);
}

/**
 * The tracking answer from rows already read (POST /api/tracking and the token route read them in
 * one statement, `trackingSnapshot`); only a cancelled case needs one more query (who and why).
 */
export async function trackingViewFromSnapshot(
  db: Kysely<Database>,
  c: CaseRow | TrackingCase,
  runs: readonly RunLike[],
  receipt: { number: string; delivered_at: Date | string } | null,
  standard: StandardMinutes,
) {
  const cancellation = c.status === 'CANCELLED' ? await cancellationOf(db, c.registration_number) : undefined;
  return trackingViewOf(c, runs, c.receipt_number ? receipt : null, cancellation, standard);
}

function trackingViewOf(
  c: CaseRow | TrackingCase,
  runs: readonly RunLike[],
  receipt: { number: string; delivered_at: Date | string } | null,
  cancellation: { by: 'applicant' | 'office'; reason: string; at: string } | undefined,
  standard: StandardMinutes,
) {
  const steps = buildSteps(c, runs, [], standard).map((s) => ({
    key: s.key,
    title: s.title,
    state: s.state,
    ...(s.startedAt ? { startedAt: s.startedAt } : {}),
    ...(s.completedAt ? { completedAt: s.completedAt } : {}),
    ...(s.dueAt ? { dueAt: s.dueAt } : {}),
    overdue: s.overdue,
  }));
  return {
    registrationNumber: c.registration_number,
    documentType: c.document_type,
    status: c.status,
    currentStep: c.current_step,
    waitingFor: c.waiting_for,
    submittedAt: iso(c.submitted_at)!,
    steps,
    ...(c.rejection_step ? { rejection: { step: c.rejection_step, reason: c.rejection_reason ?? '', at: iso(c.rejected_at) ?? '' } } : {}),
    ...(c.resubmission_due_at && c.status === 'AWAITING_RESUBMISSION' ? { resubmissionDueAt: iso(c.resubmission_due_at)! } : {}),
    ...(receipt ? { receipt: { number: receipt.number, deliveredAt: iso(receipt.delivered_at)! } } : {}),
    deliveryAttempts: c.delivery_attempts,
    ...(cancellation ? { cancellation } : {}),
  };
}

/** Who cancelled (the applicant or the office), why and when: the citizen sees the office's reason. */
async function cancellationOf(db: Kysely<Database>, registrationNumber: string): Promise<{ by: 'applicant' | 'office'; reason: string; at: string } | undefined> {
  const ev = await db
    .selectFrom('case_events')
    .select(['data', 'at'])
    .where('registration_number', '=', registrationNumber)
    .where('type', '=', 'CANCELLED')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!ev) return undefined;
  const data = (ev.data ?? {}) as { inputId?: unknown; by?: unknown };
  const input = typeof data.inputId === 'string' ? await db.selectFrom('action_inputs').select('body').where('id', '=', data.inputId).executeTakeFirst() : undefined;
  const reason = input && typeof (input.body as { reason?: unknown }).reason === 'string' ? String((input.body as { reason: string }).reason) : '';
  return { by: data.by === 'applicant' ? 'applicant' : 'office', reason, at: iso(ev.at)! };
}

export function listItem(r: CaseListRow) {
  return {
    registrationNumber: r.registration_number,
    documentType: r.document_type,
    reason: r.reason,
    status: r.status,
    currentStep: r.current_step,
    subjectName: r.subject_name,
    district: r.district,
    submittedAt: iso(r.submitted_at)!,
    stepStartedAt: iso(r.step_started_at),
    stepDueAt: iso(r.step_due_at),
    overdue: r.overdue,
    escalationLevel: r.escalation_level,
    waitingFor: r.waiting_for,
  };
}

export async function caseDetailView(db: Kysely<Database>, c: CaseRow, standard: StandardMinutes, nowMs: number) {
  const regNo = c.registration_number;
  const [runs, escalations, events, attachments, documents, signature, receipt] = await Promise.all([
    stepRunsOf(db, regNo),
    escalationsOf(db, regNo),
    eventsOf(db, regNo),
    listAttachments(db, regNo),
    documentsOf(db, regNo),
    signatureOf(db, regNo),
    receiptOf(db, regNo),
  ]);
  const base = `/api/applications/${encodeURIComponent(regNo)}`;
  return {
    registrationNumber: regNo,
    documentType: c.document_type,
    reason: c.reason,
    status: c.status,
    currentStep: c.current_step,
    waitingFor: c.waiting_for,
    overdue: c.overdue,
    escalationLevel: c.escalation_level,
    submittedAt: iso(c.submitted_at)!,
    closedAt: iso(c.closed_at),
    deliveryAttempts: c.delivery_attempts,
    // Every failed delivery attempt (step 7), from the timeline: reason as code and as text.
    deliveryFailures: events
      .filter((e) => e.type === 'DELIVERY_FAILED')
      .map((e) => {
        const d = (e.data ?? {}) as { attempt?: number; reason?: string };
        const reason = (DELIVERY_FAILURE_REASONS as readonly string[]).includes(d.reason ?? '') ? (d.reason as DeliveryFailureReason) : 'OTHER';
        return { attempt: d.attempt ?? 0, reason, reasonLabel: DELIVERY_FAILURE_REASON_LABELS[reason], courier: e.actor_username, at: iso(e.at)! };
      }),
    subject: {
      nik: c.subject_nik,
      name: c.subject_name,
      birthDate: c.subject_birth_date,
      married: c.subject_married,
      kkNumber: c.kk_number,
      // Erased cases keep no birth date (retention): no age either.
      age: c.subject_birth_date ? ageInYears(c.subject_birth_date, jakartaDateString(nowMs)) : null,
    },
    contact: { name: c.contact_name, phone: c.contact_phone },
    delivery: { address: c.address, rt: c.rt, rw: c.rw, village: c.village, district: c.district, note: c.delivery_note },
    attachments: attachments.map((a) => ({
      id: a.id,
      kind: a.kind,
      fileName: a.file_name,
      contentType: a.content_type,
      sizeBytes: a.size_bytes,
      sha256: a.sha256,
      round: a.round,
      createdAt: iso(a.created_at)!,
      url: `${base}/attachments/${a.id}`,
    })),
    steps: buildSteps(c, runs, escalations, standard),
    timeline: await timelineView(db, events),
    rejection: c.rejection_step ? { step: c.rejection_step, reason: c.rejection_reason, at: iso(c.rejected_at) } : null,
    resubmissionDueAt: iso(c.resubmission_due_at),
    documents: documents
      .filter((d) => (SERVED_DOCUMENT_KINDS as readonly string[]).includes(d.kind))
      .map((d) => ({
        kind: d.kind,
        version: d.version,
        contentType: d.content_type,
        sha256: d.sha256,
        sizeBytes: d.size_bytes,
        createdAt: iso(d.created_at)!,
        url: `${base}/documents/${d.kind}`,
      })),
    signature: signature ? { signerName: signature.signer_name, signerRole: signature.signer_role, signedAt: iso(signature.signed_at)!, keyId: signature.key_id } : null,
    receipt: receipt
      ? {
          number: receipt.number,
          receivedBy: receipt.received_by,
          relationship: receipt.relationship,
          oldCardCollected: receipt.old_card_collected,
          deliveredAt: iso(receipt.delivered_at)!,
          courier: receipt.courier_username,
          // The handover photo and the drawn signature (files served through the access layer).
          photoUrl: receipt.photo_path ? `${base}/receipt/photo` : null,
          signatureUrl: receipt.signature_path ? `${base}/receipt/signature` : null,
        }
      : null,
  };
}
