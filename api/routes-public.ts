/** Public routes (no login): submission, tracking, resubmission, cancellation, TTE check, SOP, login. */
import { jakartaDateTime } from '../domain/calendar.js';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { parseIndonesian } from '../domain/actions.js';
import {
  ACTION_RULES,
  ACTION_NAMES,
  CASE_EVENT_LABELS,
  CASE_STATUS_LABELS,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_TYPE_LABELS,
  RELATIONSHIP_LABELS,
  REQUEST_REASON_LABELS,
  ROLE_LABELS,
  SOP_STEPS,
  SUPERVISOR_ROLES,
  WAITING_FOR_LABELS,
} from '../domain/sop.js';
import { ATTACHMENT_KIND_LABELS, jakartaDateString } from '../domain/citizen.js';
import { findCase } from '../db/repositories/cases.js';
import { getAttachment, insertAttachments, latestRound } from '../db/repositories/attachments.js';
import { findStaff } from '../db/repositories/staff.js';
import { signatureOf } from '../db/repositories/cases.js';
import type { CaseRow } from '../db/schema.js';
import { ApiError, problemSchema } from './errors.js';
import type { RouteContext } from './app.js';
import {
  actionResponseSchema,
  applicantCancellationSchema,
  loginResponseSchema,
  loginSchema,
  nulCharacterErrors,
  registrationNumberSchema,
  resubmissionSchema,
  sopResponseSchema,
  submissionResponseSchema,
  submissionSchema,
  trackingRequestSchema,
  trackingResponseSchema,
  validateAttachments,
  validateSubmission,
  verifyResponseSchema,
} from './schemas.js';
import { replayIdempotent, storeAttachments, submissionRequestHash, submitApplication } from './submission.js';
import { trackingView } from './case-view.js';
import { derivedUuid, executeCaseAction } from './case-actions.js';
import { dummyPasswordHash, verifyPassword } from './auth.js';

/** Validates a body with a zod schema; 400 with Indonesian field errors. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.validation([{ path: '', message: 'Badan permintaan harus berupa objek JSON (Content-Type: application/json)' }]);
  }
  const r = parseIndonesian(schema, body);
  if (!r.ok) throw ApiError.validation(r.errors);
  const nul = nulCharacterErrors(r.value);
  if (nul.length > 0) throw ApiError.validation(nul);
  return r.value;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const r = parseIndonesian(schema, query ?? {});
  if (!r.ok) throw ApiError.validation(r.errors, 'Parameter tidak valid.');
  const nul = nulCharacterErrors(r.value);
  if (nul.length > 0) throw ApiError.validation(nul, 'Parameter tidak valid.');
  return r.value;
}

export function regNoParam(req: Request): string {
  const r = registrationNumberSchema.safeParse(req.params.regNo);
  // A malformed number cannot name a case: the same 404 as an unknown one.
  if (!r.success) throw ApiError.notFound('Permohonan tidak ditemukan.');
  return r.data;
}

const MONTHS_ID = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
/** "3 Desember 2026, 14.05 WIB" (Asia/Jakarta). */
export function indonesianDate(t: number): string {
  const [date, time] = jakartaDateTime(t).split(' ');
  const [y, m, d] = date!.split('-').map(Number);
  return `${d} ${MONTHS_ID[m! - 1]} ${y}${time ? `, ${time.slice(0, 5).replace(':', '.')} WIB` : ''}`;
}
const UNKNOWN_CASE = 'Permohonan tidak ditemukan. Periksa nomor registrasi dan NIK.';

/** The case if the NIK is the subject's; otherwise the same 404 as an unknown number. */
async function caseForApplicant(ctx: RouteContext, registrationNumber: string, nik: string): Promise<CaseRow> {
  const c = await findCase(ctx.db, registrationNumber);
  if (!c || c.subject_nik !== nik) throw ApiError.notFound(UNKNOWN_CASE);
  return c;
}

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const regNoParamSpec = { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } };

