/**
 * One durable workflow per case (ID = registration number): walks the eight SOP steps, waits for
 * staff decisions, times every step against its standard, escalates overdue steps up the ladder,
 * and runs every side effect as an activity. Carries no personal data: only the registration
 * number, non-personal facts, staff usernames and ids of `action_inputs` rows.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, ApplicantEvent, TransitionRecord } from '../activities/index.js';
import {
  ACTION_RULES,
  CANCELLABLE_STEPS,
  CASE_STATUS_LABELS,
  DEFAULT_MAX_DELIVERY_ATTEMPTS,
  DELIVERY_FAILURE_REASONS,
  RELATIONSHIPS,
  DOCUMENT_TYPE_LABELS,
  ROLE_LABELS,
  STEP_KEYS,
  WAITING_FOR_LABELS,
  escalationRole,
  sopStep,
  type ActionName,
  type CaseStatus,
  type Role,
  type StepKey,
} from '../domain/sop.js';
import { createSlaClock, nextOfficeDayStart } from '../domain/calendar.js';
import { indonesianDateTime } from '../domain/indonesian-date.js';
import { receiptNumberOf } from '../domain/receipt.js';
import {
  ACTION_FORBIDDEN,
  ACTION_REJECTED,
  applicantCancelUpdate,
  approveSignal,
  approveUpdate,
  blanksAddedSignal,
  cancelSignal,
  cancelUpdate,
  caseStateQuery,
  confirmPrintSignal,
  confirmPrintUpdate,
  courierMessageSentSignal,
  courierNotifiedManuallySignal,
  courierNotifiedManuallyUpdate,
  deliveryFailedSignal,
  deliveryFailedUpdate,
  officeHandoverSignal,
  officeHandoverUpdate,
  requestOfficePickupSignal,
  requestOfficePickupUpdate,
  handoverSignal,
  handoverUpdate,
  pickupSignal,
  pickupUpdate,
  resubmitSignal,
  resubmitUpdate,
  verifyDocumentsSignal,
  verifyDocumentsUpdate,
  verifyPrintSignal,
  verifyPrintUpdate,
  type ActionResult,
  type Actor,
  type CaseState,
  type CaseWorkflowInput,
  type StepState,
  type WaitingFor,
} from './messages.js';
import {
  BecakDistrict,
  BecakDocumentType,
  BecakEscalationLevel,
  BecakOverdue,
  BecakStatus,
  BecakStep,
  BecakStepDueAt,
} from './search-attributes.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Safety net while waiting for blank stock: re-check even if no `blanksAdded` signal arrives. */
export const BLANK_RECHECK_MS = 30 * 60 * 1000;

const record = proxyLocalActivities<Pick<Activities, 'recordTransition' | 'recordAction'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
/**
 * Side effects the SOP cannot go on without: retried until they succeed. The timeouts are short
 * because they bound how long a task taken by a killed worker waits before it is retried.
 */
const work = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/**
 * The records a staff action produces, as local activities (patch FAST_ACTIONS_PATCH): they run inside
 * the workflow task that applies the action, so its Update answers without an activity-task round
 * trip through the server, yet only once the signature/receipt/print record exists. All are short
 * and idempotent, which a local activity needs (a retry after a lost task runs them again). The
 * PDFs of the signature and the receipt are rendered afterwards by ordinary activities.
 */
const workLocal = proxyLocalActivities<Pick<Activities, 'recordSignature' | 'confirmPrint' | 'recordPrintFailure' | 'recordReceipt'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/**
 * Patch marker: side effects of staff actions as local activities, and applicant messages sent
 * beside the SOP (in order) instead of in line. Histories recorded before it replay the old path.
 */
export const FAST_ACTIONS_PATCH = 'fast-actions-v2';
/**
 * Patch marker of issue #13: failed deliveries and pickup at the office, a courier notice that
 * completes only once the group message is sent (or the operator told the couriers another way),
 * and identical retried actions answered with the first answer. Older histories replay the old path.
 */
export const EXCEPTIONS_PATCH = 'exceptions-v3';
/**
 * Patch marker of issue #17 (cost per case): search attributes are upserted only when a value
 * changed, and then only the changed ones. Asked for (so recorded) only at the first transition
 * that would upsert something unchanged: older histories replay the full upserts.
 */
export const LEAN_UPSERTS_PATCH = 'lean-upserts-v4';
/**
 * Patch marker of issue #17 (fewer Temporal actions and less workflow CPU per case). When recorded
 * it stands for every older patch too: the older markers are no longer asked for (each patch marker
 * costs a marker and a `TemporalChangeVersion` upsert, two actions). Under it: the records of one
 * staff action and its transition go to the read model in ONE local activity (`recordAction`); the
 * ARCHIVED transition is recorded by the archive activity itself (`archiveAndRecord`); search
 * attributes are compared with the values the workflow was started with, and only changed ones are
 * upserted; the SLA timer is a plain cancellable timer per escalation level instead of a
 * `condition(fn, timeout)`. Histories recorded before it replay their own patches.
 */
export const ONE_RECORD_PER_ACTION_PATCH = 'one-record-per-action-v5';
/** Courier-group message (patch EXCEPTIONS_PATCH): a few quick tries per round; the workflow waits between rounds. */
const courierMessaging = proxyActivities<Pick<Activities, 'notifyCourierGroup'>>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});
/** Pause between rounds of the courier-group message: doubles from the first to the last. */
export const COURIER_RETRY_FIRST_MS = 30_000;
export const COURIER_RETRY_MAX_MS = 15 * 60_000;
/** How long an identical action counts as a retry of the last one applied. */
export const RETRY_WINDOW_MS = 15 * 60_000;
/** Messages: a few tries, then the SOP goes on (the outbox row shows FAILED). */
const messaging = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 5 },
});

type ActionKind =
  | 'verifyDocuments'
  | 'verifyPrint'
  | 'approve'
  | 'confirmPrint'
  | 'pickup'
  | 'handover'
  | 'cancel'
  | 'applicantCancel'
  | 'resubmit'
  | 'courierNotifiedManually'
  | 'deliveryFailed'
  | 'officeHandover'
  | 'requestOfficePickup';

