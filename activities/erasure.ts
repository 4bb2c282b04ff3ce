/**
 * Erasure of a case's personal data (SPEC §9): by the retention Schedule RETENTION_DAYS after the
 * case closed, or by an admin on request. Keeps the non-personal record: steps, times, escalations,
 * district, document type, event types and actors, and the documents' and attachments' hashes, so
 * SLA reports and the archive still work.
 *
 * Crash-safe and idempotent, in three phases:
 *   1. the erasure_log row is inserted (started) — the marker that an erasure is under way;
 *   2. the case's files are deleted (whole per-case directories; deleting twice is harmless) and the
 *      archive manifest is rewritten with hashes only (deterministic content);
 *   3. one transaction wipes every personal column and completes the log row.
 * A crash anywhere leaves a started log row: the next run (Schedule or admin retry) resumes at
 * phase 2 and ends at the same state.
 */
import fs from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FileStore } from '../infra/files.js';
import { retentionCutoff } from '../domain/privacy.js';

export interface ErasureDeps {
  db: Kysely<Database>;
  files: FileStore;
}

export interface ErasureRequest {
  trigger: 'RETENTION' | 'REQUEST';
  reason: string;
  actorUsername: string | null;
  actorRole?: string | null;
  at: number;
}

/** Test seam: called between the phases (a throw simulates a crash there). */
export interface ErasureHooks {
  afterStarted?(): void | Promise<void>;
  afterFiles?(): void | Promise<void>;
}

/** Per-case directories that hold only that case's personal files. */
const CASE_DIRS = ['attachments', 'print-jobs', 'receipts', 'documents'] as const;

/** `true` when erased now or already; `false` when the case is unknown. */
export async function eraseCasePersonalData(deps: ErasureDeps, registrationNumber: string, req: ErasureRequest, hooks: ErasureHooks = {}): Promise<boolean> {
  const { db, files } = deps;
  const c = await db.selectFrom('cases').select(['registration_number', 'personal_data_erased_at']).where('registration_number', '=', registrationNumber).executeTakeFirst();
  if (!c) return false;
  if (c.personal_data_erased_at) return true;

  // Phase 1: the marker (the first request's trigger, reason and time win on a resume).
  await db
    .insertInto('erasure_log')
    .values({ registration_number: registrationNumber, trigger: req.trigger, reason: req.reason, actor_username: req.actorUsername, started_at: new Date(req.at), completed_at: null })
    .onConflict((oc) => oc.column('registration_number').doNothing())
    .execute();
  const log = await db.selectFrom('erasure_log').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow();
  await hooks.afterStarted?.();

  // Phase 2: files.
  let deleted = 0;
  for (const dir of CASE_DIRS) {
    const abs = files.absolute(`${dir}/${registrationNumber}`);
    deleted += await countFiles(abs);
    await fs.rm(abs, { recursive: true, force: true });
  }
  const archive = await db
    .selectFrom('documents')
    .selectAll()
    .where('registration_number', '=', registrationNumber)
    .where('kind', '=', 'archive')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  let archiveFile: { sha256: string; size: number } | null = null;
  if (archive) {
    const manifest = await hashesOnlyManifest(db, registrationNumber, new Date(log.started_at));
    const stored = await files.put(archive.storage_path, manifest);
    archiveFile = { sha256: stored.sha256, size: stored.size };
  }
  await hooks.afterFiles?.();

  // Phase 3: the rows, in one transaction.
  const erasedAt = new Date(req.at);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cases')
      .set({
        subject_nik: '',
        subject_name: '',
        subject_birth_date: '',
        subject_married: false,
        kk_number: '',
        contact_name: '',
        contact_phone: '',
        // The names' search forms (normalised copies) are personal data too.
        subject_name_search: null,
        contact_name_search: null,
        address: '',
        rt: '',
        rw: '',
        village: '',
        delivery_note: null,
        rejection_reason: null,
        personal_data_erased_at: erasedAt,
      })
      .where('registration_number', '=', registrationNumber)
      .execute();
    await trx.updateTable('attachments').set({ file_name: '', storage_path: '' }).where('registration_number', '=', registrationNumber).execute();
    await trx.updateTable('receipts').set({ received_by: '', note: null, photo_path: null, signature_path: null }).where('registration_number', '=', registrationNumber).execute();
    await trx.updateTable('print_jobs').set({ job_path: '', failure_reason: null }).where('registration_number', '=', registrationNumber).execute();
    await trx
      .updateTable('documents')
      .set({ storage_path: '' })
      .where('registration_number', '=', registrationNumber)
      .where('kind', '!=', 'archive')
      .execute();
    if (archive && archiveFile) {
      await trx.updateTable('documents').set({ sha256: archiveFile.sha256, size_bytes: archiveFile.size }).where('id', '=', archive.id).execute();
    }
    await trx.updateTable('action_inputs').set({ body: sql`'{}'::jsonb` }).where('registration_number', '=', registrationNumber).execute();
    await trx.updateTable('case_events').set({ data: sql`'{}'::jsonb` }).where('registration_number', '=', registrationNumber).execute();
    await trx
      .updateTable('notifications')
      .set({ recipient: '', text: '' })
      .where('registration_number', '=', registrationNumber)
      .where('kind', '=', 'APPLICANT')
      .execute();
    await trx.updateTable('tracking_tokens').set({ token_sealed: null }).where('registration_number', '=', registrationNumber).execute();
    await trx
      .insertInto('case_events')
      .values({
        registration_number: registrationNumber,
        event_key: 'erasure',
        type: 'PERSONAL_DATA_ERASED',
        step_key: null,
        actor_username: log.actor_username,
        actor_role: log.actor_username ? (req.actorRole ?? null) : null,
        data: JSON.stringify({ trigger: log.trigger, reason: log.reason }),
        at: erasedAt,
      })
      .onConflict((oc) => oc.columns(['registration_number', 'event_key']).doNothing())
      .execute();
    await trx
      .updateTable('erasure_log')
      .set({ completed_at: erasedAt, files_deleted: sql<number>`files_deleted + ${deleted}` })
      .where('id', '=', log.id)
      .execute();
  });
  return true;
}

