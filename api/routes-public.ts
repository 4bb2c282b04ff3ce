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
import { findStaff } from '../db/repositories/staff.js';
import { sessionAnswer } from './auth/session.js';
import { clearLoginFailures, lockedUntil, recordLoginFailure } from '../db/repositories/login-throttle.js';
import { accountLocked } from './auth/lockout.js';
import { signatureOf } from '../db/repositories/cases.js';
import { maskName, readSignedPayload } from '../domain/signature.js';
import { ApiError, problemSchema } from './errors.js';
import type { RouteContext } from './context.js';
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
import { replayIdempotent, submissionRequestHash, submitApplication } from './submission.js';
import { trackingViewFromSnapshot } from './case-view.js';
import { dataAccessItems } from './access/data-access.js';
import { applicantCaseByNumber, trackApplicantByNumber } from './applicant/access.js';
import { cancelAsApplicant, resubmitAsApplicant } from './applicant/service.js';
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
        409: problem('Masih ada permohonan berjalan untuk NIK dan jenis dokumen ini; nomornya tidak disebut, tetapi dikirim ulang ke WhatsApp permohonan tersebut (paling banyak sekali per jam)'),
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
      description:
        'NIK dikirim di badan permintaan, tidak pernah di URL. NIK yang salah dijawab sama dengan nomor yang tidak dikenal (404). ' +
        'dataAccess: peran petugas yang membuka data pribadi permohonan ini, dan kapan (bukan nama petugas).' +
        'Percobaan dibatasi per permohonan, dan percobaan gagal per NIK (menebak nomor registrasi dengan NIK orang lain tidak berhasil).',
      tags: ['publik'],
      auth: null,
      body: trackingRequestSchema,
      responses: {
        200: { description: 'Status permohonan', schema: trackingResponseSchema },
        404: problem('Tidak ditemukan'),
        410: problem('Data pribadi telah dihapus sesuai masa retensi'),
        429: problem('Terlalu banyak percobaan untuk permohonan ini atau dengan NIK ini'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const body = parseBody(trackingRequestSchema, req.body);
      const t = await trackApplicantByNumber(ctx, body.registrationNumber, body.nik);
      const view = await trackingViewFromSnapshot(ctx.db, t.case, t.runs, t.receipt, ctx.config.policy.standardMinutes);
      res.json({ ...view, dataAccess: dataAccessItems(t.access) });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/resubmission',
      operationId: 'resubmit',
      summary: 'Kirim perbaikan berkas setelah penolakan — NIK dan nomor registrasi, atau POST /api/tracking/{token}/…',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      body: resubmissionSchema,
      responses: {
        202: { description: 'Perbaikan diterima; permohonan kembali ke verifikasi dokumen', schema: actionResponseSchema },
        404: problem('Tidak ditemukan (nomor dan NIK tidak cocok)'),
        410: problem('Data pribadi telah dihapus'),
        429: problem('Terlalu banyak percobaan (per alamat, per permohonan, atau per NIK)'),
        409: problem('Permohonan tidak sedang menunggu perbaikan'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(resubmissionSchema, req.body);
      const att = validateAttachments(body.attachments);
      if (att.errors.length > 0) throw ApiError.validation(att.errors);
      const c = await applicantCaseByNumber(ctx, regNo, body.nik, 'change');
      const due = c.resubmission_due_at ? new Date(c.resubmission_due_at).getTime() : null;
      if ((c.status === 'REJECTED' || c.status === 'AWAITING_RESUBMISSION') && due !== null && due <= ctx.now()) {
        throw new ApiError(
          'conflict',
          `Batas waktu perbaikan berkas sudah lewat (${indonesianDate(due)}); permohonan ini ditutup. Silakan ajukan permohonan baru bila masih diperlukan.`,
        );
      }
      res.status(202).json(await resubmitAsApplicant(ctx, c, body));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/cancellation',
      operationId: 'applicantCancel',
      summary: 'Pembatalan oleh pemohon (sebelum pencetakan) — NIK dan nomor registrasi, atau POST /api/tracking/{token}/…',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      body: applicantCancellationSchema,
      responses: {
        200: { description: 'Permohonan dibatalkan', schema: actionResponseSchema },
        404: problem('Tidak ditemukan (nomor dan NIK tidak cocok)'),
        410: problem('Data pribadi telah dihapus'),
        429: problem('Terlalu banyak percobaan (per alamat, per permohonan, atau per NIK)'),
        409: problem('Tidak dapat dibatalkan pada tahap ini'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(applicantCancellationSchema, req.body);
      const c = await applicantCaseByNumber(ctx, regNo, body.nik, 'change');
      res.json(await cancelAsApplicant(ctx, c, body));
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
      // A v2 row is signed once its approval PDF exists (a moment after the approval).
      if (!sig.signature) throw ApiError.notFound('Tanda tangan elektronik untuk nomor registrasi ini sedang dibuat. Coba lagi sebentar lagi.');
      // Only what the verified payload says is shown: no column of the row is trusted on its own.
      const facts = ctx.signer.verify(sig.payload, sig.signature) ? readSignedPayload(sig.payload) : null;
      // The signed payload must name this very case (a copied signature proves nothing).
      const valid = facts !== null && facts.registrationNumber === regNo;
      if (!valid) {
        res.json({ registrationNumber: regNo, valid: false, payloadVersion: null, signer: null, signedAt: null, documentType: null, document: null, documentSha256: null, holderName: null, keyId: null });
        return;
      }
      const holder = await ctx.db.selectFrom('cases').select('subject_name').where('registration_number', '=', regNo).executeTakeFirst();
      res.json({
        registrationNumber: regNo,
        valid: true,
        payloadVersion: facts.payloadVersion,
        signer: facts.signer,
        signedAt: facts.signedAt,
        documentType: facts.documentType,
        document: facts.documentSha256 ? { kind: 'approval', title: `Surat persetujuan pencetakan ${DOCUMENT_TYPE_LABELS[facts.documentType]}`, sha256: facts.documentSha256 } : null,
        documentSha256: facts.documentSha256,
        holderName: holder?.subject_name ? maskName(holder.subject_name) : null,
        keyId: ctx.signer.keyId,
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
      responses: {
        200: { description: 'Token; mustChangePassword: true berarti semua rute lain menjawab 403 sampai kata sandi diganti', schema: loginResponseSchema },
        401: problem('Nama pengguna atau kata sandi salah'),
        429: problem('Terlalu banyak percobaan: akun dikunci 15 menit (Retry-After)'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const body = parseBody(loginSchema, req.body);
      const now = new Date(ctx.now());
      // Per account, in the database (every process, whatever X-Forwarded-For says): SPEC §9.
      const locked = await lockedUntil(ctx.db, body.username, now);
      if (locked) throw accountLocked(locked, now);
      const staff = await findStaff(ctx.db, body.username);
      // Hash even for unknown users: the answer time does not reveal which usernames exist.
      const ok = await verifyPassword(body.password, staff?.password_hash ?? (await dummyPasswordHash()));
      if (!staff || !staff.active || !ok) {
        await recordLoginFailure(ctx.db, body.username, now);
        throw new ApiError('unauthorized', 'Nama pengguna atau kata sandi salah.');
      }
      await clearLoginFailures(ctx.db, body.username);
      const issued = ctx.tokens.issue({ username: staff.username, role: staff.role, name: staff.name, tokenVersion: staff.token_version }, ctx.now());
      res.json({
        // The token in the body (API clients), or in the HttpOnly cookie with `X-Session: cookie` (the console).
        ...sessionAnswer(req, res, issued, ctx.config.publicBaseUrl),
        user: { username: staff.username, name: staff.name, role: staff.role },
        mustChangePassword: staff.must_change_password,
      });
    },
  );
}