const RULE_OF: Readonly<Record<ActionKind, ActionName | null>> = {
  verifyDocuments: 'verify-documents',
  verifyPrint: 'verify-print',
  approve: 'approve',
  confirmPrint: 'confirm-print',
  pickup: 'pickup',
  handover: 'handover',
  cancel: 'cancel',
  applicantCancel: null,
  resubmit: null,
  courierNotifiedManually: 'courier-notified-manually',
  deliveryFailed: 'delivery-failed',
  officeHandover: 'office-handover',
  requestOfficePickup: null,
};
/** Actions that exist only from patch EXCEPTIONS_PATCH on. */
const V3_KINDS: readonly ActionKind[] = ['courierNotifiedManually', 'deliveryFailed', 'officeHandover', 'requestOfficePickup'];

interface ActionArgs {
  inputId: string;
  actor?: Actor;
  decision?: 'approve' | 'reject';
  result?: 'ok' | 'failed';
  relationship?: 'SELF' | 'FAMILY' | 'OTHER';
  oldCardCollected?: boolean | null;
  reason?: string;
  digest?: string;
}

interface Pending {
  kind: ActionKind;
  args: ActionArgs;
  outcome?: { result: ActionResult } | { error: ApplicationFailure };
}

/** The records a staff action produces besides its transition (patch ONE_RECORD_PER_ACTION_PATCH). */
type ActionRecords = Omit<Parameters<Activities['recordAction']>[0], 'transition'>;

interface RunOptions {
  /** Count the SLA from this instant instead of the start (a delivery retry: the next office day). */
  from?: number;
  /** No SLA timer (the card waits at the office for the applicant). */
  untimed?: boolean;
}

interface Run {
  seq: number;
  key: StepKey;
  role: Role | null;
  standard: number | null;
  startedAt: number;
  /** The instant the SLA counts from: the start, or for a delivery retry the next office day. */
  base: number;
  dueAt: number | null;
}

const CLOSED_MESSAGE: Partial<Record<CaseStatus, string>> = {
  COMPLETED: 'Permohonan sudah selesai; tidak ada tindakan lagi.',
  REJECTED: 'Permohonan sudah ditutup (ditolak); tidak ada tindakan lagi.',
  CANCELLED: 'Permohonan sudah dibatalkan; tidak ada tindakan lagi.',
};

function rejected(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ACTION_REJECTED, message, nonRetryable: true });
}

