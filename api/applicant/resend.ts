/**
 * A duplicate submission never names the open case (SPEC §3: a NIK is not a secret). Instead the
 * open case's registration number and tracking link are re-sent to that case's own WhatsApp
 * number, at most once an hour per case. The message is composed here, stored in the outbox, and
 * a small workflow sends it carrying only the outbox row's id.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { CaseRow, Database } from '../../db/schema.js';
import type { Config } from '../../infra/config.js';
import type { Logger } from '../../infra/logger.js';
import { DOCUMENT_TYPE_LABELS, TASK_QUEUE } from '../../domain/sop.js';
import { DUPLICATE_RESEND_INTERVAL_MS } from '../../domain/privacy.js';
import { enqueueNotification } from '../../db/repositories/notifications.js';
import { hitCounter } from '../../db/repositories/tracking.js';
import { trackingLink, trackingTokenFor } from '../../infra/tracking-tokens.js';
import { ApiError } from '../errors.js';

export const OUTBOX_MESSAGE_WORKFLOW_TYPE = 'outboxMessageWorkflow';

export const DUPLICATE_DETAIL =
  'Masih ada permohonan yang sedang berjalan untuk NIK dan jenis dokumen ini. Demi keamanan, nomor registrasinya tidak kami tampilkan di sini: ' +
  'nomor registrasi dan tautan lacak telah kami kirim ulang ke nomor WhatsApp yang tercatat pada permohonan tersebut (paling banyak sekali dalam satu jam).';

/** The same answer whether or not a message was sent now: it tells nothing beyond "an open application exists". */
export function duplicateError(): ApiError {
  return new ApiError('duplicate_application', DUPLICATE_DETAIL);
}

export interface ResendDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Readonly<Config>;
  logger: Logger;
}

/** Re-sends the open case's number and link to its contact (once per hour per case); true when a message was queued now. */
export async function resendRegistrationNumber(deps: ResendDeps, c: CaseRow, nowMs: number): Promise<boolean> {
  const reg = c.registration_number;
  const hit = await hitCounter(deps.db, `resend:${reg}`, DUPLICATE_RESEND_INTERVAL_MS, nowMs);
  if (hit.count > 1) return false;
  const token = await trackingTokenFor(deps.db, deps.config, reg);
  const link = token ? trackingLink(deps.config.publicBaseUrl, token) : `${deps.config.publicBaseUrl}/lacak`;
  const text =
    `Ada pengajuan baru ${DOCUMENT_TYPE_LABELS[c.document_type]} dengan NIK yang sama, padahal permohonan Anda masih berjalan. ` +
    `Nomor registrasi permohonan Anda: ${reg}. Pantau di ${link}. Bila bukan Anda yang mengajukan ulang, abaikan pesan ini. — Disdukcapil Grobogan (Becak Pintar)`;
  const row = await enqueueNotification(deps.db, {
    idempotencyKey: `resend-number:${reg}:${hit.windowStart.getTime()}`,
    kind: 'APPLICANT',
    registrationNumber: reg,
    recipient: c.contact_phone,
    text,
    provider: deps.config.WA_PROVIDER,
  });
  try {
    await deps.temporal.workflow.start(OUTBOX_MESSAGE_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId: `outbox-message-${row.id}`,
      args: [{ notificationId: row.id }],
    });
  } catch (e) {
    // The row stays PENDING in the outbox (visible to staff, resendable); never fail the answer for it.
    deps.logger.warn('could not start the outbox message workflow', { notificationId: row.id, error: (e as Error).message });
  }
  return true;
}