async function countFiles(dir: string): Promise<number> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/** The archive manifest after erasure: event types and times, documents' and attachments' hashes; nothing personal. */
async function hashesOnlyManifest(db: Kysely<Database>, registrationNumber: string, erasedAt: Date): Promise<string> {
  const [c, events, documents, attachments] = await Promise.all([
    db.selectFrom('cases').select(['registration_number', 'document_type', 'reason', 'district', 'status', 'submitted_at', 'closed_at']).where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow(),
    db.selectFrom('case_events').select(['event_key', 'type', 'step_key', 'actor_username', 'actor_role', 'at']).where('registration_number', '=', registrationNumber).orderBy('at').orderBy('id').execute(),
    db.selectFrom('documents').select(['kind', 'version', 'sha256', 'size_bytes']).where('registration_number', '=', registrationNumber).where('kind', '!=', 'archive').orderBy('kind').orderBy('version').execute(),
    db.selectFrom('attachments').select(['kind', 'round', 'sha256', 'size_bytes']).where('registration_number', '=', registrationNumber).orderBy('round').orderBy('kind').orderBy('sha256').execute(),
  ]);
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return JSON.stringify(
    {
      registrationNumber: c.registration_number,
      personalDataErasedAt: erasedAt.toISOString(),
      documentType: c.document_type,
      reason: c.reason,
      district: c.district,
      status: c.status,
      submittedAt: iso(c.submitted_at),
      closedAt: iso(c.closed_at),
      events: events.filter((e) => e.type !== 'PERSONAL_DATA_ERASED').map((e) => ({ key: e.event_key, type: e.type, stepKey: e.step_key, actorUsername: e.actor_username, actorRole: e.actor_role, at: iso(e.at) })),
      documents: documents.map((d) => ({ kind: d.kind, version: d.version, sizeBytes: d.size_bytes, sha256: d.sha256 })),
      attachments: attachments.map((a) => ({ kind: a.kind, round: a.round, sizeBytes: a.size_bytes, sha256: a.sha256 })),
    },
    null,
    2,
  );
}

/**
 * Cases due: closed more than `retentionDays` ago and not erased, plus erasures started and not
 * completed (a crash midway, or an admin request interrupted). Oldest first, at most `limit`.
 */
export async function eraseExpiredCases(
  deps: ErasureDeps,
  o: { at: number; retentionDays: number; limit: number },
  hooks: ErasureHooks = {},
): Promise<{ erased: number; more: boolean }> {
  const cutoff = new Date(retentionCutoff(o.at, o.retentionDays));
  const interrupted = await deps.db.selectFrom('erasure_log').select('registration_number').where('completed_at', 'is', null).orderBy('started_at').limit(o.limit).execute();
  const due = await deps.db
    .selectFrom('cases')
    .select('registration_number')
    .where('personal_data_erased_at', 'is', null)
    .where('status', 'not in', ['IN_PROGRESS', 'AWAITING_RESUBMISSION'])
    .where('closed_at', 'is not', null)
    .where('closed_at', '<', cutoff)
    .orderBy('closed_at')
    .limit(o.limit + 1)
    .execute();
  const list = [...new Set([...interrupted.map((r) => r.registration_number), ...due.slice(0, o.limit).map((r) => r.registration_number)])];
  let erased = 0;
  for (const regNo of list) {
    if (await eraseCasePersonalData(deps, regNo, { trigger: 'RETENTION', reason: `Masa retensi ${o.retentionDays} hari setelah permohonan ditutup telah lewat`, actorUsername: null, at: o.at }, hooks)) erased++;
  }
  return { erased, more: due.length > o.limit };
}
