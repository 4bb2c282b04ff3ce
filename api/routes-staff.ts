/** Staff routes (Bearer token; roles per SPEC §4). */
import type { Router } from 'express';
import { z } from 'zod';
import { ACTION_BODY_SCHEMAS, isActionName, oldCardRequired, type HandoverBody } from '../domain/actions.js';
import {
  ACTION_NAMES,
  ACTION_RULES,
  ROLE_LABELS,
  SUPERVISOR_ROLES,
  ROLES,
  type ActionName,
  type Role,
} from '../domain/sop.js';
import { REGISTRATION_NUMBER_RE, decodeBase64, detectBase64ContentType, maskPhone, stripBase64 } from '../domain/citizen.js';
import { findCase, listCases } from '../db/repositories/cases.js';
import { createStaff, listStaff } from '../db/repositories/staff.js';
import { listNotifications } from '../db/repositories/notifications.js';
import { ApiError, problemSchema } from './errors.js';
import type { RouteContext } from './context.js';
import { hashPassword, requireRole } from './auth.js';
import { parseBody, parseQuery, regNoParam } from './routes-public.js';
import { SERVED_DOCUMENT_KINDS } from './case-view.js';
import { executeCaseAction } from './case-actions.js';
import { takeApprovalPassphrase } from './bulk/passphrase.js';
import { formJsonSchema } from './openapi.js';
import { checkPassword } from '../infra/password-strength.js';
import { staffItem, staffPhone } from './staff/router.js';
import { staffListSchema } from './staff/schemas.js';
import {
  actionResponseSchema,
  caseDetailSchema,
  caseListSchema,
  formsResponseSchema,
  listQuerySchema,
  notificationsQuerySchema,
  notificationsResponseSchema,
  staffCreateSchema,
} from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const regNoParamSpec = { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } };
const NOTIFICATION_READERS: readonly Role[] = ['admin', 'operator', ...SUPERVISOR_ROLES];

/** Opaque keyset cursor. */
function encodeCursor(submittedAt: Date, registrationNumber: string): string {
  return Buffer.from(JSON.stringify([submittedAt.toISOString(), registrationNumber])).toString('base64url');
}
function decodeCursor(cursor: string): { submittedAt: Date; registrationNumber: string } {
  try {
    const [s, r] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    // Both go into the keyset query: only what encodeCursor writes (a four-digit-year ISO instant
    // the database can hold, a registration number), never e.g. year -271821 or a NUL.
    if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s)) throw new Error('bad cursor');
    const submittedAt = new Date(s);
    if (Number.isNaN(submittedAt.getTime()) || submittedAt.toISOString() !== s) throw new Error('bad cursor');
    if (typeof r !== 'string' || !REGISTRATION_NUMBER_RE.test(r)) throw new Error('bad cursor');
    return { submittedAt, registrationNumber: r };
  } catch {
    throw ApiError.validation([{ path: 'cursor', message: 'Cursor tidak valid' }], 'Parameter tidak valid.');
  }
}

/** Recipients are phone numbers (masked), group ids or roles (shown as they are). */
function maskRecipient(recipient: string): string {
  const m = /^(\+?\d{8,})(@c\.us)?$/.exec(recipient);
  if (m) return maskPhone(m[1]!.startsWith('+') ? m[1]! : `+${m[1]}`);
  return recipient;
}

export function formOf(action: ActionName) {
  const rule = ACTION_RULES[action];
  return {
    action,
    title: rule.title,
    roles: [...rule.roles],
    steps: [...rule.steps],
    whileAwaitingResubmission: rule.whileAwaitingResubmission ?? false,
    schema: formJsonSchema(ACTION_BODY_SCHEMAS[action]),
  };
}

