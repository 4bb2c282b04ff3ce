/**
 * Submission: validate, reserve a registration number, insert the case and its attachments in
 * one transaction (workflow_started = false), then start the workflow and mark it started.
 * A crash between the two is repaired by the sweeper (api/bootstrap.ts).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { FileStore } from '../infra/files.js';
import type { Logger } from '../infra/logger.js';
import type { DocumentType, RequestReason } from '../domain/sop.js';
import { decodeBase64, jakartaDateString } from '../domain/citizen.js';
import { CASE_MEMO_SUBMITTED_AT, caseWorkflowStartOptions } from '../workflows/start-options.js';
import { CASE_WORKFLOW_TYPE, type CaseWorkflowInput } from '../workflows/messages.js';
import { findOpenCase, insertCase, markWorkflowStarted } from '../db/repositories/cases.js';
import { attachmentPath, insertAttachments, type AttachmentRow } from '../db/repositories/attachments.js';
import { nextRegistrationNumber } from '../db/repositories/registration.js';
import { findIdempotentAnswer, saveIdempotentAnswer } from '../db/repositories/idempotency.js';
import { ApiError } from './errors.js';
import type { ValidAttachment, ValidSubmission } from './schemas.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { sha256 } from './case-actions.js';
import { duplicateError, resendRegistrationNumber } from './applicant/resend.js';
import { PRIVACY_NOTICE_VERSION } from '../domain/privacy.js';
import { insertTrackingToken } from '../db/repositories/tracking.js';
import { newTrackingToken, sealTrackingToken, trackingSealKey, trackingTokenHash } from '../infra/tracking-tokens.js';

export interface SubmissionDeps {
  db: Kysely<Database>;
  temporal: Client;
  files: FileStore;
  config: Readonly<Config>;
  logger: Logger;
}

export interface SubmissionAnswer {
  statusCode: number;
  body: unknown;
}

const IDEMPOTENCY_SCOPE = 'submission';

export function submissionRequestHash(body: unknown): string {
  return sha256(canonicalJson(body));
}

/** The earlier answer for this Idempotency-Key, or null; 422 when the key was used for another body. */
export async function replayIdempotent(db: Kysely<Database>, key: string | undefined, requestHash: string): Promise<SubmissionAnswer | null> {
  if (!key) return null;
  const stored = await findIdempotentAnswer(db, IDEMPOTENCY_SCOPE, key);
  if (!stored) return null;
  if (stored.requestHash !== requestHash) {
    throw new ApiError('idempotency_conflict', 'Idempotency-Key ini sudah dipakai untuk permohonan dengan isi berbeda. Gunakan kunci baru.');
  }
  return { statusCode: stored.statusCode, body: stored.response };
}

/**
 * Writes the attachment files (idempotent) and returns their metadata rows. `ids` (one per
 * attachment) lets a retried request write under the same names; new random ids otherwise.
 */
export async function storeAttachments(
  files: FileStore,
  registrationNumber: string,
  list: ValidAttachment[],
  round: number,
  ids: readonly string[] = list.map(() => randomUUID()),
): Promise<Array<Omit<AttachmentRow, 'created_at'>>> {
  const rows: Array<Omit<AttachmentRow, 'created_at'>> = [];
  for (const [i, a] of list.entries()) {
    const id = ids[i]!;
    const stored = await files.put(attachmentPath(registrationNumber, id), decodeBase64(a.base64));
    rows.push({
      id,
      registration_number: registrationNumber,
      kind: a.kind,
      file_name: a.fileName,
      content_type: a.contentType,
      size_bytes: stored.size,
      sha256: stored.sha256,
      storage_path: stored.path,
      round,
    });
  }
  return rows;
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || /duplicate key|unique constraint/i.test(String(err?.message));
}


