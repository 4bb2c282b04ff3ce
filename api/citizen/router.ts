/**
 * The citizen's side that is not the SOP itself: the office profile for the public pages, the
 * proof of registration (*bukti pendaftaran*) PDF, and the browser bundle of `domain/` rules.
 */
import { fileURLToPath } from 'node:url';
import type express from 'express';
import type { Router } from 'express';
import { buildSync } from 'esbuild';
import { z } from 'zod';
import type { RouteContext } from '../context.js';
import { ApiError, problemSchema } from '../errors.js';
import { findCase } from '../../db/repositories/cases.js';
import { nikSchema } from '../schemas.js';
import { parseBody, regNoParam } from '../routes-public.js';
import { renderProof } from '../../activities/pdf.js';
import { createSlaClock, jakartaDate } from '../../domain/calendar.js';
import { expectedCompletion, toPrepare } from '../../domain/application-form.js';
import { maskNikForPrint } from '../../domain/citizen.js';
import { DOCUMENT_TYPE_LABELS, REQUEST_REASON_LABELS } from '../../domain/sop.js';

const BROWSER_ENTRY = fileURLToPath(new URL('../../domain/browser.ts', import.meta.url));

/** `domain/` for the browser: one ES module, built once per process in memory. */
export function buildDomainBundle(): string {
  const out = buildSync({ entryPoints: [BROWSER_ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2020', minify: true, write: false, legalComments: 'none' });
  return out.outputFiles[0].text;
}

const officeResponseSchema = z
  .object({
    name: z.string(),
    government: z.string(),
    address: z.string(),
    phone: z.string(),
    email: z.string(),
    website: z.string(),
    hours: z.string(),
    expectedIfSubmittedNow: z.string().meta({ description: 'Perkiraan tanggal selesai (YYYY-MM-DD) bila permohonan dikirim sekarang: waktu baku SOP pada hari kerja kantor' }),
  })
  .meta({ id: 'OfficeProfile', title: 'Profil kantor' });

const proofRequestSchema = z.object({ nik: nikSchema }).strict().meta({ id: 'ProofRequest', title: 'Permintaan bukti pendaftaran' });

export function registerCitizenRoutes(app: express.Express, router: Router, ctx: RouteContext): void {
  const { registry, config } = ctx;
  const clock = createSlaClock(config.policy.slaClock, { holidays: config.policy.holidays });
  const expectedFrom = (start: number) => jakartaDate(expectedCompletion(start, config.policy.standardMinutes, clock));

  const bundle = buildDomainBundle();
  app.use('/js/domain.js', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript').send(bundle);
  });

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/office',
      operationId: 'officeProfile',
      summary: 'Profil kantor untuk halaman pemohon (nama, alamat, kontak, jam layanan)',
      tags: ['publik'],
      auth: null,
      responses: { 200: { description: 'Profil kantor', schema: officeResponseSchema } },
    },
    (_req, res) => {
      const o = config.office;
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json({ name: o.name, government: o.government, address: o.address, phone: o.phone, email: o.email, website: o.website, hours: o.hours, expectedIfSubmittedNow: expectedFrom(ctx.now()) });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/proof',
      operationId: 'registrationProof',
      summary: 'Bukti pendaftaran (PDF) untuk pemohon',
      description: 'Dengan NIK pemilik dokumen di badan permintaan (tidak pernah di URL). NIK dicetak tersamar. NIK yang salah dijawab sama dengan nomor yang tidak dikenal (404).',
      tags: ['publik'],
      auth: null,
      params: { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } },
      body: proofRequestSchema,
      responses: {
        200: { description: 'Bukti pendaftaran', contentTypes: ['application/pdf'] },
        404: { description: 'Tidak ditemukan', schema: problemSchema, contentTypes: ['application/problem+json'] },
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(proofRequestSchema, req.body);
      const c = await findCase(ctx.db, regNo);
      if (!c || c.subject_nik !== body.nik) throw ApiError.notFound('Permohonan tidak ditemukan. Periksa nomor registrasi dan NIK.');
      const submittedAt = new Date(c.submitted_at).getTime();
      const pdf = await renderProof({
        registrationNumber: c.registration_number,
        documentTypeLabel: DOCUMENT_TYPE_LABELS[c.document_type],
        reasonLabel: REQUEST_REASON_LABELS[c.reason],
        subjectName: c.subject_name,
        nikMasked: maskNikForPrint(c.subject_nik),
        district: c.district,
        submittedAt,
        expectedBy: expectedFrom(submittedAt),
        prepare: toPrepare(c.document_type, c.reason),
        trackUrl: `${config.publicBaseUrl}/lacak?reg=${encodeURIComponent(c.registration_number)}`,
        office: config.office,
      });
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="bukti-pendaftaran-${c.registration_number}.pdf"`);
      res.type('application/pdf').send(pdf);
    },
  );
}
