/**
 * Staff and applicant actions → workflow Updates. The full body goes to `action_inputs`; the
 * Update carries only the actor, the input id and non-personal facts. The Update ID (and the
 * input id) derive from the case's transition seq and a hash of the canonical body and actor,
 * so a double click or a client retry is one Update.
 */
import { createHash } from 'node:crypto';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { CaseRow, Database } from '../db/schema.js';
import type { ActionName } from '../domain/sop.js';
import {
  ACTION_FORBIDDEN,
  ACTION_REJECTED,
  applicantCancelUpdate,
  approveUpdate,
  cancelUpdate,
  confirmPrintUpdate,
  courierNotifiedManuallyUpdate,
  deliveryFailedUpdate,
  handoverUpdate,
  officeHandoverUpdate,
  requestOfficePickupUpdate,
  pickupUpdate,
  resubmitUpdate,
  verifyDocumentsUpdate,
  verifyPrintUpdate,
  type ActionResult,
  type Actor,
} from '../workflows/messages.js';
import { saveActionInput } from '../db/repositories/action-inputs.js';
import { findIdempotentAnswer, saveIdempotentAnswer } from '../db/repositories/idempotency.js';
import { caseActionDuration } from './business-metrics.js';
import { ApiError } from './errors.js';
import { canonicalJson } from '../domain/canonical-json.js';


export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A UUID-shaped id derived from a string (stable across retries). */
export function derivedUuid(seed: string): string {
  const h = sha256(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type UpdateName = ActionName | 'applicant-cancel' | 'resubmit' | 'request-office-pickup';

const CLOSED_DETAIL: Record<string, string> = {
  COMPLETED: 'Permohonan sudah selesai; tidak ada tindakan lagi.',
  REJECTED: 'Permohonan sudah ditutup karena ditolak; tidak ada tindakan lagi.',
  CANCELLED: 'Permohonan sudah dibatalkan; tidak ada tindakan lagi.',
};

export interface ExecuteActionOptions {
  db: Kysely<Database>;
  temporal: Client;
  /** The case as the read model has it (status, workflow started, transition seq). */
  caseRow: Pick<CaseRow, 'registration_number' | 'status' | 'workflow_started' | 'state_seq'>;
  action: UpdateName;
  /** Null for the applicant. */
  actor: Actor | null;
  /** Stored in action_inputs (free text, names, file paths). */
  storedBody: Record<string, unknown>;
  /** Hashed for the Update ID (the request as the client sent it). */
  identityBody: unknown;
  /** Facts the workflow needs besides actor and inputId. */
  facts?: Record<string, unknown>;
  /** Runs before the input is stored, with the derived ids (e.g. to store files under stable ids); may extend the stored body. */
  prepare?: (ids: { updateId: string; inputId: string }) => Promise<Record<string, unknown>>;
  /** How long to wait for the workflow's answer before telling the client to retry (503). */
  updateTimeoutMs?: number;
}

const DEFAULT_UPDATE_TIMEOUT_MS = 20_000;

/** gRPC codes worth a retry: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE. */
const TRANSIENT_GRPC_CODES = new Set([1, 4, 8, 10, 14]);
const grpcCode = (e: unknown): number | undefined => {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
};
/**
 * While a workflow task is being retried (its worker was killed, it timed out) the server refuses
 * Updates with FAILED_PRECONDITION; they are accepted again once a worker completes the task.
 */
const isTransientUpdateError = (cause: unknown): boolean => {
  const code = grpcCode(cause);
  if (code === undefined) return false;
  if (TRANSIENT_GRPC_CODES.has(code)) return true;
  return code === 9 && /workflow task in failed state/i.test(String((cause as { message?: unknown }).message));
};
const RETRY_DETAIL = 'Permintaan sedang diproses oleh sistem; kirim ulang beberapa saat lagi untuk melihat hasilnya.';

/** Stores the input, executes the Update, and maps the workflow's refusal to 409/403. */
export async function executeCaseAction(o: ExecuteActionOptions): Promise<ActionResult> {
  const digest = sha256(canonicalJson({ body: o.identityBody, actor: o.actor })).slice(0, 24);
  const answerKey = `${o.caseRow.registration_number}:${o.action}:${digest}`;
  if (CLOSED_DETAIL[o.caseRow.status]) {
    // The action that closed the case, retried by its client: the first answer again.
    const first = await findIdempotentAnswer(o.db, 'case-action', answerKey);
    if (first) return first.response as ActionResult;
    throw new ApiError('conflict', CLOSED_DETAIL[o.caseRow.status]!);
  }
  if (!o.caseRow.workflow_started) {
    throw new ApiError('conflict', 'Permohonan masih disiapkan oleh sistem; coba lagi beberapa saat.', { headers: { 'Retry-After': '5' } });
  }
  const handle = o.temporal.workflow.getHandle(o.caseRow.registration_number);
  // The seq comes from the read model, not a query: one round trip less, and no dependency on a
  // worker being up to answer a query. Identical requests at the same seq share one Update ID.
  const seq = o.caseRow.state_seq;
  const updateId = `${o.action}:${seq}:${digest}`;
  const inputId = derivedUuid(`${o.caseRow.registration_number}:${updateId}`);
  const extra = o.prepare ? await o.prepare({ updateId, inputId }) : {};
  await saveActionInput(o.db, {
    id: inputId,
    registrationNumber: o.caseRow.registration_number,
    action: o.action,
    actorUsername: o.actor?.username ?? null,
    actorRole: o.actor?.role ?? null,
    body: { ...o.storedBody, ...extra },
  });
  // The digest also travels to the workflow: an identical retry after the action was applied (the
  // seq, and so the Update ID, has moved on) is recognised there and gets the first answer.
  const base = o.actor ? { actor: o.actor, inputId, digest } : { inputId };
  const args = { ...base, ...(o.facts ?? {}) };
  let timer: NodeJS.Timeout | undefined;
  // The Update goes on in Temporal after a timeout; a retry of the same request (same Update ID)
  // then gets its answer instead of applying it twice.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError('unavailable', RETRY_DETAIL, { headers: { 'Retry-After': '5' } })),
      o.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS,
    );
  });
  const endTimer = caseActionDuration.startTimer({ action: o.action });
  let outcome = 'error';
  try {
    const answer = await Promise.race([runUpdate(handle, o.action, args, inputId, updateId), timeout]);
    if (CLOSED_DETAIL[answer.status]) {
      await saveIdempotentAnswer(o.db, 'case-action', answerKey, { requestHash: digest, statusCode: 200, response: answer });
    }
    outcome = 'ok';
    return answer;
  } catch (e) {
    const mapped = mapWorkflowError(e);
    if (mapped instanceof ApiError && mapped.status < 500) outcome = 'refused';
    throw mapped;
  } finally {
    clearTimeout(timer);
    endTimer({ outcome });
  }
}

