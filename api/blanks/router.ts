/** Blank stock (blangko) as a ledger: stock and movements, adding stock, stock-taking corrections, the damaged-blank report. */
import type { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { ROLE_LABELS, SUPERVISOR_ROLES, type Role } from '../../domain/sop.js';
import { damagedReportRows, renderDamagedReport } from '../../activities/damaged-report.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseBody, parseQuery } from '../routes-public.js';
import { blanksAddSchema } from '../schemas.js';
import { adjustmentResponseSchema, adjustmentSchema, blanksAddedSchema, blanksLedgerSchema, blanksQuerySchema, damagedReportQuerySchema } from './schemas.js';
import { addBlanks, adjustBlanks, ledgerView } from './service.js';

export const BLANK_MANAGERS: readonly Role[] = ['operator', 'admin'];
/** Who may download the damaged-blank report: the blank managers and the supervisors who sign it. */
export const DAMAGED_REPORT_READERS: readonly Role[] = [...BLANK_MANAGERS, ...SUPERVISOR_ROLES];
const MAX_REPORT_DAYS = 366;
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const idempotencyHeader = { 'Idempotency-Key': { description: 'Kunci unik agar permintaan yang dikirim ulang tidak terhitung dua kali' } };

export function registerBlankRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const auth = requireRole(db, ctx.tokens, BLANK_MANAGERS);
  const keyOf = (header: string | undefined) => (header?.trim() ? `api:${header.trim()}` : `api:${randomUUID()}`);

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/blanks',
      operationId: 'getBlanks',
      summary: 'Stok blangko per jenis dokumen dan buku stok (mutasi terbaru)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      query: blanksQuerySchema,
      responses: { 200: { description: 'Stok dan mutasi', schema: blanksLedgerSchema } },
    },
    auth,
    async (req, res) => {
      const q = parseQuery(blanksQuerySchema, req.query);
      res.json(await ledgerView(db, ctx.config.BLANK_LOW_STOCK, q));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/blanks',
      operationId: 'addBlanks',
      summary: 'Tambah stok blangko (permohonan yang menunggu blangko berlanjut sendiri)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      body: blanksAddSchema,
      headers: idempotencyHeader,
      responses: { 200: { description: 'Stok setelah penambahan', schema: blanksAddedSchema } },
    },
    auth,
    async (req, res) => {
      const body = parseBody(blanksAddSchema, req.body);
      res.json(
        await addBlanks(ctx, {
          documentType: body.documentType,
          quantity: body.quantity,
          note: body.note ?? null,
          actorUsername: req.user!.username,
          idempotencyKey: keyOf(req.get('idempotency-key')),
        }),
      );
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/blanks/adjustments',
      operationId: 'adjustBlanks',
      summary: 'Koreksi stok blangko hasil stok opname (boleh negatif, stok tidak pernah di bawah nol)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      body: adjustmentSchema,
      headers: idempotencyHeader,
      responses: {
        201: { description: 'Koreksi tercatat', schema: adjustmentResponseSchema },
        409: problem('Koreksi akan membuat stok di bawah nol'),
      },
    },
    auth,
    async (req, res) => {
      const body = parseBody(adjustmentSchema, req.body);
      const out = await adjustBlanks(ctx, {
        documentType: body.documentType,
        delta: body.delta,
        reason: body.reason,
        actorUsername: req.user!.username,
        idempotencyKey: keyOf(req.get('idempotency-key')),
      });
      res.status(201).json(out);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/blanks/damaged-report',
      operationId: 'damagedBlanksReport',
      summary: 'Berita acara blangko rusak per periode (PDF)',
      tags: ['laporan'],
      auth: DAMAGED_REPORT_READERS,
      query: damagedReportQuerySchema,
      responses: { 200: { description: 'Berita acara', contentTypes: ['application/pdf'] }, 400: problem('Periode tidak valid') },
    },
    requireRole(db, ctx.tokens, DAMAGED_REPORT_READERS),
    async (req, res) => {
      const q = parseQuery(damagedReportQuerySchema, req.query);
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
      if (days < 0) throw ApiError.validation([{ path: 'to', message: 'Tanggal akhir tidak boleh sebelum tanggal awal' }], 'Parameter tidak valid.');
      if (days >= MAX_REPORT_DAYS) throw ApiError.validation([{ path: 'to', message: `Periode paling lama ${MAX_REPORT_DAYS} hari` }], 'Parameter tidak valid.');
      const rows = await damagedReportRows(db, q.from, q.to);
      const pdf = await renderDamagedReport({ from: q.from, to: q.to, rows, madeBy: { name: req.user!.name, roleLabel: ROLE_LABELS[req.user!.role] }, madeAt: Date.now(), office: ctx.config.office });
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `inline; filename="berita-acara-blangko-rusak-${q.from}-${q.to}.pdf"`);
      res.type('application/pdf').send(pdf);
    },
  );
}
