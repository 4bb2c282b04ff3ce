/** Staff search (POST, so a NIK never travels in a URL) and the access log (admin, kadis). */
import type { Router } from 'express';
import { toCsv } from '../../domain/csv.js';
import { z } from 'zod';
import { ACCESS_KINDS, ACCESS_KIND_LABELS, ACCESS_LOG_READERS, type AccessKind } from '../../domain/access-policy.js';
import { ROLES, ROLE_LABELS, STEP_KEYS, type Role } from '../../domain/sop.js';
import { jakartaDateTime } from '../../domain/calendar.js';
import { parseIsoDate, REGISTRATION_NUMBER_RE } from '../../domain/citizen.js';
import { listAccessLog } from '../../db/repositories/access-log.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseBody, parseQuery } from '../routes-public.js';
import { caseListItemSchema } from '../schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export const searchRequestSchema = z
  .object({
    q: z
      .string({ error: 'Isi kata pencarian' })
      .trim()
      .min(1, { error: 'Isi kata pencarian' })
      .max(100, { error: 'Kata pencarian maksimal 100 karakter' })
      .meta({ title: 'Cari', description: 'Nomor registrasi (atau awalannya), NIK (16 angka) atau nama (minimal 3 huruf; tanpa membedakan huruf besar-kecil dan aksen)' }),
    limit: z.number().int().min(1).max(200).default(50).optional(),
  })
  .strict()
  .meta({ id: 'SearchRequest' });

export const searchResponseSchema = z
  .object({
    kind: z.enum(['nik', 'registration', 'name']).describe('How the query was read'),
    items: z.array(caseListItemSchema),
  })
  .meta({ id: 'SearchResult' });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Tanggal berformat YYYY-MM-DD' })
  .refine((v) => parseIsoDate(v) !== null, { error: 'Tanggal tidak valid' });

export const accessLogQuerySchema = z
  .object({
    registrationNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(REGISTRATION_NUMBER_RE, { error: 'Nomor registrasi berformat BP-YYYYMMDD-NNNNN' })
      .optional(),
    username: z.string().trim().toLowerCase().max(64).optional(),
    from: isoDate.optional().meta({ description: 'Tanggal awal (Asia/Jakarta), inklusif' }),
    to: isoDate.optional().meta({ description: 'Tanggal akhir (Asia/Jakarta), inklusif' }),
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number({ error: 'Batas harus angka' }).int().min(1).max(10_000).default(1000),
  })
  .strict();

export const accessLogResponseSchema = z
  .object({
    items: z.array(
      z.object({
        at: z.string(),
        username: z.string(),
        role: z.enum(ROLES),
        roleLabel: z.string(),
        kind: z.enum(ACCESS_KINDS),
        kindLabel: z.string(),
        registrationNumber: z.string().nullable(),
        step: z.enum(STEP_KEYS).nullable(),
        detail: z.string().nullable(),
        clientAddress: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'AccessLog' });

/** A CSV field for Excel: `;` separated (Indonesian locale), quoted when needed, no formula injection. */
export function registerAccessRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/search',
      operationId: 'searchApplications',
      summary: 'Cari permohonan dengan nomor registrasi, NIK atau nama (NIK tidak pernah di URL)',
      description:
        'Nama dicari tanpa membedakan huruf besar-kecil dan aksen (nama pemohon, dan nama penerima untuk ekspedisi). ' +
        'NIK dan nama hanya menemukan permohonan yang data pribadinya boleh dilihat peran Anda (SPEC §9); pencarian NIK atau nama dicatat di log akses. ' +
        '403 bila peran Anda sama sekali tidak boleh melihat NIK (atau nama).',
      tags: ['petugas'],
      auth: 'any',
      body: searchRequestSchema,
      responses: { 200: { description: 'Hasil', schema: searchResponseSchema }, 403: problem('Peran tidak boleh mencari dengan NIK atau nama') },
    },
    requireRole(db, ctx.tokens, 'any'),
    async (req, res) => {
      const body = parseBody(searchRequestSchema, req.body);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await ctx.access.search(req, body.q, body.limit ?? 50));
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/access-log',
      operationId: 'accessLog',
      summary: 'Log akses data pribadi: siapa membuka data permohonan mana, kapan, dari mana',
      description:
        'Terbaru dulu. from/to: tanggal Asia/Jakarta, inklusif. format=csv: berkas CSV berpemisah titik koma dengan BOM UTF-8 (langsung terbuka per kolom di Excel berbahasa Indonesia).',
      tags: ['laporan'],
      auth: ACCESS_LOG_READERS,
      query: accessLogQuerySchema,
      responses: { 200: { description: 'Log akses', schema: accessLogResponseSchema, contentTypes: ['application/json', 'text/csv'] } },
    },
    requireRole(db, ctx.tokens, ACCESS_LOG_READERS),
    async (req, res) => {
      const q = parseQuery(accessLogQuerySchema, req.query);
      if (q.from && q.to && q.from > q.to) throw ApiError.validation([{ path: 'to', message: 'Tanggal akhir tidak boleh sebelum tanggal awal' }], 'Parameter tidak valid.');
      const rows = await listAccessLog(db, {
        registrationNumber: q.registrationNumber,
        username: q.username,
        from: q.from ? new Date(`${q.from}T00:00:00+07:00`) : undefined,
        to: q.to ? new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 24 * 3600_000) : undefined,
        limit: q.limit,
      });
      const items = rows.map((r) => ({
        at: new Date(r.at).toISOString(),
        username: r.username,
        role: r.role,
        roleLabel: ROLE_LABELS[r.role as Role] ?? r.role,
        kind: r.kind,
        kindLabel: ACCESS_KIND_LABELS[r.kind as AccessKind] ?? r.kind,
        registrationNumber: r.registration_number,
        step: r.step_key,
        detail: r.detail,
        clientAddress: r.client_address,
      }));
      res.setHeader('Cache-Control', 'no-store');
      if (q.format === 'csv') {
        const head = ['Waktu (WIB)', 'Nama pengguna', 'Peran', 'Jenis', 'Nomor registrasi', 'Keterangan', 'Alamat klien'];
        const lines = items.map((i) => [jakartaDateTime(new Date(i.at).getTime()), i.username, i.roleLabel, i.kindLabel, i.registrationNumber, i.detail, i.clientAddress]);
        const name = `log-akses${q.registrationNumber ? `-${q.registrationNumber}` : ''}${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.csv`;
        res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        res.type('text/csv; charset=utf-8').send(toCsv([head, ...lines]));
        return;
      }
      res.json({ items });
    },
  );
}
