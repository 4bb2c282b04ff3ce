/**
 * `POST /api/notifications/{id}/resend`: an operator or admin sends a FAILED or NO_RECIPIENT
 * WhatsApp message again. The row becomes PENDING and due now; the worker's outbox retrier sends
 * it within seconds (and tells the case workflow when a courier-group message went out).
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { Role } from '../../domain/sop.js';
import { resetForResend } from '../../db/repositories/notifications.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';

const RESENDERS: readonly Role[] = ['operator', 'admin'];
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export const resendResponseSchema = z
  .object({ id: z.number().int(), status: z.literal('PENDING'), attempts: z.number().int() })
  .meta({ id: 'NotificationResend' });

/** The largest value of a `serial` (int4) column. */
const MAX_SERIAL_ID = 2_147_483_647;

export function registerNotificationRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  registry.add(
    router,
    {
      method: 'post',
      path: '/api/notifications/:id/resend',
      operationId: 'resendNotification',
      summary: 'Kirim ulang pesan WhatsApp yang gagal atau belum punya penerima',
      description: 'Pesan menjadi PENDING dan dikirim ulang oleh sistem dalam beberapa detik. Pesan yang sudah terkirim (SENT) ditolak dengan 409.',
      tags: ['petugas'],
      auth: RESENDERS,
      params: { id: { description: 'Id pesan (dari /api/notifications)', schema: z.coerce.number().int().positive().max(MAX_SERIAL_ID) } },
      responses: {
        202: { description: 'Dijadwalkan untuk dikirim ulang', schema: resendResponseSchema },
        404: problem('Pesan tidak ditemukan'),
        409: problem('Pesan sudah terkirim'),
      },
    },
    requireRole(db, ctx.tokens, RESENDERS),
    async (req, res) => {
      const id = Number(req.params.id);
      // An id past the column's range names no message (the database would refuse the comparison).
      if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_SERIAL_ID) throw ApiError.notFound('Pesan tidak ditemukan.');
      const row = await db.selectFrom('notifications').select(['id', 'status', 'attempts']).where('id', '=', id).executeTakeFirst();
      if (!row) throw ApiError.notFound('Pesan tidak ditemukan.');
      if (row.status === 'SENT') throw new ApiError('conflict', 'Pesan ini sudah terkirim; tidak perlu dikirim ulang.');
      await resetForResend(db, id, ctx.config.WA_RETRY_HOURS);
      ctx.logger.info('notification resend requested', { notificationId: id, by: req.user!.username });
      res.status(202).json({ id, status: 'PENDING', attempts: row.attempts });
    },
  );
}