export function registerPublicRoutes(router: Router, ctx: RouteContext): void {
  const { registry } = ctx;

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications',
      operationId: 'submitApplication',
      summary: 'Ajukan permohonan cetak dan antar KTP-el / KIA',
      description:
        'Semua aturan SPEC §3. Lampiran diperiksa dari isinya (JPEG, PNG, PDF), maksimal 2 MiB (400 dengan kesalahan per isian) dan maksimal 6. ' +
        'Header Idempotency-Key: permintaan ulang dengan kunci dan isi yang sama mendapat jawaban pertama; kunci sama dengan isi berbeda → 422.',
      tags: ['publik'],
      auth: null,
      body: submissionSchema,
      headers: { 'Idempotency-Key': { description: 'Kunci unik dari klien untuk pengiriman ulang yang aman (maks. 200 karakter)' } },
      responses: {
        201: { description: 'Permohonan diterima', schema: submissionResponseSchema },
        409: problem('Masih ada permohonan berjalan untuk NIK dan jenis dokumen ini (registrationNumber disebut)'),
        422: problem('Idempotency-Key dipakai untuk isi berbeda'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const key = req.get('idempotency-key')?.trim() || undefined;
      if (key && key.length > 200) throw ApiError.validation([{ path: 'Idempotency-Key', message: 'Idempotency-Key maksimal 200 karakter' }]);
      if (req.body === undefined || typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) parseBody(submissionSchema, req.body);
      const requestHash = submissionRequestHash(req.body);
      const replay = await replayIdempotent(ctx.db, key, requestHash);
      if (replay) {
        res.status(replay.statusCode).json(replay.body);
        return;
      }
      const nowMs = ctx.now();
      const v = validateSubmission(req.body, jakartaDateString(nowMs));
      if (!v.ok) throw ApiError.validation(v.errors);
      const answer = await submitApplication(ctx, v.value, { idempotencyKey: key, requestHash, nowMs });
      const regNo = (answer.body as { registrationNumber: string }).registrationNumber;
      res.status(answer.statusCode).location(`/api/applications/${regNo}`).json(answer.body);
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/tracking',
      operationId: 'trackApplication',
      summary: 'Lacak permohonan dengan nomor registrasi dan NIK',
      description: 'NIK dikirim di badan permintaan, tidak pernah di URL. NIK yang salah dijawab sama dengan nomor yang tidak dikenal (404).',
      tags: ['publik'],
      auth: null,
      body: trackingRequestSchema,
      responses: { 200: { description: 'Status permohonan', schema: trackingResponseSchema }, 404: problem('Tidak ditemukan') },
    },
    ctx.publicLimit,
    async (req, res) => {
      const body = parseBody(trackingRequestSchema, req.body);
      const c = await caseForApplicant(ctx, body.registrationNumber, body.nik);
      res.json(await trackingView(ctx.db, c, ctx.config.policy.standardMinutes));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/resubmission',
      operationId: 'resubmit',
      summary: 'Kirim perbaikan berkas setelah penolakan',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      body: resubmissionSchema,
      responses: {
        202: { description: 'Perbaikan diterima; permohonan kembali ke verifikasi dokumen', schema: actionResponseSchema },
        404: problem('Tidak ditemukan'),
        409: problem('Permohonan tidak sedang menunggu perbaikan'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(resubmissionSchema, req.body);
      const att = validateAttachments(body.attachments);
      if (att.errors.length > 0) throw ApiError.validation(att.errors);
      const c = await caseForApplicant(ctx, regNo, body.nik);
      const due = c.resubmission_due_at ? new Date(c.resubmission_due_at).getTime() : null;
      if ((c.status === 'REJECTED' || c.status === 'AWAITING_RESUBMISSION') && due !== null && due <= Date.now()) {
        throw new ApiError(
          'conflict',
          `Batas waktu perbaikan berkas sudah lewat (${indonesianDate(due)}); permohonan ini ditutup. Silakan ajukan permohonan baru bila masih diperlukan.`,
        );
      }
      if (c.status !== 'AWAITING_RESUBMISSION') {
        throw new ApiError('conflict', 'Permohonan ini tidak sedang menunggu perbaikan berkas.');
      }
      const result = await executeCaseAction({
        db: ctx.db,
        temporal: ctx.temporal,
        action: 'resubmit',
        actor: null,
        identityBody: body,
        storedBody: { note: body.note ?? null },
        caseRow: c,
        // Attachment ids derive from the input id: a retried request stores nothing twice.
        prepare: async ({ inputId }) => {
          const ids = att.valid.map((_, i) => derivedUuid(`${inputId}:attachment:${i}`));
          const existing = ids.length ? await getAttachment(ctx.db, regNo, ids[0]!) : null;
          const round = existing ? existing.round : (await latestRound(ctx.db, regNo)) + 1;
          if (!existing) {
            const rows = await storeAttachments(ctx.files, regNo, att.valid, round, ids);
            await insertAttachments(ctx.db, rows);
          }
          return { round, attachmentIds: ids, kinds: att.valid.map((a) => a.kind) };
        },
      });
      res.status(202).json(result);
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/cancellation',
      operationId: 'applicantCancel',
      summary: 'Pembatalan oleh pemohon (sebelum pencetakan)',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      body: applicantCancellationSchema,
      responses: {
        200: { description: 'Permohonan dibatalkan', schema: actionResponseSchema },
        404: problem('Tidak ditemukan'),
        409: problem('Tidak dapat dibatalkan pada tahap ini'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(applicantCancellationSchema, req.body);
      const c = await caseForApplicant(ctx, regNo, body.nik);
      const result = await executeCaseAction({
        db: ctx.db,
        temporal: ctx.temporal,
        action: 'applicant-cancel',
        actor: null,
        identityBody: body,
        storedBody: { reason: body.reason, by: 'applicant' },
        caseRow: c,
      });
      res.json(result);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/verify/:regNo',
      operationId: 'verifySignature',
      summary: 'Periksa keabsahan tanda tangan elektronik (TTE)',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      responses: { 200: { description: 'Hasil pemeriksaan', schema: verifyResponseSchema }, 404: problem('Belum ditandatangani atau tidak dikenal') },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const sig = await signatureOf(ctx.db, regNo);
      if (!sig) throw ApiError.notFound('Tidak ada tanda tangan elektronik untuk nomor registrasi ini.');
      let valid = false;
      try {
        valid = ctx.signer.verify(sig.payload, sig.signature);
        // The signed payload must name this very case (a copied signature proves nothing).
        const payload = JSON.parse(sig.payload) as { registrationNumber?: unknown };
        if (payload.registrationNumber !== undefined && payload.registrationNumber !== regNo) valid = false;
      } catch {
        valid = false;
      }
      res.json({
        registrationNumber: regNo,
        valid,
        signer: { name: sig.signer_name, role: sig.signer_role },
        signedAt: new Date(sig.signed_at).toISOString(),
        documentType: sig.document_type,
        keyId: sig.key_id,
      });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/sop',
      operationId: 'sop',
      summary: 'Tabel SOP yang berlaku di instansi ini',
      tags: ['publik'],
      auth: null,
      responses: { 200: { description: 'Langkah, peran, waktu baku', schema: sopResponseSchema } },
    },
    (_req, res) => {
      const { policy } = ctx.config;
      res.json({
        steps: SOP_STEPS.map((s) => ({
          number: s.number,
          key: s.key,
          title: s.title,
          actor: s.actor,
          role: s.responsibleRole,
          standardMinutes: policy.standardMinutes[s.key],
          defaultStandardMinutes: s.standardMinutes,
          output: s.output,
        })),
        slaClock: policy.slaClock,
        resubmissionDays: policy.resubmissionDays,
        actions: ACTION_NAMES.map((a) => ({ name: a, title: ACTION_RULES[a].title, roles: [...ACTION_RULES[a].roles], steps: [...ACTION_RULES[a].steps] })),
        roleLabels: ROLE_LABELS,
        supervisorRoles: [...SUPERVISOR_ROLES],
        documentTypeLabels: DOCUMENT_TYPE_LABELS,
        reasonLabels: REQUEST_REASON_LABELS,
        statusLabels: CASE_STATUS_LABELS,
        waitingLabels: WAITING_FOR_LABELS,
        relationshipLabels: RELATIONSHIP_LABELS,
        attachmentLabels: ATTACHMENT_KIND_LABELS,
        documentKindLabels: DOCUMENT_KIND_LABELS,
        eventLabels: CASE_EVENT_LABELS,
      });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/auth/login',
      operationId: 'login',
      summary: 'Masuk (petugas)',
      tags: ['petugas'],
      auth: null,
      body: loginSchema,
      responses: { 200: { description: 'Token', schema: loginResponseSchema }, 401: problem('Nama pengguna atau kata sandi salah') },
    },
    ctx.publicLimit,
    async (req, res) => {
      const body = parseBody(loginSchema, req.body);
      const staff = await findStaff(ctx.db, body.username);
      // Hash even for unknown users: the answer time does not reveal which usernames exist.
      const ok = await verifyPassword(body.password, staff?.password_hash ?? (await dummyPasswordHash()));
      if (!staff || !staff.active || !ok) throw new ApiError('unauthorized', 'Nama pengguna atau kata sandi salah.');
      const { token, expiresAt } = ctx.tokens.issue({ username: staff.username, role: staff.role, name: staff.name }, ctx.now());
      res.json({ token, expiresAt: expiresAt.toISOString(), user: { username: staff.username, name: staff.name, role: staff.role } });
    },
  );
}
