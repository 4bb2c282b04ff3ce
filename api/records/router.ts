/**
 * Records that never change after the fact: the daily recap (closed once, archived with its
 * SHA-256; today a SEMENTARA preview) and a finished case's archive manifest.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { SUPERVISOR_ROLES, type Role } from '../../domain/sop.js';
import { jakartaDate } from '../../domain/calendar.js';
import { closeDailyRecap, dateIsOver, previewDailyRecap, previewDailyRecapCsv } from '../../activities/recap.js';
import { findDocument } from '../../db/repositories/documents.js';
import { findCase } from '../../db/repositories/cases.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseQuery, regNoParam } from '../routes-public.js';
import { recapQuerySchema } from '../schemas.js';

/** Who may download a case's archive manifest (it lists every event and document of the case). */
export const ARCHIVE_READERS: readonly Role[] = ['operator', 'kadis'];
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export function registerRecordRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/reports/daily-recap',
      operationId: 'dailyRecap',
      summary: 'Rekap harian dokumen tercetak (PDF atau CSV): tanggal lampau dari arsip, hari ini SEMENTARA',
      description:
        'A past date returns the archived recap, the same bytes on every request (a date never closed, e.g. while the ' +
        'service was down, is closed on its first request). Today returns a preview marked SEMENTARA that is never ' +
        'archived. Header `X-Recap-Status` is `FINAL` or `SEMENTARA`; `X-Content-SHA256` is the hash of the answer. ' +
        'CSV: `;` separator, UTF-8 with BOM.',
      tags: ['laporan'],
      auth: SUPERVISOR_ROLES,
      query: recapQuerySchema,
      responses: {
        200: { description: 'Rekap', contentTypes: ['application/pdf', 'text/csv'] },
        400: problem('Tanggal tidak valid atau belum terjadi'),
      },
    },
    requireRole(db, ctx.tokens, SUPERVISOR_ROLES),
    async (req, res) => {
      const q = parseQuery(recapQuerySchema, req.query);
      const now = Date.now();
      const today = jakartaDate(now);
      if (q.date > today) throw ApiError.validation([{ path: 'date', message: 'Tanggal belum terjadi' }], 'Parameter tidak valid.');
      if (q.format === 'csv' && !dateIsOver(q.date, now)) {
        const preview = await previewDailyRecapCsv(db, q.date);
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Recap-Status', 'SEMENTARA');
        res.setHeader('X-Content-SHA256', preview.csvSha256);
        res.setHeader('Content-Disposition', `inline; filename="rekap-${q.date}-sementara.csv"`);
        res.type('text/csv; charset=utf-8').send(preview.csv);
        return;
      }
      const recap = dateIsOver(q.date, now) ? await closeDailyRecap({ db, files: ctx.files, office: ctx.config.office }, q.date, now) : await previewDailyRecap(db, q.date, ctx.config.office);
      const preview = recap.state === 'preview';
      const suffix = preview ? '-sementara' : '';
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Recap-Status', preview ? 'SEMENTARA' : 'FINAL');
      if (q.format === 'csv') {
        res.setHeader('X-Content-SHA256', recap.csvSha256);
        res.setHeader('Content-Disposition', `inline; filename="rekap-${q.date}${suffix}.csv"`);
        res.type('text/csv; charset=utf-8').send(recap.csv);
      } else {
        res.setHeader('X-Content-SHA256', recap.pdfSha256);
        res.setHeader('Content-Disposition', `inline; filename="rekap-${q.date}${suffix}.pdf"`);
        res.type('application/pdf').send(recap.pdf);
      }
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications/:regNo/archive',
      operationId: 'getArchiveManifest',
      summary: 'Manifes arsip permohonan yang selesai: setiap peristiwa dan dokumen dengan SHA-256',
      tags: ['petugas'],
      auth: ARCHIVE_READERS,
      params: { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } },
      responses: {
        200: { description: 'Manifes (JSON), header X-Content-SHA256', schema: z.object({ registrationNumber: z.string(), archivedAt: z.string() }).loose(), contentTypes: ['application/json'] },
        404: problem('Permohonan tidak ditemukan atau belum diarsipkan'),
      },
    },
    requireRole(db, ctx.tokens, ARCHIVE_READERS),
    async (req, res) => {
      const regNo = regNoParam(req);
      if (!(await findCase(db, regNo))) throw ApiError.notFound('Permohonan tidak ditemukan.');
      const doc = await findDocument(db, regNo, 'archive', 1);
      if (!doc) throw ApiError.notFound('Arsip belum dibuat: permohonan belum selesai.');
      const data = await ctx.files.read(doc.storage_path);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-SHA256', doc.sha256);
      res.setHeader('Content-Disposition', `attachment; filename="arsip-${regNo}.json"`);
      res.type('application/json').send(data);
    },
  );
}
