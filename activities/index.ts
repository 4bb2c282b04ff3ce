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
import { payloadVersionOf, signaturePayloadV2 } from '../domain/signature.js';
import { deliverNotification, rolePhones } from './outbox.js';
import {
  DELIVERY_FAILURE_REASON_LABELS,
  DOCUMENT_TYPE_LABELS,
  RELATIONSHIP_LABELS,
  REQUEST_REASON_LABELS,
  ROLE_LABELS,
  SUPERVISOR_ROLES,
  escalationRole,
  sopStep,
  type DeliveryFailureReason,
  type DocumentKind,
  type DocumentType,
  type Role,
  type StepKey,
} from '../domain/sop.js';
import { jakartaDateTime } from '../domain/calendar.js';
import { applyTransition, listEvents, type TransitionRecord } from '../db/repositories/read-model.js';
import { enqueueNotification, type NewNotification } from '../db/repositories/notifications.js';
import { consumeBlank, recordDamagedBlank } from '../db/repositories/blanks.js';
import { findDocument, findPrintJob, listDocuments, saveDocument } from '../db/repositories/documents.js';
import { discardPrintJob, printJobPath } from './adapters/printer.js';
import { maskNikForPrint } from '../domain/citizen.js';
import { renderApproval, renderLabel, renderReceipt } from './pdf.js';
import { trackingLink, trackingTokenFor } from '../infra/tracking-tokens.js';
import { eraseExpiredCases } from './erasure.js';
import { closeDailyRecap, recapContent } from './recap.js';
import { lowStockHook } from './low-stock.js';
import { pruneCounters } from '../db/repositories/tracking.js';
import { bodyOf } from '../db/repositories/action-inputs.js';
import { receiptNumberOf } from '../domain/receipt.js';

export type { TransitionRecord } from '../db/repositories/read-model.js';

export interface ActivityDeps {
  db: Kysely<Database>;
  files: FileStore;
  adapters: Adapters;
  config: Readonly<Config>;
  logger: Logger;
}

/** What the applicant is told (texts in Bahasa Indonesia, built in the activity from the database). */
export type ApplicantEvent = 'RECEIVED' | 'REJECTED' | 'RESUBMISSION_RECEIVED' | 'CANCELLED' | 'PRINTED' | 'COMPLETED' | 'EXPIRED' | 'DELIVERY_FAILED' | 'OFFICE_PICKUP';

export interface PrintResult {
  status: 'PRINTED' | 'NO_STOCK';
  jobPath?: string;
}

const wib = (t: number | Date) => `${jakartaDateTime(t)} WIB`;

