/**
 * The courier's workspace (issue #14 item 4): `GET /api/courier/route` ("Rute hari ini") and the
 * handover evidence of a case's receipt (photo, drawn signature), both through the access layer.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { ApiError, problemSchema } from '../errors.js';
import { regNoParam } from '../routes-public.js';
import { routeResponseSchema } from './schemas.js';
import { courierRoute } from './service.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export function registerCourierRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/courier/route',
      operationId: 'courierRoute',
      summary: 'Rute hari ini: pengantaran tahap penyerahan per kecamatan dan desa',
      description:
        'Kartu yang menunggu diantar (tahap 7), dikelompokkan per kecamatan dan desa, dengan nama penerima, nomor HP, alamat, catatan dan tautan telepon/WhatsApp/Maps ' +
        'sejauh kebijakan akses mengizinkan; siapa yang sudah mengambil kartu; percobaan ulang yang baru dimulai hari kerja berikutnya; penyerahan dan percobaan Anda hari ini.',
      tags: ['petugas'],
      auth: ['ekspedisi', 'operator', 'kadis'],
      responses: { 200: { description: 'Rute', schema: routeResponseSchema }, 403: problem('Peran tidak berwenang') },
    },
    requireRole(db, ctx.tokens, ['ekspedisi', 'operator', 'kadis']),
    async (req, res) => {
      res.setHeader('Cache-Control', 'private, no-store');
      res.json(await courierRoute({ db, access: ctx.access, now: ctx.now, holidays: ctx.config.policy.holidays }, req));
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/applications/:regNo/receipt/:which',
      operationId: 'receiptEvidence',
      summary: 'Foto serah terima atau tanda tangan penerima pada tanda terima',
      description: 'Gambar (JPEG/PNG) yang diambil kurir saat penyerahan. 403 bila peran tidak berwenang melihatnya; setiap pembukaan dicatat di log akses.',
      tags: ['petugas'],
      auth: 'any',
      params: {
        regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' },
        which: { description: 'photo = foto serah terima, signature = tanda tangan penerima', schema: z.enum(['photo', 'signature']) },
      },
      responses: {
        200: { description: 'Gambar', contentTypes: ['image/png', 'image/jpeg'] },
        403: problem('Peran tidak berwenang'),
        404: problem('Tidak ada gambar'),
      },
    },
    requireRole(db, ctx.tokens, 'any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      const which = String(req.params.which);
      if (which !== 'photo' && which !== 'signature') throw ApiError.notFound('Gambar tidak dikenal (photo atau signature).');
      const { data, contentType } = await ctx.access.receiptFile(req, regNo, which);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Disposition', `inline; filename="${regNo}-${which === 'photo' ? 'foto' : 'tanda-tangan'}${contentType === 'image/png' ? '.png' : '.jpg'}"`);
      res.type(contentType).send(data);
    },
  );
}