export function registerStaffRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const auth = (roles: readonly Role[] | 'any') => requireRole(db, ctx.tokens, roles);

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/auth/me',
      operationId: 'me',
      summary: 'Pengguna yang sedang masuk',
      tags: ['petugas'],
      auth: 'any',
      responses: {
        200: {
          description: 'Pengguna, kedaluwarsa sesi, dan (sesi cookie) token CSRF',
          schema: z.object({
            username: z.string(),
            name: z.string(),
            role: z.enum(ROLES),
            mustChangePassword: z.boolean(),
            expiresAt: z.string(),
            csrfToken: z.string().optional().describe('Cookie sessions only: send as X-CSRF-Token on requests that change something'),
          }),
        },
      },
    },
    requireRole(db, ctx.tokens, 'any', { allowPendingPasswordChange: true }),
    (req, res) => {
      const t = req.authToken!;
      res.setHeader('Cache-Control', 'no-store');
      res.json({ ...req.user, expiresAt: t.expiresAt.toISOString(), ...(t.via === 'cookie' ? { csrfToken: t.csrfToken } : {}) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications',
      operationId: 'listApplications',
      summary: 'Daftar permohonan (filter, awalan nomor registrasi, halaman dengan cursor)',
      description:
        'q: nomor registrasi atau awalannya saja. NIK di URL ditolak (400): cari NIK atau nama dengan POST /api/applications/search. ' +
        'Nama pemohon hanya untuk peran yang boleh melihatnya (SPEC §9). Urutan: terbaru dulu.',
      tags: ['petugas'],
      auth: 'any',
      query: listQuerySchema,
      responses: { 200: { description: 'Halaman daftar', schema: caseListSchema } },
    },
    auth('any'),
    async (req, res) => {
      const q = parseQuery(listQuerySchema, req.query);
      if (q.q && /\d{6,}/.test(q.q.replace(/^BP-?\d{8}/i, ''))) {
        throw ApiError.validation([{ path: 'q', message: 'NIK tidak boleh dikirim di URL: cari NIK atau nama lewat POST /api/applications/search' }], 'Parameter tidak valid.');
      }
      const rows = await listCases(db, {
        status: q.status,
        step: q.step,
        overdue: q.overdue,
        q: q.q,
        limit: q.limit + 1,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        items: await ctx.access.listItems(req, page),
        nextCursor: rows.length > q.limit && last ? encodeCursor(new Date(last.submitted_at), last.registration_number) : null,
      });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications/:regNo',
      operationId: 'getApplication',
      summary: 'Permohonan: tahap, riwayat, dokumen, tanda tangan, dan data pribadi sejauh peran Anda boleh melihatnya',
      description:
        'Data pribadi dibatasi per peran (SPEC §9, domain/access-policy.ts): isian yang tidak boleh dilihat tidak disertakan; `access` menjelaskan apa yang ditampilkan. ' +
        'Setiap pembukaan dengan data pribadi dicatat di log akses.',
      tags: ['petugas'],
      auth: 'any',
      params: regNoParamSpec,
      responses: { 200: { description: 'Permohonan', schema: caseDetailSchema }, 404: problem('Tidak ditemukan') },
    },
    auth('any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await ctx.access.caseDetail(req, regNo));
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications/:regNo/attachments/:id',
      operationId: 'getAttachment',
      summary: 'Berkas lampiran',
      tags: ['petugas'],
      auth: 'any',
      params: { ...regNoParamSpec, id: { description: 'Id lampiran' } },
      responses: {
        200: { description: 'Berkas', contentTypes: ['image/jpeg', 'image/png', 'application/pdf'] },
        403: problem('Peran tidak boleh membuka lampiran permohonan ini (SPEC §9)'),
        404: problem('Tidak ditemukan'),
        410: problem('Berkas telah dihapus bersama data pribadi (retensi atau permintaan)'),
      },
    },
    auth('any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      const { row: a, data } = await ctx.access.attachment(req, regNo, String(req.params.id));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Disposition', `inline; filename="${a.kind.toLowerCase()}-${a.id.slice(0, 8)}${extension(a.content_type)}"`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.type(a.content_type).send(data);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications/:regNo/documents/:kind',
      operationId: 'getDocument',
      summary: 'Dokumen yang dihasilkan (label, approval, receipt) — versi terakhir',
      tags: ['petugas'],
      auth: 'any',
      params: { ...regNoParamSpec, kind: { description: 'label, approval atau receipt', schema: z.enum(SERVED_DOCUMENT_KINDS) } },
      responses: {
        200: { description: 'PDF', contentTypes: ['application/pdf'] },
        403: problem('Dokumen berisi data pribadi yang tidak boleh dilihat peran ini (SPEC §9)'),
        404: problem('Belum ada'),
        410: problem('Dokumen telah dihapus bersama data pribadi (retensi atau permintaan)'),
      },
    },
    auth('any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      const kind = String(req.params.kind);
      const { doc, data } = await ctx.access.document(req, regNo, kind);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Disposition', `inline; filename="${regNo}-${kind}-v${doc.version}${extension(doc.content_type)}"`);
      res.type(doc.content_type).send(data);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/forms',
      operationId: 'listForms',
      summary: 'Formulir semua tindakan: JSON Schema isian, peran dan tahap',
      tags: ['petugas'],
      auth: 'any',
      responses: { 200: { description: 'Formulir', schema: formsResponseSchema } },
    },
    auth('any'),
    (_req, res) => {
      res.json({ items: ACTION_NAMES.map(formOf) });
    },
  );
  registry.add(
    router,
    {
      method: 'get',
      path: '/api/forms/:action',
      operationId: 'getForm',
      summary: 'Formulir satu tindakan',
      tags: ['petugas'],
      auth: 'any',
      params: { action: { description: 'Nama tindakan', schema: z.enum(ACTION_NAMES) } },
      responses: { 200: { description: 'Formulir' }, 404: problem('Tindakan tidak dikenal') },
    },
    auth('any'),
    (req, res) => {
      const action = String(req.params.action);
      if (!isActionName(action)) throw ApiError.notFound(`Tindakan tidak dikenal: ${action}`);
      res.json(formOf(action));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/actions/:action',
      operationId: 'act',
      summary: 'Tindakan petugas pada tahap saat ini',
      description:
        'Badan sesuai /api/forms/{action}. 403 bila peran tidak boleh melakukan tindakan ini; 409 dengan alasan dari alur kerja bila tahapnya tidak sesuai; ' +
        'tindakan identik yang diulang (klik ganda) hanya berlaku sekali.',
      tags: ['petugas'],
      auth: 'any',
      params: { ...regNoParamSpec, action: { description: 'Nama tindakan', schema: z.enum(ACTION_NAMES) } },
      body: z.union(ACTION_NAMES.map((a) => ACTION_BODY_SCHEMAS[a]) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
      responses: {
        200: { description: 'Diterima', schema: actionResponseSchema },
        404: problem('Permohonan atau tindakan tidak dikenal'),
        409: problem('Tidak sesuai dengan tahap saat ini'),
      },
    },
    auth('any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      const action = String(req.params.action);
      if (!isActionName(action)) throw ApiError.notFound(`Tindakan tidak dikenal: ${action}`);
      const user = req.user!;
      const rule = ACTION_RULES[action];
      if (!rule.roles.includes(user.role)) {
        throw new ApiError('forbidden', `Tindakan "${rule.title}" hanya dapat dilakukan oleh ${rule.roles.map((r) => ROLE_LABELS[r]).join(' atau ')}.`);
      }
      let body = parseBody(ACTION_BODY_SCHEMAS[action], req.body) as Record<string, unknown>;
      // The kabid's TTE: the account password again as the signing passphrase (api/bulk/passphrase.ts).
      if (action === 'approve') body = await takeApprovalPassphrase(db, ctx.config, user.username, body, ctx.now());
      const c = await findCase(db, regNo);
      if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');

      let facts: Record<string, unknown> = {};
      const storedBody: Record<string, unknown> = { ...body };
      let prepare: ((ids: { inputId: string }) => Promise<Record<string, unknown>>) | undefined;
      if (action === 'verify-documents' || action === 'verify-print' || action === 'approve') facts = { decision: body.decision };
      if (action === 'confirm-print') facts = { result: body.result };
      if (action === 'delivery-failed') facts = { reason: body.reason };
      if (action === 'handover' || action === 'office-handover') {
        const h = body as HandoverBody;
        if (oldCardRequired(c.reason) && h.oldCardCollected === undefined) {
          throw ApiError.validation([{ path: 'oldCardCollected', message: 'Wajib diisi: apakah kartu lama ditarik (permohonan karena rusak/perubahan data)' }]);
        }
        facts = { relationship: h.relationship, oldCardCollected: h.oldCardCollected ?? null };
        delete storedBody.photoBase64;
        delete storedBody.signaturePng;
        // Photo and drawn signature are files under receipts/ (encrypted at rest); the input keeps their paths.
        const photo = h.photoBase64 ? stripBase64(h.photoBase64) : null;
        const signature = h.signaturePng ? stripBase64(h.signaturePng) : null;
        if (photo || signature) {
          prepare = async ({ inputId }) => {
            const extra: Record<string, unknown> = {};
            if (photo) {
              const ext = detectBase64ContentType(photo) === 'image/png' ? '.png' : '.jpg';
              const stored = await ctx.files.put(`receipts/${regNo}/photo-${inputId}${ext}`, decodeBase64(photo));
              Object.assign(extra, { photoPath: stored.path, photoSha256: stored.sha256 });
            }
            if (signature) {
              const stored = await ctx.files.put(`receipts/${regNo}/signature-${inputId}.png`, decodeBase64(signature));
              Object.assign(extra, { signaturePath: stored.path, signatureSha256: stored.sha256 });
            }
            return extra;
          };
        }
      }
      const result = await executeCaseAction({
        db,
        temporal: ctx.temporal,
        action,
        actor: { username: user.username, role: user.role },
        identityBody: body,
        storedBody,
        facts,
        prepare,
        caseRow: c,
      });
      res.json(result);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/notifications',
      operationId: 'listNotifications',
      summary: 'Pesan WhatsApp (kotak keluar), penerima disamarkan',
      tags: ['petugas'],
      auth: NOTIFICATION_READERS,
      query: notificationsQuerySchema,
      responses: { 200: { description: 'Pesan', schema: notificationsResponseSchema } },
    },
    auth(NOTIFICATION_READERS),
    async (req, res) => {
      const q = parseQuery(notificationsQuerySchema, req.query);
      const rows = await listNotifications(db, { registrationNumber: q.registrationNumber, kind: q.kind, status: q.status, limit: q.limit });
      res.setHeader('Cache-Control', 'no-store');
      res.json({ items: await ctx.access.notifications(req, rows, maskRecipient) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/staff',
      operationId: 'listStaff',
      summary: 'Daftar petugas',
      tags: ['petugas'],
      auth: ['admin'],
      responses: { 200: { description: 'Petugas', schema: staffListSchema } },
    },
    auth(['admin']),
    async (_req, res) => {
      const rows = await listStaff(db);
      res.json({
        items: rows.map(staffItem),
      });
    },
  );
  registry.add(
    router,
    {
      method: 'post',
      path: '/api/staff',
      operationId: 'createStaff',
      summary: 'Tambah petugas',
      tags: ['petugas'],
      auth: ['admin'],
      body: staffCreateSchema,
      responses: {
        201: { description: 'Dibuat', schema: z.object({ username: z.string(), name: z.string(), role: z.enum(ROLES), phone: z.string().nullable() }) },
        409: problem('Nama pengguna sudah dipakai'),
      },
    },
    auth(['admin']),
    async (req, res) => {
      const body = parseBody(staffCreateSchema, req.body);
      const phone = staffPhone(body.phone ?? null);
      const verdict = await checkPassword(body.password, { username: body.username, name: body.name });
      if (!verdict.ok) throw ApiError.validation([{ path: 'password', message: verdict.message }], verdict.message);
      const created = await createStaff(db, { username: body.username, name: body.name, role: body.role, passwordHash: await hashPassword(body.password), phone });
      if (!created) throw new ApiError('conflict', `Nama pengguna "${body.username}" sudah dipakai.`);
      res.status(201).json({ username: body.username, name: body.name, role: body.role, phone });
    },
  );
}

function extension(contentType: string): string {
  return contentType === 'application/pdf' ? '.pdf' : contentType === 'image/png' ? '.png' : contentType === 'image/jpeg' ? '.jpg' : '';
}

// Exported for tests.
export { maskRecipient };