/** A staff-typed reason as a sentence: one closing mark, never "..". */
export function endSentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export { receiptNumberOf };

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

  const outbox = { db, whatsapp: adapters.whatsapp, config, logger };

  /** Outbox first (PENDING), then the provider; a failed send is recorded (retried with backoff) and thrown. */
  async function send(n: Omit<NewNotification, 'provider'>): Promise<void> {
    const row = await enqueueNotification(db, { ...n, provider: adapters.whatsapp.provider, retryHours: config.WA_RETRY_HOURS });
    await deliverNotification(outbox, row);
  }

  /** Sends one outbox row (PENDING or FAILED) through the provider; SENT rows are left alone. */
  async function deliver(row: NotificationRow): Promise<void> {
    await deliverNotification(outbox, row);
  }

  /** The phones of the active staff of `role`; none: the role itself, which ends as NO_RECIPIENT. */
  async function staffRecipients(role: Role): Promise<string[]> {
    const phones = await rolePhones(db, role);
    return phones.length ? phones : [`role:${role}`];
  }

  type SignInput = { registrationNumber: string; documentType: DocumentType; signerUsername: string; signerRole: Role; signedAt: number };

  /**
   * The signature row: who signed and when. Payload v2 covers the approval PDF's SHA-256, so the row
   * is recorded here with `payload`/`signature` empty, and signed by `ensureApprovalDocument` once
   * that PDF exists (render → embedded PAdES signature → hash of the final bytes → Ed25519 payload).
   */
  async function ensureSignature(o: SignInput) {
    let sig = await db.selectFrom('signatures').selectAll().where('registration_number', '=', o.registrationNumber).executeTakeFirst();
    if (!sig) {
      const staff = await db.selectFrom('staff').select(['name', 'nip']).where('username', '=', o.signerUsername).executeTakeFirst();
      await db
        .insertInto('signatures')
        .values({
          registration_number: o.registrationNumber,
          signer_username: o.signerUsername,
          signer_name: staff?.name ?? o.signerUsername,
          signer_role: o.signerRole,
          signer_nip: staff?.nip ?? null,
          document_type: o.documentType,
          signed_at: new Date(o.signedAt),
          payload: '',
          signature: '',
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

  /**
   * The approval PDF (with its embedded PAdES signature), then the v2 payload over its SHA-256.
   * Each part is done once and a retry resumes where it stopped: the stored document's hash is the
   * one signed. The PDF and its PAdES signature are deterministic (fixed dates), so two racing runs
   * write the same bytes. A case recorded with a v1 signature keeps it (and gets a signed PDF).
   */
  async function ensureApprovalDocument(registrationNumber: string): Promise<void> {
    const sig = await db.selectFrom('signatures').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow();
    let doc = await findDocument(db, registrationNumber, 'approval', 1);
    if (!doc) {
      const c = await caseRow(registrationNumber);
      const verifyUrl = `${config.publicBaseUrl}/verifikasi/${c.registration_number}`;
      const signedAt = new Date(sig.signed_at);
      const pdf = await renderApproval({
        registrationNumber: c.registration_number,
        documentTypeLabel: DOCUMENT_TYPE_LABELS[c.document_type],
        reasonLabel: REQUEST_REASON_LABELS[c.reason],
        signerName: sig.signer_name,
        signerRoleLabel: ROLE_LABELS[sig.signer_role],
        signerNip: sig.signer_nip ?? (sig.signer_role === 'kabid' ? config.office.kabid.nip : sig.signer_role === 'kadis' ? config.office.head.nip : null),
        signedAt: signedAt.getTime(),
        keyId: sig.key_id,
        // v1 rows were signed before their PDF and print the signature; v2 covers the PDF instead.
        signature: payloadVersionOf(sig.payload) === 1 ? sig.signature : undefined,
        verifyUrl,
        holderName: c.subject_name,
        holderNikMasked: maskNikForPrint(c.subject_nik),
        office: config.office,
      });
      const signed = await adapters.pdfSigner.sign(pdf, {
        reason: `Persetujuan pencetakan ${DOCUMENT_TYPE_LABELS[c.document_type]} ${c.registration_number} oleh ${sig.signer_name} (${ROLE_LABELS[sig.signer_role]})`,
        location: 'Kabupaten Grobogan',
        contactInfo: verifyUrl,
        signingTime: signedAt,
      });
      doc = await storeDocument(registrationNumber, 'approval', 1, `documents/${registrationNumber}/persetujuan.pdf`, signed);
    }
    if (sig.signature === '') {
      const payload = signaturePayloadV2({
        registrationNumber: sig.registration_number,
        documentType: sig.document_type,
        signer: { username: sig.signer_username, name: sig.signer_name, role: sig.signer_role, nip: sig.signer_nip },
        signedAt: new Date(sig.signed_at),
        keyId: adapters.signer.keyId,
        documentSha256: doc.sha256,
      });
      await db
        .updateTable('signatures')
        .set({ payload, signature: adapters.signer.sign(payload), key_id: adapters.signer.keyId, document_sha256: doc.sha256 })
        .where('registration_number', '=', registrationNumber)
        .where('signature', '=', '')
        .execute();
    }
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
          signature_path: str(body.signaturePath),
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
      photo: receipt.photo_path ? await files.read(receipt.photo_path).catch(() => null) : null,
      recipientSignature: receipt.signature_path ? await files.read(receipt.signature_path).catch(() => null) : null,
      office: config.office,
    });
    // Embedded PAdES signature; the handover time as signing time keeps the bytes deterministic.
    const signed = await adapters.pdfSigner.sign(pdf, {
      reason: `Tanda terima ${receipt.number} atas ${DOCUMENT_TYPE_LABELS[c.document_type]} ${c.registration_number}`,
      location: 'Kabupaten Grobogan',
      contactInfo: `${config.publicBaseUrl}/verifikasi/${c.registration_number}`,
      signingTime: new Date(receipt.delivered_at),
    });
    await storeDocument(registrationNumber, 'receipt', 1, `documents/${registrationNumber}/tanda-terima.pdf`, signed);
  }

  type PrintConfirmInput = { registrationNumber: string; attempt: number; at: number };
  type PrintFailureInput = { registrationNumber: string; documentType: DocumentType; attempt: number; inputId: string; actorUsername: string; at: number };

  /** The operator confirmed the card came out right: it counts in the day's recap. */
  async function markPrintConfirmed(o: PrintConfirmInput): Promise<void> {
    await db
      .updateTable('print_jobs')
      .set({ status: 'CONFIRMED', confirmed_at: new Date(o.at) })
      .where('registration_number', '=', o.registrationNumber)
      .where('attempt', '=', o.attempt)
      .where('status', '=', 'PRINTED')
      .execute();
    // The job file holds the card's personal data: gone once the print is confirmed.
    await discardPrintJob(files, o.registrationNumber, o.attempt);
  }

  /** A failed print: the job is marked FAILED and the spoiled blank recorded (once). */
  async function markPrintFailed(o: PrintFailureInput): Promise<void> {
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
    // A spoiled print's job is not needed either (the next attempt writes its own).
    await discardPrintJob(files, o.registrationNumber, o.attempt);
  }

  /** The archive: a manifest of every event and every produced document with its SHA-256. */
  async function archiveCaseOnce(o: { registrationNumber: string; at: number }): Promise<{ path: string; sha256: string }> {
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
  }

  /**
   * One print attempt: takes one blank and records the print job in one transaction, sends the
   * job to the printer and produces the delivery label. NO_STOCK when no blank is left.
   */
  async function printCardOnce(o: { registrationNumber: string; documentType: DocumentType; attempt: number; at: number }): Promise<PrintResult> {
    const jobPath = printJobPath(o.registrationNumber, o.attempt);
    if (await findDocument(db, o.registrationNumber, 'label', o.attempt)) return { status: 'PRINTED', jobPath };
    let job = await findPrintJob(db, o.registrationNumber, o.attempt);
    if (!job) {
      const lowStock = lowStockHook({ threshold: config.BLANK_LOW_STOCK, provider: adapters.whatsapp.provider });
      const outcome = await db.transaction().execute(async (trx) => {
        const taken = await consumeBlank(trx, {
          documentType: o.documentType,
          registrationNumber: o.registrationNumber,
          idempotencyKey: `consume:${o.registrationNumber}:${o.attempt}`,
          at: new Date(o.at),
          onChange: lowStock.onChange,
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
      // The low-stock alert is in the outbox already (same transaction); a failed send must not fail the print.
      for (const n of lowStock.enqueued) await send(n).catch(() => undefined);
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
      office: config.office,
    });
    await storeDocument(o.registrationNumber, 'label', o.attempt, `documents/${o.registrationNumber}/label-${o.attempt}.pdf`, label);
    return { status: 'PRINTED', jobPath: job?.job_path ?? jobPath };
  }

  return {
    /** The read model: cases row, step runs, escalations and timeline, in one transaction. */
    async recordTransition(t: TransitionRecord): Promise<void> {
      await applyTransition(db, t);
    },

    /**
     * One staff action's records in one local activity (patch ONE_RECORD_PER_ACTION_PATCH): the
     * record the action produces (TTE signature, print confirmation or failure, receipt) first, then
     * its transition in the read model. Both parts are idempotent, so a retry redoes them safely.
     */
    async recordAction(o: { transition: TransitionRecord; signature?: SignInput; printConfirmed?: PrintConfirmInput; printFailed?: PrintFailureInput; receipt?: ReceiptInput }): Promise<void> {
      if (o.signature) await ensureSignature(o.signature);
      if (o.printConfirmed) await markPrintConfirmed(o.printConfirmed);
      if (o.printFailed) await markPrintFailed(o.printFailed);
      if (o.receipt) {
        const receipt = await ensureReceipt(o.receipt);
        // The workflow derived the number itself (receiptNumberOf), as ensureReceipt does: a difference is a bug to see in the log.
        if (receipt.number !== receiptNumberOf(o.receipt.registrationNumber)) {
          logger.warn('receipt number differs from the derived one', { registrationNumber: o.receipt.registrationNumber, receiptNumber: receipt.number });
        }
      }
      await applyTransition(db, o.transition);
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
          text = `Permohonan ${reg} belum dapat diproses. Alasan: ${endSentence(reason)} Silakan kirim perbaikan berkas${due} melalui ${track}.`;
          break;
        }
        case 'RESUBMISSION_RECEIVED':
          text = `Perbaikan berkas untuk permohonan ${reg} telah kami terima dan akan diverifikasi ulang. Pantau di ${track}.`;
          break;
        case 'CANCELLED': {
          const reason = str((await actionInput(o.inputId)).reason);
          text = `Permohonan ${reg} telah dibatalkan.${reason ? ` Alasan: ${endSentence(reason)}` : ''} Rincian: ${track}.`;
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
        case 'DELIVERY_FAILED': {
          const body = await actionInput(o.inputId);
          const code = str(body.reason) as DeliveryFailureReason | null;
          const why = code && code in DELIVERY_FAILURE_REASON_LABELS ? DELIVERY_FAILURE_REASON_LABELS[code].toLowerCase() : 'alasan lain';
          const failedCount = c.delivery_attempts ?? 0;
          text =
            `${doc} Anda (${reg}) belum dapat kami antar (${why}). Ekspedisi akan mencoba lagi pada hari kerja berikutnya` +
            ` (percobaan ${failedCount + 1} dari ${config.MAX_DELIVERY_ATTEMPTS}). Bila alamat perlu diperbaiki, atau Anda ingin mengambilnya di kantor Disdukcapil, buka ${track}.`;
          break;
        }
        case 'OFFICE_PICKUP':
          text =
            `${doc} Anda (${reg}) kini menunggu di kantor Disdukcapil Grobogan. Silakan ambil pada hari dan jam kerja dengan membawa nomor registrasi ini;` +
            ` petugas akan mencatat penyerahan dengan tanda terima. Info: ${track}.`;
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

    /** TTE: the signature row, the approval PDF (PAdES) and the v2 payload over its hash (the first workflow version's activity). */
    async signApproval(o: SignInput): Promise<{ keyId: string }> {
      const sig = await ensureSignature(o);
      await ensureApprovalDocument(o.registrationNumber);
      return { keyId: sig.key_id };
    },

    /** TTE record only (who signed, when), on the approval's critical path; the PDF and the signed payload follow in `renderApprovalDocument`. */
    async recordSignature(o: SignInput): Promise<{ keyId: string }> {
      return { keyId: (await ensureSignature(o)).key_id };
    },

    /** The approval PDF of the recorded signature (once, PAdES-signed), then the Ed25519 payload v2 over its SHA-256. */
    async renderApprovalDocument(o: { registrationNumber: string }): Promise<void> {
      await ensureApprovalDocument(o.registrationNumber);
    },

    /**
     * One print attempt: takes one blank and records the print job in one transaction, sends the
     * job to the printer and produces the delivery label. NO_STOCK when no blank is left.
     */
    async printCard(o: { registrationNumber: string; documentType: DocumentType; attempt: number; at: number }): Promise<PrintResult> {
      return printCardOnce(o);
    },

    /**
     * One print attempt and its transition (patch ONE_RECORD_PER_ACTION_PATCH): `printCard`, then the
     * read model gets `printed` (PRINTED) or, with no blank left, `noStock` (WAITING_FOR_BLANKS, when
     * the workflow was not waiting for blanks already). Both records carry the same seq: exactly one
     * is applied. The workflow holds its escalations back while this runs, so no other transition
     * can take that seq.
     */
    async printCardAndRecord(o: { registrationNumber: string; documentType: DocumentType; attempt: number; at: number; printed: TransitionRecord; noStock: TransitionRecord | null }): Promise<PrintResult> {
      const result = await printCardOnce(o);
      const rec = result.status === 'PRINTED' ? o.printed : o.noStock;
      if (rec) await applyTransition(db, rec);
      return result;
    },

    /** The operator confirmed the card came out right: it counts in the day's recap. */
    async confirmPrint(o: PrintConfirmInput): Promise<void> {
      await markPrintConfirmed(o);
    },

    /** A failed print: the job is marked FAILED and the spoiled blank recorded (once). */
    async recordPrintFailure(o: PrintFailureInput): Promise<void> {
      await markPrintFailed(o);
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

    /**
     * The archive and its ARCHIVED transition in one activity (patch ONE_RECORD_PER_ACTION_PATCH):
     * the manifest is built first (from the timeline without ARCHIVED, as before), then the
     * transition is recorded with the manifest's path and hash filled into its ARCHIVED event.
     */
    async archiveAndRecord(o: { registrationNumber: string; at: number; transition: TransitionRecord }): Promise<{ path: string; sha256: string }> {
      const archive = await archiveCaseOnce(o);
      const events = o.transition.events?.map((e) => (e.type === 'ARCHIVED' ? { ...e, data: { ...e.data, manifest: archive.path, sha256: archive.sha256 } } : e));
      await applyTransition(db, { ...o.transition, ...(events ? { events } : {}) });
      return archive;
    },

    async archiveCase(o: { registrationNumber: string; at: number }): Promise<{ path: string; sha256: string }> {
      return archiveCaseOnce(o);
    },


    /**
     * Closes the daily recap of `date` (once; a repeat returns the archived one). With `skipIfEmpty`
     * (a weekend or holiday) a day with no confirmed print and no damaged blank is left unclosed.
     */
    async buildDailyRecap(o: { date: string; skipIfEmpty?: boolean }): Promise<{ date: string; count: number; skipped?: boolean }> {
      if (o.skipIfEmpty) {
        const c = await recapContent(db, o.date);
        if (!c.prints.length && !c.damaged.length) return { date: o.date, count: 0, skipped: true };
      }
      const r = await closeDailyRecap({ db, files, office: config.office }, o.date);
      return { date: o.date, count: r.count };
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