export async function submitApplication(
  deps: SubmissionDeps,
  v: ValidSubmission,
  opts: { idempotencyKey?: string; requestHash: string; nowMs: number },
): Promise<SubmissionAnswer> {
  const { db } = deps;
  const { input } = v;
  const open = await findOpenCase(db, input.subject.nik, input.documentType);
  if (open) {
    await resendRegistrationNumber(deps, open, opts.nowMs);
    throw duplicateError();
  }

  const submittedAt = new Date(opts.nowMs);
  let registrationNumber = '';
  let body: { registrationNumber: string; status: 'IN_PROGRESS'; currentStep: 'DOCUMENT_VERIFICATION' } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      registrationNumber = await nextRegistrationNumber(trx, jakartaDateString(opts.nowMs));
      await insertCase(trx, {
        registration_number: registrationNumber,
        document_type: input.documentType,
        reason: input.reason,
        status: 'IN_PROGRESS',
        current_step: 'DOCUMENT_VERIFICATION',
        subject_nik: input.subject.nik,
        subject_name: input.subject.name,
        subject_birth_date: input.subject.birthDate,
        subject_married: input.subject.married ?? false,
        kk_number: input.subject.kkNumber,
        contact_name: input.contact.name,
        contact_phone: v.phoneE164,
        address: input.delivery.address,
        rt: input.delivery.rt,
        rw: input.delivery.rw,
        village: input.delivery.village,
        district: v.district,
        delivery_note: input.delivery.note || null,
        workflow_started: false,
        submitted_at: submittedAt,
        updated_at: submittedAt,
        privacy_notice_version: PRIVACY_NOTICE_VERSION,
      });
      // The tracking link's token: its hash for lookups, a sealed copy for composing messages.
      const token = newTrackingToken();
      await insertTrackingToken(trx, registrationNumber, trackingTokenHash(token), sealTrackingToken(trackingSealKey(deps.config), registrationNumber, token));
      const rows = await storeAttachments(deps.files, registrationNumber, v.attachments, 0);
      await insertAttachments(trx, rows);
      body = { registrationNumber, status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION' };
      if (opts.idempotencyKey) {
        const saved = await saveIdempotentAnswer(trx, IDEMPOTENCY_SCOPE, opts.idempotencyKey, { requestHash: opts.requestHash, statusCode: 201, response: body });
        // A concurrent twin with the same key committed first: roll back ours and answer theirs.
        if (!saved) throw new IdempotencyRace();
      }
    });
  } catch (e) {
    if (e instanceof IdempotencyRace) {
      const replay = await replayIdempotent(db, opts.idempotencyKey, opts.requestHash);
      if (replay) return replay;
    }
    if (isUniqueViolation(e)) {
      // The partial unique index caught a concurrent submission for the same NIK and type.
      const winner = await findOpenCase(db, input.subject.nik, input.documentType);
      if (winner) {
        if (opts.idempotencyKey) {
          const replay = await replayIdempotent(db, opts.idempotencyKey, opts.requestHash);
          if (replay) return replay;
        }
        await resendRegistrationNumber(deps, winner, opts.nowMs);
        throw duplicateError();
      }
    }
    throw e;
  }

  await startCaseWorkflow(deps, {
    registrationNumber,
    documentType: input.documentType,
    reason: input.reason,
    district: v.district,
    submittedAt,
  });
  return { statusCode: 201, body };
}

class IdempotencyRace extends Error {}

/** The submission time a case workflow was started for (its memo), undefined when unknown. */
async function workflowSubmittedAt(temporal: Client, registrationNumber: string): Promise<number | undefined> {
  const d = await temporal.workflow.getHandle(registrationNumber).describe();
  const v = d.memo?.[CASE_MEMO_SUBMITTED_AT];
  return typeof v === 'number' ? v : undefined;
}

/**
 * Starts the case workflow (tolerating "already started") and marks the row. Failures are logged
 * and left to the sweeper: the case is recorded and its number already given to the citizen.
 */
export async function startCaseWorkflow(
  deps: { db: Kysely<Database>; temporal: Client; config: Readonly<Config>; logger: Logger },
  c: { registrationNumber: string; documentType: DocumentType; reason: RequestReason; district: string; submittedAt: Date },
): Promise<boolean> {
  const input: CaseWorkflowInput = {
    registrationNumber: c.registrationNumber,
    documentType: c.documentType,
    reason: c.reason,
    district: c.district,
    submittedAt: c.submittedAt.getTime(),
    policy: deps.config.policy,
  };
  try {
    await deps.temporal.workflow.start(CASE_WORKFLOW_TYPE, caseWorkflowStartOptions(input, { publicBaseUrl: deps.config.publicBaseUrl }));
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) {
      deps.logger.warn('workflow start failed; the sweeper will retry', { registrationNumber: c.registrationNumber, error: (e as Error).message });
      return false;
    }
    // Already started is fine when it is this case's own workflow (a retry after a crash). A workflow
    // of another submission under the same number means the database and Temporal are out of step
    // (e.g. a database restored or reset without Temporal): adopting it would attach this case to a
    // stranger's history, so the case stays unstarted and an operator must look.
    let owner: number | undefined;
    try {
      owner = await workflowSubmittedAt(deps.temporal, c.registrationNumber);
    } catch (d) {
      deps.logger.warn('could not check the existing workflow; the sweeper will retry', { registrationNumber: c.registrationNumber, error: (d as Error).message });
      return false;
    }
    if (owner !== undefined && owner !== input.submittedAt) {
      deps.logger.error('registration number already used by another case workflow in Temporal; database and Temporal are out of step', {
        registrationNumber: c.registrationNumber,
        workflowSubmittedAt: new Date(owner).toISOString(),
        caseSubmittedAt: c.submittedAt.toISOString(),
      });
      return false;
    }
  }
  return markWorkflowStarted(deps.db, c.registrationNumber, c.submittedAt);
}
