/**
 * `POST /api/applications/{regNo}/office-pickup`: the applicant (NIK + registration number, rate
 * limited per case and per NIK, like a cancellation) asks to collect the card at the office instead of another delivery attempt.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { nikSchema, actionResponseSchema } from '../schemas.js';
import { problemSchema } from '../errors.js';
import { applicantCaseByNumber } from '../applicant/access.js';
import type { RouteContext } from '../context.js';
import { parseBody, regNoParam } from '../routes-public.js';
import { executeCaseAction } from '../case-actions.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export const officePickupRequestSchema = z
  .object({ nik: nikSchema })
  .strict()
  .meta({ id: 'OfficePickupRequest', title: 'Permintaan ambil di kantor' });

export function registerOfficePickupRoutes(router: Router, ctx: RouteContext): void {
  ctx.registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/office-pickup',
      operationId: 'requestOfficePickup',
      summary: 'Pemohon memilih mengambil dokumen di kantor Disdukcapil',
      description: 'Setelah dokumen dicetak dan diserahkan ke ekspedisi (misalnya setelah pengantaran gagal). Dokumen kembali ke kantor; pemohon diberi tahu.',
      tags: ['publik'],
      auth: null,
      params: { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } },
      body: officePickupRequestSchema,
      responses: {
        200: { description: 'Dokumen akan menunggu di kantor', schema: actionResponseSchema },
        404: problem('Tidak ditemukan'),
        410: problem('Data pribadi telah dihapus'),
        429: problem('Terlalu banyak percobaan'),
        409: problem('Belum atau tidak lagi dapat diminta'),
      },
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(officePickupRequestSchema, req.body);
      // NIK + number, counted per case and per NIK like every other change by the applicant.
      const c = await applicantCaseByNumber(ctx, regNo, body.nik, 'change');
      const result = await executeCaseAction({
        db: ctx.db,
        temporal: ctx.temporal,
        action: 'request-office-pickup',
        actor: null,
        // Not the NIK: the Update ID derives from this, and a hash of a bare NIK could be reversed.
        identityBody: { request: 'office-pickup' },
        storedBody: { by: 'applicant' },
        caseRow: c,
      });
      res.json(result);
    },
  );
}