/** The Update of an action (the engine-floor bench sends the same ones). */
export function runUpdate(
  handle: ReturnType<Client['workflow']['getHandle']>,
  action: UpdateName,
  args: Record<string, unknown>,
  inputId: string,
  updateId: string,
): Promise<ActionResult> {
  switch (action) {
    case 'verify-documents':
      return handle.executeUpdate(verifyDocumentsUpdate, { args: [args as never], updateId });
    case 'verify-print':
      return handle.executeUpdate(verifyPrintUpdate, { args: [args as never], updateId });
    case 'approve':
      return handle.executeUpdate(approveUpdate, { args: [args as never], updateId });
    case 'confirm-print':
      return handle.executeUpdate(confirmPrintUpdate, { args: [args as never], updateId });
    case 'pickup':
      return handle.executeUpdate(pickupUpdate, { args: [args as never], updateId });
    case 'handover':
      return handle.executeUpdate(handoverUpdate, { args: [args as never], updateId });
    case 'cancel':
      return handle.executeUpdate(cancelUpdate, { args: [args as never], updateId });
    case 'applicant-cancel':
      return handle.executeUpdate(applicantCancelUpdate, { args: [{ inputId }], updateId });
    case 'resubmit':
      return handle.executeUpdate(resubmitUpdate, { args: [{ inputId }], updateId });
    case 'request-office-pickup':
      return handle.executeUpdate(requestOfficePickupUpdate, { args: [{ inputId }], updateId });
    case 'courier-notified-manually':
      return handle.executeUpdate(courierNotifiedManuallyUpdate, { args: [args as never], updateId });
    case 'delivery-failed':
      return handle.executeUpdate(deliveryFailedUpdate, { args: [args as never], updateId });
    case 'office-handover':
      return handle.executeUpdate(officeHandoverUpdate, { args: [args as never], updateId });
  }
}

/** Workflow refusals → 409 / 403 with the workflow's Indonesian message; a closed workflow → 409. */
export function mapWorkflowError(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  const cause = e instanceof WorkflowUpdateFailedError ? e.cause : e;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === ACTION_REJECTED) return new ApiError('conflict', cause.message);
    if (cause.type === ACTION_FORBIDDEN) return new ApiError('forbidden', cause.message);
  }
  if (e instanceof WorkflowNotFoundError) {
    return new ApiError('conflict', 'Alur kerja permohonan ini tidak aktif (sudah selesai atau belum dimulai).');
  }
  // The Update did not get through this time (e.g. the workflow task that carried it was lost with
  // a killed worker, or the server is busy). The client's retry reuses the same Update ID, so it
  // either applies the action once or gets the answer of the one that did apply.
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (e instanceof ServiceError && isTransientUpdateError(e.cause))) {
    return new ApiError('unavailable', RETRY_DETAIL, { headers: { 'Retry-After': '5' } });
  }
  // "workflow execution already completed" arrives as a gRPC NOT_FOUND (5) service error.
  const code = grpcCode(e) ?? grpcCode((e as { cause?: unknown })?.cause);
  if (code === 5 || /already completed/i.test(String((e as Error)?.message))) {
    return new ApiError('conflict', 'Alur kerja permohonan ini sudah selesai; tidak ada tindakan lagi.');
  }
  return e;
}
