/**
 * The worker's activities: every side effect of the SOP. Each one is safe to run twice
 * (deterministic keys, unique constraints, upserts), because Temporal retries on failure.
 * Arguments and results carry no personal data: activities read it from the database.
 */
import type { Kysely } from 'kysely';
import { ApplicationFailure } from '@temporalio/common';
import type { Database, NotificationRow } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { FileStore } from '../infra/files.js';
import { sha256Hex } from '../infra/files.js';
import type { Logger } from '../infra/logger.js';
import type { Adapters } from './adapters/index.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { isRoleRecipient } from './adapters/whatsapp.js';
import {
  DOCUMENT_TYPE_LABELS,
  RELATIONSHIP_LABELS,
  REQUEST_REASON_LABELS,
  ROLE_LABELS,
  SUPERVISOR_ROLES,
  escalationRole,
  sopStep,
  type DocumentKind,
  type DocumentType,
  type Role,
  type StepKey,
} from '../domain/sop.js';
import { jakartaDateTime } from '../domain/calendar.js';
import { applyTransition, listEvents, type TransitionRecord } from '../db/repositories/read-model.js';
import { enqueueNotification, markNotificationFailed, markNotificationSent, type NewNotification } from '../db/repositories/notifications.js';
import { consumeBlank, recordDamagedBlank } from '../db/repositories/blanks.js';
import { findDocument, findPrintJob, listDocuments, saveDocument } from '../db/repositories/documents.js';
import { printJobPath } from './adapters/printer.js';
import { renderApproval, renderLabel, renderReceipt } from './pdf.js';
import { buildDailyRecap } from './recap.js';
import { trackingLink, trackingTokenFor } from '../infra/tracking-tokens.js';
import { eraseExpiredCases } from './erasure.js';
import { pruneCounters } from '../db/repositories/tracking.js';

export type { TransitionRecord } from '../db/repositories/read-model.js';

export interface ActivityDeps {
  db: Kysely<Database>;
  files: FileStore;
  adapters: Adapters;
  config: Readonly<Config>;
  logger: Logger;
}

/** What the applicant is told (texts in Bahasa Indonesia, built in the activity from the database). */
export type ApplicantEvent = 'RECEIVED' | 'REJECTED' | 'RESUBMISSION_RECEIVED' | 'CANCELLED' | 'PRINTED' | 'COMPLETED' | 'EXPIRED';

export interface PrintResult {
  status: 'PRINTED' | 'NO_STOCK';
  jobPath?: string;
}

const wib = (t: number | Date) => `${jakartaDateTime(t)} WIB`;

function bodyOf(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return (raw ?? {}) as Record<string, unknown>;
}
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export function receiptNumberOf(registrationNumber: string): string {
  // One receipt per case: its number is derived from the registration number, so a retry reuses it.
  return `TT-${registrationNumber.replace(/^BP-/, '')}`;
}