export async function caseWorkflow(input: CaseWorkflowInput): Promise<ActionResult> {
  const { registrationNumber: reg, policy } = input;
  // Asked first: a case started under it records no older marker (it implies them all).
  const v5 = patched(ONE_RECORD_PER_ACTION_PATCH);
  const fast = v5 || patched(FAST_ACTIONS_PATCH);
  const v3 = v5 || patched(EXCEPTIONS_PATCH);
  const maxDeliveryAttempts = policy.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS;
  const side = fast ? workLocal : work;
  const clock = createSlaClock(policy.slaClock, { holidays: policy.holidays });

  // ── state ────────────────────────────────────────────────────────────────────────────
  let seq = 0;
  let status: CaseStatus = 'IN_PROGRESS';
  let currentStep: StepKey = 'SUBMISSION';
  let waitingFor: WaitingFor = null;
  let run: Run | null = null;
  let overdue = false;
  let escalationLevel = 0;
  let rejection: { step: StepKey; inputId: string; at: number } | null = null;
  let resubmissionDueAt: number | null = null;
  let printAttempts = 0;
  let pickedUp = false;
  let receiptNumber: string | null = null;
  let closedAt: number | null = null;
  let blanksAdded = false;
  let deliveryAttempts = 0;
  let nextDeliveryDueAt: number | null = null;
  let courierMessageSent = false;
  /** The last action applied (patch EXCEPTIONS_PATCH): an identical retry gets its answer. */
  let lastApplied: { kind: ActionKind; digest: string; at: number; result: ActionResult } | null = null;
  const steps: StepState[] = STEP_KEYS.map((key) => ({ key, state: 'pending', overdue: false, escalations: [] }));
  const stepState = (key: StepKey) => steps.find((s) => s.key === key)!;
  const queue: Pending[] = [];
  /** Every inputId ever received: a redelivered action changes nothing twice. */
  const handled = new Map<string, Pending>();

  const result = (): ActionResult => ({ registrationNumber: reg, status, currentStep });
  const state = (): CaseState => ({
    registrationNumber: reg,
    documentType: input.documentType,
    reason: input.reason,
    district: input.district,
    status,
    currentStep,
    seq,
    waitingFor,
    steps: steps.map((s) => ({ ...s, escalations: s.escalations.map((e) => ({ ...e })) })),
    escalationLevel,
    ...(rejection ? { rejection: { ...rejection } } : {}),
    ...(resubmissionDueAt !== null ? { resubmissionDueAt } : {}),
    printAttempts,
    pickedUp,
    ...(receiptNumber ? { receiptNumber } : {}),
    ...(v3 ? { deliveryAttempts, atOffice: waitingFor === 'OFFICE_PICKUP' } : {}),
    ...(v3 && nextDeliveryDueAt !== null ? { nextDeliveryDueAt } : {}),
  });

  // ── Web UI: search attributes and live details ──────────────────────────────────────
  /** The values last upserted (patch LEAN_UPSERTS_PATCH), by key name; compared as strings. */
  const published = new Map<string, string>();
  if (v5) {
    // The values the case was started with (caseWorkflowStartOptions) count as published already.
    const started = workflowInfo().typedSearchAttributes;
    for (const key of [BecakStep, BecakStatus, BecakOverdue, BecakEscalationLevel, BecakDocumentType, BecakDistrict, BecakStepDueAt] as const) {
      const value = started.get(key as never) as unknown;
      if (value !== undefined) published.set(key.name, JSON.stringify(value));
    }
  }
  function publish(): void {
    const attrs = [
      { key: BecakStep, value: currentStep },
      { key: BecakStatus, value: status },
      { key: BecakOverdue, value: overdue },
      { key: BecakEscalationLevel, value: escalationLevel },
      { key: BecakDocumentType, value: input.documentType },
      { key: BecakDistrict, value: input.district },
      { key: BecakStepDueAt, value: run?.dueAt ? new Date(run.dueAt) : null },
    ] as const;
    const changed = attrs.filter((a) => published.get(a.key.name) !== JSON.stringify(a.value));
    for (const a of changed) published.set(a.key.name, JSON.stringify(a.value));
    // patched() only where the lean path differs, so a case whose every upsert changes everything records no marker.
    if (!v5 && (changed.length === attrs.length || !patched(LEAN_UPSERTS_PATCH))) upsertSearchAttributes([...attrs]);
    else if (changed.length) upsertSearchAttributes([...changed]);
    const step = sopStep(currentStep);
    const lines = [
      `**Langkah ${step.number}: ${step.title}**`,
      '',
      // Details are live metadata (a query), not history: their wording can change without a patch.
      `- Status: ${CASE_STATUS_LABELS[status]}`,
      `- Penanggung jawab: ${step.responsibleRole ? ROLE_LABELS[step.responsibleRole] : '-'}`,
      `- Jatuh tempo: ${run?.dueAt ? indonesianDateTime(run.dueAt) : '-'}`,
      `- Terlambat: ${overdue ? 'ya' : 'tidak'}`,
      `- Eskalasi: ${escalationLevel ? `level ${escalationLevel} (${ROLE_LABELS[escalationRole(step.responsibleRole ?? 'kadis', escalationLevel) ?? 'kadis']})` : '-'}`,
      `- Keterangan: ${waitingFor ? WAITING_FOR_LABELS[waitingFor] : '-'}`,
      `- Percobaan cetak: ${printAttempts}`,
      ...(v3 ? [`- Pengantaran gagal: ${deliveryAttempts} dari ${maxDeliveryAttempts}`] : []),
    ];
    setCurrentDetails(lines.join('\n'));
  }

  // ── transitions (read model) ────────────────────────────────────────────────────────
  function snapshot(): TransitionRecord['snapshot'] {
    return {
      status,
      currentStep,
      stepStartedAt: run?.startedAt ?? null,
      stepDueAt: run?.dueAt ?? null,
      overdue,
      escalationLevel,
      waitingFor,
      rejection,
      resubmissionDueAt,
      receiptNumber,
      closedAt,
      ...(v3 ? { deliveryAttempts } : {}),
    };
  }

  /** One transition's record: seq moves on and the Web UI is updated; the caller has it recorded. */
  function nextTransition(parts: Omit<TransitionRecord, 'registrationNumber' | 'seq' | 'at' | 'snapshot'>): TransitionRecord {
    seq += 1;
    const rec: TransitionRecord = { registrationNumber: reg, seq, at: Date.now(), snapshot: snapshot(), ...parts };
    publish();
    return rec;
  }

  /**
   * Applies one transition: seq moves on, the Web UI is updated and the read model recorded. With
   * patch ONE_RECORD_PER_ACTION_PATCH the action's own records (`extra`) go in the same local activity.
   */
  async function transition(parts: Omit<TransitionRecord, 'registrationNumber' | 'seq' | 'at' | 'snapshot'>, extra?: ActionRecords): Promise<void> {
    const rec = nextTransition(parts);
    if (v5 && extra) await record.recordAction({ transition: rec, ...extra });
    else await record.recordTransition(rec);
  }

  /** Ends the current step run (overdue and escalation clear with it). */
  function completeRun(outcome: string, actor: Actor | null): TransitionRecord['completedRun'] {
    if (!run) return undefined;
    const now = Date.now();
    const s = stepState(run.key);
    s.state = 'done';
    s.completedAt = now;
    const done = {
      runSeq: run.seq,
      completedAt: now,
      countedMinutes: run.standard === null ? null : clock.minutesBetween(run.startedAt, now),
      outcome,
      actorUsername: actor?.username ?? null,
    };
    run = null;
    overdue = false;
    escalationLevel = 0;
    stopSlaTimer();
    return done;
  }

  /** Makes `key` current: a new run (numbered by the seq of the transition about to happen) with its due time. */
  function startRun(key: StepKey, opts: RunOptions = {}): TransitionRecord['startedRun'] {
    const now = Date.now();
    const step = sopStep(key);
    const standard = policy.standardMinutes[key] ?? null;
    const timed = !opts.untimed && step.responsibleRole !== null && standard !== null && standard > 0;
    const base = opts.from ?? now;
    const dueAt = timed ? clock.addMinutes(base, standard) : null;
    stopSlaTimer();
    run = { seq: seq + 1, key, role: timed ? step.responsibleRole : null, standard: timed ? standard : null, startedAt: now, base, dueAt };
    currentStep = key;
    overdue = false;
    escalationLevel = 0;
    const s = stepState(key);
    s.state = 'current';
    s.startedAt = now;
    delete s.completedAt;
    if (dueAt !== null) s.dueAt = dueAt;
    else delete s.dueAt;
    s.overdue = false;
    s.escalations = [];
    // Steps after this one start over (after a resubmission the review is repeated).
    for (const later of steps.slice(STEP_KEYS.indexOf(key) + 1)) {
      later.state = 'pending';
      delete later.startedAt;
      delete later.completedAt;
      delete later.dueAt;
      later.overdue = false;
      later.escalations = [];
    }
    return { runSeq: run.seq, stepKey: key, role: step.responsibleRole, standardMinutes: standard, startedAt: now, dueAt };
  }

  /** Starts a step run and its SLA timer within one transition. */
  async function enter(key: StepKey, parts: Omit<TransitionRecord, 'registrationNumber' | 'seq' | 'at' | 'snapshot' | 'startedRun'>, opts: RunOptions = {}, extra?: ActionRecords): Promise<void> {
    const startedRun = startRun(key, opts);
    await transition({ ...parts, startedRun }, extra);
    if (run?.dueAt != null) void watchSla(run);
  }

  // ── per-step timers and escalation ──────────────────────────────────────────────────
  /** The current run's SLA timer (patch ONE_RECORD_PER_ACTION_PATCH): cancelled when the run ends. */
  let slaTimer: CancellationScope | null = null;
  /** A print attempt that records its own transition is running (patch ONE_RECORD_PER_ACTION_PATCH). */
  let printing = false;
  function stopSlaTimer(): void {
    slaTimer?.cancel();
    slaTimer = null;
  }
  /** Waits until `ms` have passed; false when the run's timer was cancelled first (the run ended). */
  async function slaSleep(ms: number): Promise<boolean> {
    const scope = new CancellationScope();
    slaTimer = scope;
    try {
      await scope.run(() => sleep(ms));
      return true;
    } catch (e) {
      if (isCancellation(e)) return false;
      throw e;
    } finally {
      if (slaTimer === scope) slaTimer = null;
    }
  }

  async function watchSla(r: Run): Promise<void> {
    if (r.role === null || r.standard === null) return;
    for (let level = 1; ; level++) {
      // (The run may have ended while the last escalation was being recorded: no timer for a past run.)
      if (v5 && run?.seq !== r.seq) return;
      const role = escalationRole(r.role, level);
      if (!role) return; // past the top of the ladder
      const at = clock.addMinutes(r.base, level * r.standard);
      if (v5) {
        // A plain timer: nothing is re-evaluated on every activation, the run's end cancels it.
        if (!(await slaSleep(Math.max(at - Date.now(), 1))) || run?.seq !== r.seq) return;
      } else {
        const moved = await condition(() => run?.seq !== r.seq, Math.max(at - Date.now(), 1));
        if (moved || run?.seq !== r.seq) return;
      }
      // A print and its transition in flight hold the next seq: the escalation is recorded after it.
      if (v5 && printing) {
        await condition(() => !printing);
        if (run?.seq !== r.seq) return;
      }
      overdue = true;
      escalationLevel = level;
      const s = stepState(r.key);
      s.overdue = true;
      const now = Date.now();
      s.escalations.push({ level, role, at: now });
      await transition({
        ...(level === 1 ? { overdueRun: { runSeq: r.seq } } : {}),
        escalation: { stepKey: r.key, stepSeq: r.seq, level, role, at: now },
        events: [{ type: 'ESCALATED', stepKey: r.key, data: { level, role, dueAt: r.dueAt } }],
      });
      const told = quietly(messaging.notifyEscalation({ registrationNumber: reg, stepKey: r.key, stepSeq: r.seq, level, role, dueAt: r.dueAt! }));
      // After the patch a gateway that is down does not hold the ladder back (the outbox retries the message).
      if (!v3) await told;
    }
  }

  async function quietly(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      log.warn('notification failed; the SOP goes on', { registrationNumber: reg, error: (e as Error).message });
    }
  }
  /**
   * Applicant messages: in line before the patch; after it, chained beside the SOP (so they keep
   * their order but a slow WhatsApp gateway never delays a staff action) and awaited before the end.
   */
  let applicantMessages: Promise<void> = Promise.resolve();
  const notifyApplicant = (event: ApplicantEvent, inputId?: string): Promise<void> => {
    const args = { registrationNumber: reg, event, key: `applicant:${reg}:${seq}:${event}`, ...(inputId ? { inputId } : {}) };
    if (!fast) return quietly(messaging.notifyApplicant(args));
    applicantMessages = applicantMessages.then(() => quietly(messaging.notifyApplicant(args)));
    return Promise.resolve();
  };

  // ── actions: validation, queue, handlers ────────────────────────────────────────────
  function validate(kind: ActionKind, args: ActionArgs): void {
    const ruleName = RULE_OF[kind];
    if (!v3 && V3_KINDS.includes(kind)) throw rejected('Tindakan ini belum tersedia untuk permohonan ini.');
    if (ruleName) {
      const rule = ACTION_RULES[ruleName];
      if (!args.actor || !rule.roles.includes(args.actor.role)) {
        throw ApplicationFailure.create({
          type: ACTION_FORBIDDEN,
          message: `Peran ${args.actor ? ROLE_LABELS[args.actor.role] ?? args.actor.role : '(tidak dikenal)'} tidak berwenang melakukan "${rule.title}".`,
          nonRetryable: true,
        });
      }
    }
    const closed = CLOSED_MESSAGE[status];
    if (closed) throw rejected(closed);
    const here = sopStep(currentStep);
    switch (kind) {
      case 'verifyDocuments':
      case 'verifyPrint':
      case 'approve': {
        const rule = ACTION_RULES[ruleName!];
        if (status === 'AWAITING_RESUBMISSION') throw rejected('Permohonan sedang menunggu perbaikan berkas dari pemohon.');
        if (!rule.steps.includes(currentStep) || waitingFor !== 'STAFF_ACTION') {
          throw rejected(`"${rule.title}" hanya dapat dilakukan pada langkah "${sopStep(rule.steps[0]).title}"; permohonan sedang pada langkah ${here.number} "${here.title}".`);
        }
        if (args.decision !== 'approve' && args.decision !== 'reject') throw rejected('Keputusan harus "approve" atau "reject".');
        return;
      }
      case 'confirmPrint':
        if (currentStep !== 'PRINTING') throw rejected(`Konfirmasi cetak hanya dapat dilakukan pada langkah pencetakan; permohonan sedang pada langkah ${here.number} "${here.title}".`);
        if (waitingFor === 'BLANK_STOCK') throw rejected(`Belum ada hasil cetak untuk dikonfirmasi: stok blangko ${DOCUMENT_TYPE_LABELS[input.documentType]} habis.`);
        if (waitingFor !== 'PRINT_CONFIRMATION') throw rejected('Dokumen sedang dikirim ke printer; tunggu sampai pencetakan selesai.');
        if (args.result !== 'ok' && args.result !== 'failed') throw rejected('Hasil cetak harus "ok" atau "failed".');
        return;
      case 'courierNotifiedManually':
        if (currentStep !== 'COURIER_NOTICE') {
          throw rejected(`Pemberitahuan manual ke ekspedisi hanya dapat dicatat pada langkah pemberitahuan ekspedisi; permohonan sedang pada langkah ${here.number} "${here.title}".`);
        }
        return;
      case 'officeHandover':
        if (currentStep !== 'HANDOVER' || waitingFor !== 'OFFICE_PICKUP') {
          throw rejected('Penyerahan di kantor hanya dapat dicatat setelah dokumen kembali ke kantor untuk diambil pemohon.');
        }
        if (!(RELATIONSHIPS as readonly string[]).includes(args.relationship ?? '')) throw rejected('Hubungan penerima harus SELF, FAMILY atau OTHER.');
        if ((input.reason === 'DAMAGED' || input.reason === 'DATA_CHANGE') && typeof args.oldCardCollected !== 'boolean') {
          throw rejected('Untuk permohonan karena kartu rusak atau perubahan data, isian "kartu lama ditarik" wajib diisi (ya/tidak).');
        }
        return;
      case 'requestOfficePickup':
        if (currentStep === 'HANDOVER' && waitingFor === 'OFFICE_PICKUP') throw rejected('Dokumen sudah menunggu diambil di kantor.');
        if (currentStep !== 'HANDOVER') throw rejected('Pengambilan di kantor dapat diminta setelah dokumen dicetak dan diserahkan ke ekspedisi.');
        return;
      case 'deliveryFailed':
      case 'pickup':
      case 'handover':
        if (currentStep === 'HANDOVER' && waitingFor === 'OFFICE_PICKUP') {
          throw rejected('Dokumen sudah kembali ke kantor; penyerahan dicatat oleh operator di kantor.');
        }
        if (currentStep !== 'HANDOVER' || (waitingFor !== 'COURIER' && waitingFor !== 'DELIVERY_RETRY')) {
          throw rejected(`Tindakan ekspedisi hanya dapat dilakukan pada langkah penyerahan; permohonan sedang pada langkah ${here.number} "${here.title}".`);
        }
        if (kind === 'pickup' && pickedUp) throw rejected('Pengambilan dokumen oleh ekspedisi sudah dicatat.');
        if (kind === 'deliveryFailed' && !(DELIVERY_FAILURE_REASONS as readonly string[]).includes(args.reason ?? '')) {
          throw rejected('Alasan gagal antar harus NOT_HOME, WRONG_ADDRESS, REFUSED, UNREACHABLE atau OTHER.');
        }
        if (kind === 'handover') {
          if (!(RELATIONSHIPS as readonly string[]).includes(args.relationship ?? '')) throw rejected('Hubungan penerima harus SELF, FAMILY atau OTHER.');
          if ((input.reason === 'DAMAGED' || input.reason === 'DATA_CHANGE') && typeof args.oldCardCollected !== 'boolean') {
            throw rejected('Untuk permohonan karena kartu rusak atau perubahan data, isian "kartu lama ditarik" wajib diisi (ya/tidak).');
          }
        }
        return;
      case 'cancel':
      case 'applicantCancel':
        if (status === 'AWAITING_RESUBMISSION') return;
        if (!CANCELLABLE_STEPS.includes(currentStep)) throw rejected('Permohonan tidak dapat dibatalkan setelah masuk tahap pencetakan.');
        return;
      case 'resubmit':
        if (status !== 'AWAITING_RESUBMISSION') throw rejected('Permohonan tidak sedang menunggu perbaikan berkas.');
        return;
    }
  }

  function enqueue(kind: ActionKind, args: ActionArgs): Pending {
    const p: Pending = { kind, args };
    handled.set(args.inputId, p);
    queue.push(p);
    return p;
  }
  const resolve = (p: Pending) => {
    p.outcome = { result: result() };
    if (v3) lastApplied = p.args.digest ? { kind: p.kind, digest: p.args.digest, at: Date.now(), result: result() } : null;
  };
  /** An identical action (same actor, action and body) arriving right after it was applied: a client retry. */
  const isRetryOfLast = (kind: ActionKind, args: ActionArgs): boolean =>
    v3 && !!args.digest && lastApplied !== null && lastApplied.kind === kind && lastApplied.digest === args.digest && Date.now() - lastApplied.at < RETRY_WINDOW_MS;

  /** The first valid queued action of the given kinds, without waiting (invalid ones get their refusal). */
  function takeQueued(kinds: readonly ActionKind[]): Pending | null {
    while (queue.length) {
      const p = queue.shift()!;
      try {
        validate(p.kind, p.args);
        if (!kinds.includes(p.kind)) throw rejected('Tindakan ini tidak dapat diproses pada keadaan permohonan saat ini.');
        return p;
      } catch (e) {
        p.outcome = { error: e as ApplicationFailure };
      }
    }
    return null;
  }

  /** The next valid action of the given kinds (re-validated: the state may have moved since it was accepted); null on timeout. */
  async function nextAction(kinds: readonly ActionKind[], timeoutMs?: number): Promise<Pending | null> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      if (deadline === undefined) await condition(() => queue.length > 0);
      else if (!(await condition(() => queue.length > 0, Math.max(deadline - Date.now(), 1)))) return null;
      const p = queue.shift()!;
      try {
        validate(p.kind, p.args);
        if (!kinds.includes(p.kind)) throw rejected('Tindakan ini tidak dapat diproses pada keadaan permohonan saat ini.');
        return p;
      } catch (e) {
        p.outcome = { error: e as ApplicationFailure };
      }
    }
  }

  const DESCRIPTIONS: Record<ActionKind, string> = {
    verifyDocuments: 'Langkah 2 (operator): memeriksa berkas persyaratan, setujui atau tolak; penolakan wajib disertai alasan.',
    verifyPrint: 'Langkah 3 (subkoordinator): verifikasi cetak di SIAK, setujui atau tolak.',
    approve: 'Langkah 4 (kabid): persetujuan dengan tanda tangan elektronik (TTE), setujui atau tolak.',
    confirmPrint: 'Langkah 5 (operator): hasil cetak fisik, berhasil atau gagal (cetak gagal mencatat blangko rusak lalu mencetak ulang).',
    pickup: 'Langkah 7 (ekspedisi): kurir mengambil kartu di kantor (boleh dilewati).',
    handover: 'Langkah 7 (ekspedisi): kartu diserahkan kepada penerima; tanda terima terbit dan permohonan selesai.',
    cancel: 'Pembatalan oleh kadis atau admin sebelum pencetakan (alasan dicatat).',
    applicantCancel: 'Pembatalan oleh pemohon (dibuktikan dengan NIK di API) sebelum pencetakan.',
    resubmit: 'Pemohon mengirim berkas perbaikan: permohonan kembali ke langkah 2.',
    courierNotifiedManually: 'Langkah 6 (operator): kurir sudah diberi tahu dengan cara lain (catatan dicatat); pemberitahuan kurir selesai.',
    deliveryFailed: 'Langkah 7 (ekspedisi): pengantaran gagal (alasan dicatat); dicoba lagi pada hari kerja berikutnya, atau kartu kembali ke kantor setelah batas percobaan.',
    officeHandover: 'Langkah 7 (operator): pemohon mengambil kartu di kantor; tanda terima terbit dan permohonan selesai.',
    requestOfficePickup: 'Pemohon (dibuktikan dengan NIK di API) memilih mengambil kartu di kantor, bukan diantar.',
  };

  function register(kind: ActionKind, update: { name: string }, signal: { name: string } | null): void {
    setHandler(
      update as never,
      (async (args: ActionArgs): Promise<ActionResult> => {
        const seen = handled.get(args.inputId);
        if (!seen && isRetryOfLast(kind, args)) {
          const first = lastApplied!.result;
          handled.set(args.inputId, { kind, args, outcome: { result: first } });
          return first;
        }
        const p = seen ?? enqueue(kind, args);
        await condition(() => p.outcome !== undefined);
        const o = p.outcome!;
        if ('error' in o) throw o.error;
        return seen ? result() : o.result;
      }) as never,
      {
        validator: ((args: ActionArgs) => {
          if (!args || typeof args.inputId !== 'string' || !args.inputId) throw rejected('Permintaan tidak lengkap (inputId).');
          if (handled.has(args.inputId)) return; // a redelivery: answered with the current state
          if (isRetryOfLast(kind, args)) return; // a client retry of the action just applied: answered with its result
          validate(kind, args);
        }) as never,
        description: DESCRIPTIONS[kind],
      } as never,
    );
    if (signal) {
      setHandler(
        signal as never,
        ((args: ActionArgs) => {
          if (!args || typeof args.inputId !== 'string' || handled.has(args.inputId)) return;
          try {
            validate(kind, args);
          } catch (e) {
            log.warn('signal ignored', { registrationNumber: reg, action: kind, reason: (e as Error).message });
            return;
          }
          enqueue(kind, args);
        }) as never,
        { description: `${DESCRIPTIONS[kind]} Kembaran Update tanpa jawaban (sinyal yang tidak sah diabaikan).` } as never,
      );
    }
  }
  register('verifyDocuments', verifyDocumentsUpdate, verifyDocumentsSignal);
  register('verifyPrint', verifyPrintUpdate, verifyPrintSignal);
  register('approve', approveUpdate, approveSignal);
  register('confirmPrint', confirmPrintUpdate, confirmPrintSignal);
  register('pickup', pickupUpdate, pickupSignal);
  register('handover', handoverUpdate, handoverSignal);
  register('cancel', cancelUpdate, cancelSignal);
  register('applicantCancel', applicantCancelUpdate, null);
  register('resubmit', resubmitUpdate, resubmitSignal);
  register('courierNotifiedManually', courierNotifiedManuallyUpdate, courierNotifiedManuallySignal);
  register('deliveryFailed', deliveryFailedUpdate, deliveryFailedSignal);
  register('officeHandover', officeHandoverUpdate, officeHandoverSignal);
  register('requestOfficePickup', requestOfficePickupUpdate, requestOfficePickupSignal);
  setHandler(
    courierMessageSentSignal,
    () => {
      courierMessageSent = true;
    },
    { description: 'Pesan ke grup kurir untuk permohonan ini sudah terkirim (kirim ulang): langkah 6 selesai.' },
  );
  setHandler(
    blanksAddedSignal,
    ({ documentType }) => {
      if (documentType === input.documentType) blanksAdded = true;
    },
    { description: 'Stok blangko jenis dokumen ini ditambah: permohonan yang menunggu di tahap cetak langsung mencoba lagi.' },
  );
  setHandler(caseStateQuery, state, { description: 'Keadaan permohonan: status, langkah saat ini, waktu tiap langkah, eskalasi, alasan menunggu (tanpa data pribadi).' });

  // ── the SOP ─────────────────────────────────────────────────────────────────────────
  const actorOf = (p: Pending) => ({ actorUsername: p.args.actor?.username ?? null, actorRole: p.args.actor?.role ?? 'applicant' });

  async function cancelCase(p: Pending): Promise<void> {
    const done = completeRun('CANCELLED', p.args.actor ?? null);
    status = 'CANCELLED';
    waitingFor = null;
    resubmissionDueAt = null;
    closedAt = Date.now();
    await transition({
      ...(done ? { completedRun: done } : {}),
      events: [{ type: 'CANCELLED', stepKey: currentStep, ...actorOf(p), data: { inputId: p.args.inputId, by: p.kind === 'applicantCancel' ? 'applicant' : 'staff' } }],
    });
    resolve(p);
    await notifyApplicant('CANCELLED', p.args.inputId);
  }

  async function finish(): Promise<ActionResult> {
    // Updates still running get their answers, and queued applicant messages go out, before the workflow closes.
    await applicantMessages;
    await condition(allHandlersFinished);
    return result();
  }

  // Step 1 is complete at start; step 2 becomes current.
  const s1 = stepState('SUBMISSION');
  s1.state = 'done';
  s1.startedAt = input.submittedAt;
  s1.completedAt = input.submittedAt;
  waitingFor = 'STAFF_ACTION';
  await enter('DOCUMENT_VERIFICATION', {
    events: [
      { type: 'SUBMITTED', stepKey: 'SUBMISSION', actorRole: 'applicant', data: { documentType: input.documentType, reason: input.reason, district: input.district, submittedAt: input.submittedAt } },
      { type: 'STEP_STARTED', stepKey: 'DOCUMENT_VERIFICATION' },
    ],
  });
  await notifyApplicant('RECEIVED');

  // Steps 2–4: decisions, rejection with resubmission, cancellation.
  for (;;) {
    const p = (await nextAction(['verifyDocuments', 'verifyPrint', 'approve', 'cancel', 'applicantCancel']))!;
    if (p.kind === 'cancel' || p.kind === 'applicantCancel') {
      await cancelCase(p);
      return finish();
    }
    const key: StepKey = currentStep as StepKey;
    const actor = p.args.actor!;
    if (p.args.decision === 'approve') {
      let extra: ActionRecords | undefined;
      if (key === 'APPROVAL') {
        const sign = { registrationNumber: reg, documentType: input.documentType, signerUsername: actor.username, signerRole: actor.role, signedAt: Date.now() };
        if (v5) extra = { signature: sign };
        else if (fast) await workLocal.recordSignature(sign);
        else await work.signApproval(sign);
      }
      const next: StepKey = key === 'DOCUMENT_VERIFICATION' ? 'PRINT_VERIFICATION' : key === 'PRINT_VERIFICATION' ? 'APPROVAL' : 'PRINTING';
      const completedRun = completeRun('APPROVED', actor);
      waitingFor = next === 'PRINTING' ? null : 'STAFF_ACTION';
      await enter(next, {
        completedRun,
        events: [
          { type: key === 'APPROVAL' ? 'SIGNED' : 'APPROVED', stepKey: key, actorUsername: actor.username, actorRole: actor.role, data: { inputId: p.args.inputId } },
          { type: 'STEP_STARTED', stepKey: next },
        ],
      }, {}, extra);
      resolve(p);
      if (next === 'PRINTING') {
        if (fast) await work.renderApprovalDocument({ registrationNumber: reg });
        break;
      }
      continue;
    }

    // Rejected with a reason: the applicant may resubmit within resubmissionDays.
    const now = Date.now();
    const completedRun = completeRun('REJECTED', actor);
    stepState(key).state = 'current';
    status = 'AWAITING_RESUBMISSION';
    waitingFor = 'RESUBMISSION';
    rejection = { step: key, inputId: p.args.inputId, at: now };
    resubmissionDueAt = now + Math.round(policy.resubmissionDays * DAY_MS);
    await transition({
      completedRun,
      events: [{ type: 'REJECTED', stepKey: key, actorUsername: actor.username, actorRole: actor.role, data: { inputId: p.args.inputId, resubmissionDueAt } }],
    });
    resolve(p);
    await notifyApplicant('REJECTED', p.args.inputId);

    const r = await nextAction(['resubmit', 'cancel', 'applicantCancel'], resubmissionDueAt - Date.now());
    if (!r) {
      status = 'REJECTED';
      waitingFor = null;
      closedAt = Date.now();
      await transition({ events: [{ type: 'RESUBMISSION_EXPIRED', stepKey: key, data: { resubmissionDueAt } }] });
      await notifyApplicant('EXPIRED');
      return finish();
    }
    if (r.kind !== 'resubmit') {
      await cancelCase(r);
      return finish();
    }
    status = 'IN_PROGRESS';
    waitingFor = 'STAFF_ACTION';
    rejection = null;
    resubmissionDueAt = null;
    await enter('DOCUMENT_VERIFICATION', {
      events: [
        { type: 'RESUBMITTED', stepKey: 'DOCUMENT_VERIFICATION', actorRole: 'applicant', data: { inputId: r.args.inputId } },
        { type: 'STEP_STARTED', stepKey: 'DOCUMENT_VERIFICATION' },
      ],
    });
    resolve(r);
    await notifyApplicant('RESUBMISSION_RECEIVED');
  }

  // Step 5: print (one blank per attempt), wait for the operator's confirmation; reprint on failure.
  for (;;) {
    const attempt = printAttempts + 1;
    blanksAdded = false; // set before printing so a restock during the attempt is not missed
    const printArgs = { registrationNumber: reg, documentType: input.documentType, attempt, at: Date.now() };
    if (v5) {
      // The print and its transition in one activity: both possible records are made now (same seq),
      // the activity applies the one that happened, and the state follows the answer below.
      const before: WaitingFor = waitingFor;
      const at = printArgs.at;
      waitingFor = 'PRINT_CONFIRMATION';
      const printedRec: TransitionRecord = { registrationNumber: reg, seq: seq + 1, at, snapshot: snapshot(), events: [{ type: 'PRINTED', stepKey: 'PRINTING', data: { attempt } }] };
      waitingFor = 'BLANK_STOCK';
      const noStockRec: TransitionRecord | null =
        before === 'BLANK_STOCK' ? null : { registrationNumber: reg, seq: seq + 1, at, snapshot: snapshot(), events: [{ type: 'WAITING_FOR_BLANKS', stepKey: 'PRINTING', data: { documentType: input.documentType, attempt } }] };
      waitingFor = before;
      printing = true;
      let outcome: Awaited<ReturnType<Activities['printCardAndRecord']>>;
      try {
        outcome = await work.printCardAndRecord({ ...printArgs, printed: printedRec, noStock: noStockRec });
      } finally {
        printing = false;
      }
      if (outcome.status === 'NO_STOCK') {
        if (noStockRec) {
          seq += 1;
          waitingFor = 'BLANK_STOCK';
          publish();
        }
        await condition(() => blanksAdded, BLANK_RECHECK_MS);
        continue;
      }
      seq += 1;
      printAttempts = attempt;
      waitingFor = 'PRINT_CONFIRMATION';
      publish();
    } else {
      const printed = await work.printCard(printArgs);
      if (printed.status === 'NO_STOCK') {
        if (waitingFor !== 'BLANK_STOCK') {
          waitingFor = 'BLANK_STOCK';
          await transition({ events: [{ type: 'WAITING_FOR_BLANKS', stepKey: 'PRINTING', data: { documentType: input.documentType, attempt } }] });
        }
        await condition(() => blanksAdded, BLANK_RECHECK_MS);
        continue;
      }
      printAttempts = attempt;
      waitingFor = 'PRINT_CONFIRMATION';
      await transition({ events: [{ type: 'PRINTED', stepKey: 'PRINTING', data: { attempt } }] });
    }
    const p = (await nextAction(['confirmPrint']))!;
    const actor = p.args.actor!;
    if (p.args.result === 'ok') {
      const confirmed = { registrationNumber: reg, attempt, at: Date.now() };
      if (!v5) await side.confirmPrint(confirmed);
      const completedRun = completeRun('PRINTED', actor);
      waitingFor = v3 ? 'COURIER_MESSAGE' : null;
      await enter('COURIER_NOTICE', {
        completedRun,
        events: [
          { type: 'PRINT_CONFIRMED', stepKey: 'PRINTING', actorUsername: actor.username, actorRole: actor.role, data: { attempt, inputId: p.args.inputId } },
          { type: 'STEP_STARTED', stepKey: 'COURIER_NOTICE' },
        ],
      }, {}, { printConfirmed: confirmed });
      resolve(p);
      break;
    }
    const failed = { registrationNumber: reg, documentType: input.documentType, attempt, inputId: p.args.inputId, actorUsername: actor.username, at: Date.now() };
    if (!v5) await side.recordPrintFailure(failed);
    waitingFor = null;
    await transition({ events: [{ type: 'PRINT_FAILED', stepKey: 'PRINTING', actorUsername: actor.username, actorRole: actor.role, data: { attempt, inputId: p.args.inputId } }] }, { printFailed: failed });
    resolve(p);
  }

  // Step 6: the courier group and the applicant are told (on the operator's behalf).
  if (!v3) {
    await quietly(messaging.notifyCourierGroup({ registrationNumber: reg, documentType: input.documentType, district: input.district, key: `courier:${reg}:${seq}` }));
    await notifyApplicant('PRINTED');
    const completedRun = completeRun('NOTIFIED', null);
    waitingFor = 'COURIER';
    await enter('HANDOVER', {
      completedRun,
      events: [
        { type: 'COURIER_NOTIFIED', stepKey: 'COURIER_NOTICE', actorRole: 'system', data: { district: input.district } },
        { type: 'STEP_STARTED', stepKey: 'HANDOVER' },
      ],
    });
  } else {
    // The step completes only once the group message is actually sent (retried in rounds, the step
    // running against its standard time and escalating meanwhile), or when the operator records
    // that the couriers were told another way.
    await notifyApplicant('PRINTED');
    const courierArgs = { registrationNumber: reg, documentType: input.documentType, district: input.district, key: `courier:${reg}:${seq}` };
    let manual: Pending | null = null;
    const sending = (async () => {
      let pause = COURIER_RETRY_FIRST_MS;
      for (let round = 1; ; round++) {
        try {
          await courierMessaging.notifyCourierGroup(courierArgs);
          courierMessageSent = true;
          return;
        } catch (e) {
          log.warn('courier-group message not sent; retrying', { registrationNumber: reg, round, error: (e as Error).message });
        }
        if (await condition(() => courierMessageSent || manual !== null, pause)) return;
        pause = Math.min(pause * 2, COURIER_RETRY_MAX_MS);
      }
    })();
    for (;;) {
      await condition(() => courierMessageSent || queue.length > 0);
      if (courierMessageSent) break;
      manual = takeQueued(['courierNotifiedManually']);
      if (manual) break;
    }
    const completedRun = completeRun(manual ? 'NOTIFIED_MANUALLY' : 'NOTIFIED', manual?.args.actor ?? null);
    waitingFor = 'COURIER';
    await enter('HANDOVER', {
      completedRun,
      events: [
        manual
          ? { type: 'COURIER_NOTIFIED_MANUALLY', stepKey: 'COURIER_NOTICE', ...actorOf(manual), data: { inputId: manual.args.inputId, district: input.district } }
          : { type: 'COURIER_NOTIFIED', stepKey: 'COURIER_NOTICE', actorRole: 'system', data: { district: input.district } },
        { type: 'STEP_STARTED', stepKey: 'HANDOVER' },
      ],
    });
    if (manual) resolve(manual);
    void sending;
  }

  // Step 7: optional pickup, then the handover with a receipt; after the patch also failed
  // attempts (retried on the next office day) and the return to the office for pickup there.
  const returnToOffice = async (cause: 'MAX_ATTEMPTS' | 'APPLICANT_REQUEST', p: Pending, extra: TransitionRecord['events']) => {
    const completedRun = completeRun(cause === 'MAX_ATTEMPTS' ? 'DELIVERY_FAILED' : 'RETURNED_TO_OFFICE', p.args.actor ?? null);
    waitingFor = 'OFFICE_PICKUP';
    nextDeliveryDueAt = null;
    await enter(
      'HANDOVER',
      {
        ...(completedRun ? { completedRun } : {}),
        events: [...extra, { type: 'RETURNED_TO_OFFICE', stepKey: 'HANDOVER', actorRole: 'system', data: { cause, deliveryAttempts } }],
      },
      { untimed: true },
    );
    resolve(p);
    await notifyApplicant('OFFICE_PICKUP');
  };
  for (;;) {
    const kinds: ActionKind[] = !v3 ? ['pickup', 'handover'] : (waitingFor as WaitingFor) === 'OFFICE_PICKUP' ? ['officeHandover'] : ['pickup', 'handover', 'deliveryFailed', 'requestOfficePickup'];
    const p = (await nextAction(kinds))!;
    const actor = p.args.actor;
    if (p.kind === 'pickup') {
      pickedUp = true;
      await transition({ events: [{ type: 'PICKED_UP', stepKey: 'HANDOVER', actorUsername: actor!.username, actorRole: actor!.role, data: { inputId: p.args.inputId } }] });
      resolve(p);
      continue;
    }
    if (p.kind === 'requestOfficePickup') {
      await returnToOffice('APPLICANT_REQUEST', p, []);
      continue;
    }
    if (p.kind === 'deliveryFailed') {
      deliveryAttempts += 1;
      const failed = { type: 'DELIVERY_FAILED' as const, stepKey: 'HANDOVER' as const, actorUsername: actor!.username, actorRole: actor!.role, data: { inputId: p.args.inputId, attempt: deliveryAttempts, reason: p.args.reason } };
      if (deliveryAttempts >= maxDeliveryAttempts) {
        await returnToOffice('MAX_ATTEMPTS', p, [failed]);
        continue;
      }
      // The next attempt is due on the next office day: a new run of step 7 whose SLA counts from then.
      const from = policy.slaClock === 'office' ? nextOfficeDayStart(Date.now(), policy.holidays) : Date.now() + DAY_MS;
      const completedRun = completeRun('DELIVERY_FAILED', actor!);
      waitingFor = 'DELIVERY_RETRY';
      pickedUp = false;
      await enter('HANDOVER', { completedRun, events: [failed, { type: 'STEP_STARTED', stepKey: 'HANDOVER', data: { deliveryAttempt: deliveryAttempts + 1 } }] }, { from });
      nextDeliveryDueAt = (run as Run | null)?.dueAt ?? null;
      resolve(p);
      await notifyApplicant('DELIVERY_FAILED', p.args.inputId);
      continue;
    }
    const office = p.kind === 'officeHandover';
    const delivery = { registrationNumber: reg, courierUsername: actor!.username, inputId: p.args.inputId, deliveredAt: Date.now() };
    // After patch ONE_RECORD_PER_ACTION_PATCH the receipt row is written with the transition; its number is derived.
    receiptNumber = v5 ? receiptNumberOf(reg) : (fast ? await workLocal.recordReceipt(delivery) : await work.issueReceipt(delivery)).receiptNumber;
    const completedRun = completeRun('DELIVERED', actor!);
    status = 'COMPLETED';
    waitingFor = null;
    nextDeliveryDueAt = null;
    closedAt = Date.now();
    await enter('DONE', {
      completedRun,
      events: [
        {
          type: office ? 'OFFICE_HANDOVER' : 'DELIVERED',
          stepKey: 'HANDOVER',
          actorUsername: actor!.username,
          actorRole: actor!.role,
          data: { inputId: p.args.inputId, receiptNumber, relationship: p.args.relationship, oldCardCollected: p.args.oldCardCollected ?? null, ...(v3 ? { deliveryAttempts } : {}) },
        },
        { type: 'COMPLETED', stepKey: 'DONE' },
      ],
    }, {}, { receipt: delivery });
    resolve(p);
    break;
  }

  // Step 8: archive (with the receipt PDF) and tell the applicant.
  if (fast) await work.renderReceiptDocument({ registrationNumber: reg });
  if (v5) {
    // The archive activity records the ARCHIVED transition itself, with the manifest's path and hash.
    const completedRun = completeRun('ARCHIVED', null);
    const rec = nextTransition({ completedRun, events: [{ type: 'ARCHIVED', stepKey: 'DONE', actorRole: 'system', data: {} }] });
    await work.archiveAndRecord({ registrationNumber: reg, at: rec.at, transition: rec });
  } else {
    const archive = await work.archiveCase({ registrationNumber: reg, at: Date.now() });
    const completedRun = completeRun('ARCHIVED', null);
    await transition({ completedRun, events: [{ type: 'ARCHIVED', stepKey: 'DONE', actorRole: 'system', data: { manifest: archive.path, sha256: archive.sha256 } }] });
  }
  await notifyApplicant('COMPLETED');
  return finish();
}
