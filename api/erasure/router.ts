/** The admin's erasure of a closed case's personal data on request, with a reason (SPEC §9). */
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../context.js';
import { ApiError, problemSchema } from '../errors.js';
import { requireRole } from '../auth.js';
import { parseBody, regNoParam } from '../routes-public.js';
import { reasonText } from '../schemas.js';
import { findCase } from '../../db/repositories/cases.js';
import { OPEN_STATUSES } from '../../domain/sop.js';
import { eraseCasePersonalData } from '../../activities/erasure.js';

export const erasureRequestSchema = z.object({ reason: reasonText }).strict().meta({ id: 'ErasureRequest', title: 'Penghapusan data pribadi atas permintaan' });
export const erasureResponseSchema = z
  .object({ registrationNumber: z.string(), erasedAt: z.string(), trigger: z.enum(['RETENTION', 'REQUEST']), reason: z.string() })
  .meta({ id: 'ErasureResult' });

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export function registerErasureRoutes(router: Router, ctx: RouteContext): void {
  ctx.registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/erasure',
      operationId: 'eraseCase',
      summary: 'Hapus data pribadi permohonan yang sudah ditutup (atas permintaan, dengan alasan)',
      description:
        'Menghapus data pemilik, kontak, alamat, penerima, pindaian, foto, data cetak dan token lacak; catatan tanpa data pribadi (tahapan, waktu, eskalasi, sidik dokumen) tetap ada. ' +
        'Idempoten: permintaan ulang menjawab penghapusan yang sudah tercatat.',
      tags: ['petugas'],
      auth: ['admin'],
      params: { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } },
      body: erasureRequestSchema,
      responses: {
        200: { description: 'Data pribadi telah dihapus', schema: erasureResponseSchema },
        404: problem('Tidak ditemukan'),
        409: problem('Permohonan masih berjalan'),
      },
    },
    requireRole(ctx.db, ctx.tokens, ['admin']),
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(erasureRequestSchema, req.body);
      const c = await findCase(ctx.db, regNo);
      if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');
      if ((OPEN_STATUSES as readonly string[]).includes(c.status)) {
        throw new ApiError('conflict', 'Permohonan masih berjalan: data pribadi hanya dapat dihapus setelah permohonan ditutup (selesai, ditolak atau dibatalkan).');
      }
      await eraseCasePersonalData(
        { db: ctx.db, files: ctx.files },
        regNo,
        { trigger: 'REQUEST', reason: body.reason, actorUsername: req.user!.username, actorRole: req.user!.role, at: ctx.now() },
      );
      const log = await ctx.db.selectFrom('erasure_log').selectAll().where('registration_number', '=', regNo).executeTakeFirstOrThrow();
      ctx.logger.info('personal data erased on request', { registrationNumber: regNo, actor: req.user!.username });
      res.json({ registrationNumber: regNo, erasedAt: new Date(log.completed_at ?? log.started_at).toISOString(), trigger: log.trigger, reason: log.reason });
    },
  );
}