export function createActivities(deps: ActivityDeps) {
  const { db, files, adapters, config, logger } = deps;

  async function caseRow(registrationNumber: string) {
    const row = await db.selectFrom('cases').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst();
    if (!row) throw ApplicationFailure.create({ type: 'CaseNotFound', message: `case ${registrationNumber} not found`, nonRetryable: true });
    return row;
  }

  async function actionInput(inputId: string | undefined | null): Promise<Record<string, unknown>> {
    if (!inputId) return {};
    const row = await db.selectFrom('action_inputs').select('body').where('id', '=', inputId).executeTakeFirst();
    return bodyOf(row?.body);
  }

  async function staffName(username: string): Promise<string> {
    const row = await db.selectFrom('staff').select('name').where('username', '=', username).executeTakeFirst();
    return row?.name ?? username;
  }

  /** Outbox first (PENDING), then the provider; a failed send is recorded and retried by Temporal. */
  async function send(n: Omit<NewNotification, 'provider'>): Promise<void> {
    await deliver(await enqueueNotification(db, { ...n, provider: adapters.whatsapp.provider }));
  }

  async function deliver(row: NotificationRow): Promise<void> {
    if (row.status === 'SENT') return;
    if (isRoleRecipient(row.recipient)) {
      await markNotificationSent(db, row.id, { provider: 'outbox', messageId: null, at: new Date() });
      return;
    }
    try {
      const res = await adapters.whatsapp.send({ recipient: row.recipient, text: row.text, idempotencyKey: row.idempotency_key });
      await markNotificationSent(db, row.id, { provider: res.provider, messageId: res.messageId, at: new Date() });
    } catch (e) {
      await markNotificationFailed(db, row.id, (e as Error).message);
      logger.warn('whatsapp send failed', { notificationId: row.id, kind: row.kind, registrationNumber: row.registration_number, error: (e as Error).message });
      throw e;
    }
  }

  async function staffRecipients(role: Role): Promise<string[]> {
    const rows = await db
      .selectFrom('staff')
      .select(['username', 'phone'])
      .where('role', '=', role)
      .where('active', '=', true)
      .where('phone', 'is not', null)
      .orderBy('username')
      .execute();
    return rows.length ? rows.map((r) => r.phone!) : [`role:${role}`];
  }

  type SignInput = { registrationNumber: string; documentType: DocumentType; signerUsername: string; signerRole: Role; signedAt: number };

  async function ensureSignature(o: SignInput) {
    let sig = await db.selectFrom('signatures').selectAll().where('registration_number', '=', o.registrationNumber).executeTakeFirst();
    if (!sig) {
      const signerName = await staffName(o.signerUsername);
      const signedAtIso = new Date(o.signedAt).toISOString();
      const payload = canonicalJson({
        registrationNumber: o.registrationNumber,
        documentType: o.documentType,
        signer: { username: o.signerUsername, name: signerName, role: o.signerRole },
        signedAt: signedAtIso,
      });
      await db
        .insertInto('signatures')
        .values({
          registration_number: o.registrationNumber,
          signer_username: o.signerUsername,
          signer_name: signerName,
          signer_role: o.signerRole,
          document_type: o.documentType,
          signed_at: new Date(o.signedAt),
          payload,
          signature: adapters.signer.sign(payload),
          key_id: adapters.signer.keyId,
        })
        .onConflict((oc) => oc.column('registration_number').doNothing())
        .execute();
      sig = await db.selectFrom('signatures').selectAll().where('registration_number', '=', o.registrationNumber).executeTakeFirstOrThrow();
    }
    return sig;
  }

  /** Writes a produced document to the file store and records it (kind and version identify it). */
  async function storeDocument(registrationNumber: string, kind: DocumentKind, version: number, relPath: string, data: Uint8Array | string, contentType = 'application/pdf') {
    const f = await files.put(relPath, data);
    return saveDocument(db, { registrationNumber, kind, version, storagePath: f.path, contentType, sha256: f.sha256, sizeBytes: f.size });
  }

  async function ensureApprovalDocument(registrationNumber: string): Promise<void> {
    if (await findDocument(db, registrationNumber, 'approval', 1)) return;
    const sig = await db.selectFrom('signatures').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow();
    const c = await caseRow(registrationNumber);
    const pdf = await renderApproval({
      registrationNumber: c.registration_number,
      documentTypeLabel: DOCUMENT_TYPE_LABELS[c.document_type],
      reasonLabel: REQUEST_REASON_LABELS[c.reason],
      signerName: sig.signer_name,
      signerRoleLabel: ROLE_LABELS[sig.signer_role],
      signedAt: new Date(sig.signed_at).getTime(),
      keyId: sig.key_id,
      signature: sig.signature,
      verifyUrl: `${config.publicBaseUrl}/verifikasi/${c.registration_number}`,
    });
    await storeDocument(registrationNumber, 'approval', 1, `documents/${registrationNumber}/persetujuan.pdf`, pdf);
  }

  type ReceiptInput = { registrationNumber: string; courierUsername: string; inputId: string; deliveredAt: number };

  async function ensureReceipt(o: ReceiptInput) {
    const number = receiptNumberOf(o.registrationNumber);
    let receipt = await db.selectFrom('receipts').selectAll().where('registration_number', '=', o.registrationNumber).executeTakeFirst();
    if (!receipt) {
      const body = await actionInput(o.inputId);
      const relationship = body.relationship === 'FAMILY' || body.relationship === 'OTHER' ? body.relationship : 'SELF';
      await db
        .insertInto('receipts')
        .values({
          number,
          registration_number: o.registrationNumber,
          courier_username: o.courierUsername,
          received_by: str(body.receivedBy) ?? '-',
          relationship,
          old_card_collected: typeof body.oldCardCollected === 'boolean' ? body.oldCardCollected : null,
          note: str(body.note),
          photo_path: str(body.photoPath) ?? str(body.photo_path),
          delivered_at: new Date(o.deliveredAt),
        })
        .onConflict((oc) => oc.column('registration_number').doNothing())
        .execute();
      receipt = await db.selectFrom('receipts').selectAll().where('registration_number', '=', o.registrationNumber).executeTakeFirstOrThrow();
    }
    return receipt;
  }

  async function ensureReceiptDocument(registrationNumber: string): Promise<void> {
    if (await findDocument(db, registrationNumber, 'receipt', 1)) return;
    const receipt = await db.selectFrom('receipts').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow();
    const c = await caseRow(registrationNumber);
    const pdf = await renderReceipt({
      receiptNumber: receipt.number,
      registrationNumber: c.registration_number,
      documentTypeLabel: DOCUMENT_TYPE_LABELS[c.document_type],
      receivedBy: receipt.received_by,
      relationshipLabel: RELATIONSHIP_LABELS[receipt.relationship],
      oldCardCollected: receipt.old_card_collected,
      courierName: await staffName(receipt.courier_username),
      deliveredAt: new Date(receipt.delivered_at).getTime(),
      note: receipt.note,
      verifyUrl: `${config.publicBaseUrl}/verifikasi/${c.registration_number}`,
    });
    await storeDocument(registrationNumber, 'receipt', 1, `documents/${registrationNumber}/tanda-terima.pdf`, pdf);
  }

  return {
    /** The read model: cases row, step runs, escalations and timeline, in one transaction. */
    async recordTransition(t: TransitionRecord): Promise<void> {
      await applyTransition(db, t);
    },

    async notifyApplicant(o: { registrationNumber: string; event: ApplicantEvent; key: string; inputId?: string }): Promise<void> {
      const c = await caseRow(o.registrationNumber);
      // Erased: nobody to write to (and nothing personal left to write with).
      if (c.personal_data_erased_at) return;
      const reg = c.registration_number;
      const doc = DOCUMENT_TYPE_LABELS[c.document_type];
      // The applicant's own tracking link (the token is unsealed here, never passed through Temporal).
      const token = await trackingTokenFor(db, config, reg);
      const track = token ? trackingLink(config.publicBaseUrl, token) : `${config.publicBaseUrl}/lacak`;
      let text: string;
      switch (o.event) {
        case 'RECEIVED':
          text = `Permohonan ${doc} Anda telah kami terima dengan nomor registrasi ${reg}. Pantau prosesnya di ${track}. — Disdukcapil Grobogan (Becak Pintar)`;
          break;
        case 'REJECTED': {
          const reason = str((await actionInput(o.inputId)).reason) ?? c.rejection_reason ?? '-';
          const due = c.resubmission_due_at ? ` paling lambat ${wib(c.resubmission_due_at)}` : '';
          text = `Permohonan ${reg} belum dapat diproses. Alasan: ${reason}. Silakan kirim perbaikan berkas${due} melalui ${track}.`;
          break;
        }
        case 'RESUBMISSION_RECEIVED':
          text = `Perbaikan berkas untuk permohonan ${reg} telah kami terima dan akan diverifikasi ulang. Pantau di ${track}.`;
          break;
        case 'CANCELLED': {
          const reason = str((await actionInput(o.inputId)).reason);
          text = `Permohonan ${reg} telah dibatalkan.${reason ? ` Alasan: ${reason}.` : ''} Rincian: ${track}.`;
          break;
        }
        case 'PRINTED':
          text = `${doc} Anda (${reg}) sudah dicetak dan segera diantar oleh jasa ekspedisi ke alamat pengiriman. Pantau atau perbaiki alamat di ${track}.`;
          break;
        case 'COMPLETED':
          text = `${doc} untuk permohonan ${reg} telah diserahkan${c.receipt_number ? ` (tanda terima ${c.receipt_number})` : ''}. Terima kasih telah menggunakan layanan Becak Pintar. Rincian: ${track}.`;
          break;
        case 'EXPIRED':
          text = `Permohonan ${reg} ditutup karena perbaikan berkas tidak kami terima sampai batas waktu. Silakan ajukan permohonan baru bila masih diperlukan. Rincian: ${track}.`;
          break;
      }
      await send({ idempotencyKey: o.key, kind: 'APPLICANT', registrationNumber: reg, recipient: c.contact_phone, text });
    },

    /** Sends one outbox row (by id) that was enqueued outside a case workflow (e.g. a re-sent registration number). */
    async sendNotification(o: { notificationId: number }): Promise<void> {
      const row = await db.selectFrom('notifications').selectAll().where('id', '=', o.notificationId).executeTakeFirst();
      if (!row) throw ApplicationFailure.create({ type: 'NotificationNotFound', message: `notification ${o.notificationId} not found`, nonRetryable: true });
      // Erased in the meantime: the recipient is gone, nothing to send.
      if (row.recipient === '') return;
      await deliver(row);
    },

    /** Retention: erases the personal data of cases closed more than RETENTION_DAYS ago (a batch). */
    async eraseExpiredCases(o: { at: number; limit: number }): Promise<{ erased: number; more: boolean }> {
      const r = await eraseExpiredCases({ db, files }, { at: o.at, retentionDays: config.RETENTION_DAYS, limit: o.limit });
      // Housekeeping: attempt counters whose hour-long windows ended a day ago.
      await pruneCounters(db, new Date(o.at - 24 * 3600_000));
      if (r.erased > 0) logger.info('retention erasure', { erased: r.erased });
      return r;
    },

    /** Once per (case, step run, level, recipient): the supervisors of `role` (no personal data in the text). */
    async notifyEscalation(o: { registrationNumber: string; stepKey: StepKey; stepSeq: number; level: number; role: Role; dueAt: number }): Promise<{ recipients: number }> {
      const step = sopStep(o.stepKey);
      const text =
        `[Eskalasi level ${o.level}] Permohonan ${o.registrationNumber}: langkah ${step.number} "${step.title}" melewati batas waktu ` +
        `(jatuh tempo ${wib(o.dueAt)}). Mohon ${ROLE_LABELS[o.role]} menindaklanjuti.`;
      const recipients = await staffRecipients(o.role);
      for (const recipient of recipients) {
        await send({ idempotencyKey: `escalation:${o.registrationNumber}:${o.stepSeq}:${o.level}:${recipient}`, kind: 'ESCALATION', registrationNumber: o.registrationNumber, recipient, text });
      }
      return { recipients: recipients.length };
    },

    /** TTE: Ed25519 over canonical JSON; one signature per case; approval PDF (the first workflow version's activity). */
    async signApproval(o: SignInput): Promise<{ keyId: string }> {
      const sig = await ensureSignature(o);
      await ensureApprovalDocument(o.registrationNumber);
      return { keyId: sig.key_id };
    },

    /** TTE only (the signature row), on the approval's critical path; the PDF follows in `renderApprovalDocument`. */
    async recordSignature(o: SignInput): Promise<{ keyId: string }> {
      return { keyId: (await ensureSignature(o)).key_id };
    },

    /** The approval PDF of the recorded signature (once). */
    async renderApprovalDocument(o: { registrationNumber: string }): Promise<void> {
      await ensureApprovalDocument(o.registrationNumber);
    },

    /**
     * One print attempt: takes one blank and records the print job in one transaction, sends the
     * job to the printer and produces the delivery label. NO_STOCK when no blank is left.
     */
    async printCard(o: { registrationNumber: string; documentType: DocumentType; attempt: number; at: number }): Promise<PrintResult> {
      const jobPath = printJobPath(o.registrationNumber, o.attempt);
      if (await findDocument(db, o.registrationNumber, 'label', o.attempt)) return { status: 'PRINTED', jobPath };
      let job = await findPrintJob(db, o.registrationNumber, o.attempt);
      if (!job) {
        const outcome = await db.transaction().execute(async (trx) => {
          const taken = await consumeBlank(trx, {
            documentType: o.documentType,
            registrationNumber: o.registrationNumber,
            idempotencyKey: `consume:${o.registrationNumber}:${o.attempt}`,
            at: new Date(o.at),
          });
          if (taken === 'empty') return 'empty' as const;
          await trx
            .insertInto('print_jobs')
            .values({ registration_number: o.registrationNumber, attempt: o.attempt, document_type: o.documentType, status: 'PRINTED', job_path: jobPath, failure_reason: null, printed_at: new Date(o.at), confirmed_at: null })
            .onConflict((oc) => oc.columns(['registration_number', 'attempt']).doNothing())
            .execute();
          return taken;
        });
        if (outcome === 'empty') return { status: 'NO_STOCK' };
        job = await findPrintJob(db, o.registrationNumber, o.attempt);
      }
      const c = await caseRow(o.registrationNumber);
      const content = JSON.stringify(
        {
          registrationNumber: c.registration_number,
          attempt: o.attempt,
          documentType: c.document_type,
          card: { nik: c.subject_nik, name: c.subject_name, birthDate: c.subject_birth_date, married: c.subject_married, kkNumber: c.kk_number },
          createdAt: new Date(o.at).toISOString(),
        },
        null,
        2,
      );
      await adapters.printer.print({ registrationNumber: c.registration_number, attempt: o.attempt, content });
      const label = await renderLabel({
        registrationNumber: c.registration_number,
        documentTypeLabel: DOCUMENT_TYPE_LABELS[c.document_type],
        attempt: o.attempt,
        recipientName: c.contact_name,
        phone: c.contact_phone,
        address: c.address,
        rt: c.rt,
        rw: c.rw,
        village: c.village,
        district: c.district,
        deliveryNote: c.delivery_note,
        printedAt: o.at,
      });
      await storeDocument(o.registrationNumber, 'label', o.attempt, `documents/${o.registrationNumber}/label-${o.attempt}.pdf`, label);
      return { status: 'PRINTED', jobPath: job?.job_path ?? jobPath };
    },

    /** The operator confirmed the card came out right: it counts in the day's recap. */
    async confirmPrint(o: { registrationNumber: string; attempt: number; at: number }): Promise<void> {
      await db
        .updateTable('print_jobs')
        .set({ status: 'CONFIRMED', confirmed_at: new Date(o.at) })
        .where('registration_number', '=', o.registrationNumber)
        .where('attempt', '=', o.attempt)
        .where('status', '=', 'PRINTED')
        .execute();
    },

    /** A failed print: the job is marked FAILED and the spoiled blank recorded (once). */
    async recordPrintFailure(o: { registrationNumber: string; documentType: DocumentType; attempt: number; inputId: string; actorUsername: string; at: number }): Promise<void> {
      const reason = str((await actionInput(o.inputId)).reason);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('print_jobs')
          .set({ status: 'FAILED', failure_reason: reason, confirmed_at: new Date(o.at) })
          .where('registration_number', '=', o.registrationNumber)
          .where('attempt', '=', o.attempt)
          .where('status', '=', 'PRINTED')
          .execute();
        await recordDamagedBlank(trx, {
          documentType: o.documentType,
          registrationNumber: o.registrationNumber,
          idempotencyKey: `damaged:${o.registrationNumber}:${o.attempt}`,
          note: reason,
          actorUsername: o.actorUsername,
          at: new Date(o.at),
        });
      });
    },

    /** Courier WhatsApp group: registration number, document type and district only. */
    async notifyCourierGroup(o: { registrationNumber: string; documentType: DocumentType; district: string; key: string }): Promise<void> {
      const text =
        `Dokumen siap diambil di kantor Disdukcapil Grobogan: ${DOCUMENT_TYPE_LABELS[o.documentType]} nomor registrasi ${o.registrationNumber}, ` +
        `tujuan Kecamatan ${o.district}.`;
      await send({ idempotencyKey: o.key, kind: 'COURIER_GROUP', registrationNumber: o.registrationNumber, recipient: config.WA_COURIER_GROUP_ID, text });
    },

    /** The receipt (tanda terima) with its own number and a PDF with a QR code to the verification page. */
    async issueReceipt(o: ReceiptInput): Promise<{ receiptNumber: string }> {
      const receipt = await ensureReceipt(o);
      await ensureReceiptDocument(o.registrationNumber);
      return { receiptNumber: receipt.number };
    },

    /** The receipt row (its number) only, on the handover's critical path; the PDF follows in `renderReceiptDocument`. */
    async recordReceipt(o: ReceiptInput): Promise<{ receiptNumber: string }> {
      return { receiptNumber: (await ensureReceipt(o)).number };
    },

    /** The receipt PDF with its QR code (once). */
    async renderReceiptDocument(o: { registrationNumber: string }): Promise<void> {
      await ensureReceiptDocument(o.registrationNumber);
    },

    /** The archive: a manifest of every event and every produced document with its SHA-256. */
    async archiveCase(o: { registrationNumber: string; at: number }): Promise<{ path: string; sha256: string }> {
      const existing = await findDocument(db, o.registrationNumber, 'archive', 1);
      if (existing) return { path: existing.storage_path, sha256: existing.sha256 };
      const events = await listEvents(db, o.registrationNumber);
      const documents = (await listDocuments(db, o.registrationNumber)).filter((d) => d.kind !== 'archive');
      const docEntries = [];
      for (const d of documents) {
        // Hash what is on disk now: the manifest vouches for the files as archived.
        const content = await files.read(d.storage_path);
        docEntries.push({ kind: d.kind, version: d.version, path: d.storage_path, contentType: d.content_type, sizeBytes: content.byteLength, sha256: sha256Hex(content), recordedSha256: d.sha256 });
      }
      const manifest = {
        registrationNumber: o.registrationNumber,
        archivedAt: new Date(o.at).toISOString(),
        events: events.map((e) => ({ key: e.event_key, type: e.type, stepKey: e.step_key, actorUsername: e.actor_username, actorRole: e.actor_role, at: new Date(e.at).toISOString(), data: bodyOf(e.data) })),
        documents: docEntries,
      };
      const row = await storeDocument(o.registrationNumber, 'archive', 1, `archive/${o.registrationNumber}/manifest.json`, JSON.stringify(manifest, null, 2), 'application/json');
      return { path: row.storage_path, sha256: row.sha256 };
    },

    async buildDailyRecap(o: { date: string }): Promise<{ date: string; count: number }> {
      const { count } = await buildDailyRecap({ db, files }, o.date);
      return { date: o.date, count };
    },

    /** Every supervisor gets the overdue cases that have escalated to their role (at most once per slot). */
    async sendOverdueDigest(o: { slot: number }): Promise<{ cases: number; messages: number }> {
      const rows = await db
        .selectFrom('cases')
        .select(['registration_number', 'current_step', 'escalation_level', 'step_due_at'])
        .where('status', '=', 'IN_PROGRESS')
        .where('overdue', '=', true)
        .orderBy('step_due_at')
        .execute();
      let messages = 0;
      for (const role of SUPERVISOR_ROLES) {
        const mine = rows.filter((r) => {
          const owner = sopStep(r.current_step).responsibleRole;
          if (!owner) return false;
          for (let k = 1; k <= r.escalation_level; k++) if (escalationRole(owner, k) === role) return true;
          return false;
        });
        if (!mine.length) continue;
        const lines = mine.slice(0, 30).map((r) => `- ${r.registration_number}: ${sopStep(r.current_step).title} (jatuh tempo ${r.step_due_at ? wib(r.step_due_at) : '-'}, level ${r.escalation_level})`);
        const more = mine.length > 30 ? `\n…dan ${mine.length - 30} lainnya.` : '';
        const text = `Rekap permohonan terlambat (${wib(o.slot)}) untuk ${ROLE_LABELS[role]}: ${mine.length} permohonan.\n${lines.join('\n')}${more}`;
        for (const recipient of await staffRecipients(role)) {
          await send({ idempotencyKey: `digest:${o.slot}:${role}:${recipient}`, kind: 'DIGEST', registrationNumber: null, recipient, text });
          messages++;
        }
      }
      return { cases: rows.length, messages };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
