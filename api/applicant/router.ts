/**
 * The applicant's tracking link and the routes that change a case from the citizen's side:
 * tracking by token, cancellation / resubmission / address correction by token + NIK, the address
 * correction by registration number + NIK, and the operator's correction of address or phone.
 */
import type { Router } from 'express';
import { parseBody, regNoParam } from '../routes-public.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { createRateLimiter, sharedStoreFor } from '../rate-limit.js';
import { actionResponseSchema } from '../schemas.js';
import { trackingViewFromSnapshot } from '../case-view.js';
import { dataAccessItems } from '../access/data-access.js';
import { findCase } from '../../db/repositories/cases.js';
import { applicantCaseByNumber, applicantCaseByToken, erasedError, trackByToken } from './access.js';
import { cancelAsApplicant, changeAddressAsApplicant, correctContactAsOperator, resubmitAsApplicant, validDelivery, validPhone } from './service.js';
import {
  addressChangeResponseSchema,
  addressChangeSchema,
  contactCorrectionSchema,
  tokenCancellationSchema,
  tokenResubmissionSchema,
  tokenTrackingResponseSchema,
} from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const tokenParam = { token: { description: 'Token tautan lacak dari pesan WhatsApp ({PUBLIC_BASE_URL}/lacak/{token})' } };
const regNoParamSpec = { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } };

export function registerApplicantRoutes(router: Router, ctx: RouteContext): void {
  const { registry } = ctx;
  // The token routes get their own, stricter per-address bucket on top of the public one.
  const tokenLimiter = createRateLimiter(Math.max(1, Math.floor(ctx.config.RATE_LIMIT_PER_MINUTE / 2)), ctx.now, sharedStoreFor(ctx.config, ctx.db, 'token'));
  const sweep = setInterval(() => tokenLimiter.sweep(), 60_000);
  sweep.unref();
  const tokenLimit = [ctx.publicLimit, tokenLimiter.middleware];
  const token = (p: unknown) => String(p ?? '');

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/tracking/:token',
      operationId: 'trackByToken',
      summary: 'Lacak permohonan dengan tautan lacak (tanpa NIK)',
      description:
        'Jawaban sama dengan POST /api/tracking. Token acak ≥ 128 bit, hanya dikirim ke WhatsApp pemohon; tidak ada NIK atau nama dalam jawaban. ' +
        'Permohonan yang data pribadinya telah dihapus dijawab 410.',
      tags: ['publik'],
      auth: null,
      params: tokenParam,
      responses: {
        200: { description: 'Status permohonan', schema: tokenTrackingResponseSchema },
        404: problem('Token tidak dikenal'),
        410: problem('Data pribadi telah dihapus sesuai masa retensi'),
        429: problem('Terlalu banyak permintaan'),
      },
    },
    ...tokenLimit,
    async (req, res) => {
      const t = await trackByToken(ctx, token(req.params.token));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      const view = await trackingViewFromSnapshot(ctx.db, t.case, t.runs, t.receipt, ctx.config.policy.standardMinutes);
      res.json({ ...view, dataAccess: dataAccessItems(t.access) });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/tracking/:token/cancellation',
      operationId: 'applicantCancelByToken',
      summary: 'Pembatalan oleh pemohon dengan tautan lacak dan NIK',
      tags: ['publik'],
      auth: null,
      params: tokenParam,
      body: tokenCancellationSchema,
      responses: {
        200: { description: 'Permohonan dibatalkan', schema: actionResponseSchema },
        404: problem('Token tidak dikenal atau NIK tidak sesuai'),
        409: problem('Tidak dapat dibatalkan pada tahap ini'),
        429: problem('Terlalu banyak percobaan (per alamat, per permohonan, atau per NIK)'),
      },
    },
    ...tokenLimit,
    async (req, res) => {
      const body = parseBody(tokenCancellationSchema, req.body);
      const c = await applicantCaseByToken(ctx, token(req.params.token), body.nik);
      res.json(await cancelAsApplicant(ctx, c, body));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/tracking/:token/resubmission',
      operationId: 'resubmitByToken',
      summary: 'Kirim perbaikan berkas dengan tautan lacak dan NIK',
      tags: ['publik'],
      auth: null,
      params: tokenParam,
      body: tokenResubmissionSchema,
      responses: {
        202: { description: 'Perbaikan diterima; permohonan kembali ke verifikasi dokumen', schema: actionResponseSchema },
        404: problem('Token tidak dikenal atau NIK tidak sesuai'),
        409: problem('Permohonan tidak sedang menunggu perbaikan'),
        429: problem('Terlalu banyak percobaan'),
      },
    },
    ...tokenLimit,
    async (req, res) => {
      const body = parseBody(tokenResubmissionSchema, req.body);
      const c = await applicantCaseByToken(ctx, token(req.params.token), body.nik);
      res.status(202).json(await resubmitAsApplicant(ctx, c, body));
    },
  );

  const addressResponses = {
    200: { description: 'Alamat pengantaran tersimpan (changed: false bila sama dengan sebelumnya)', schema: addressChangeResponseSchema },
    404: problem('Tidak ditemukan (nomor/token dan NIK tidak cocok)'),
    409: problem('Dokumen sudah dibawa kurir atau permohonan sudah ditutup'),
    429: problem('Terlalu banyak percobaan'),
  };

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/tracking/:token/address',
      operationId: 'changeAddressByToken',
      summary: 'Perbaiki alamat pengantaran dengan tautan lacak dan NIK',
      description: 'Boleh sebelum kurir mengambil dokumen dari kantor, atau setelah pengantaran gagal.',
      tags: ['publik'],
      auth: null,
      params: tokenParam,
      body: addressChangeSchema,
      responses: addressResponses,
    },
    ...tokenLimit,
    async (req, res) => {
      const body = parseBody(addressChangeSchema, req.body);
      const delivery = validDelivery(body.delivery);
      const c = await applicantCaseByToken(ctx, token(req.params.token), body.nik);
      const r = await changeAddressAsApplicant(ctx, c, delivery);
      res.json({ registrationNumber: r.registrationNumber, changed: r.changed, district: r.district });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/address',
      operationId: 'changeAddress',
      summary: 'Perbaiki alamat pengantaran dengan nomor registrasi dan NIK',
      description: 'Boleh sebelum kurir mengambil dokumen dari kantor, atau setelah pengantaran gagal. NIK yang salah dijawab sama dengan nomor yang tidak dikenal (404).',
      tags: ['publik'],
      auth: null,
      params: regNoParamSpec,
      body: addressChangeSchema,
      responses: addressResponses,
    },
    ctx.publicLimit,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(addressChangeSchema, req.body);
      const delivery = validDelivery(body.delivery);
      const c = await applicantCaseByNumber(ctx, regNo, body.nik, 'change');
      const r = await changeAddressAsApplicant(ctx, c, delivery);
      res.json({ registrationNumber: r.registrationNumber, changed: r.changed, district: r.district });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/contact-correction',
      operationId: 'correctContact',
      summary: 'Koreksi alamat pengantaran atau nomor HP oleh operator (dengan alasan)',
      description: 'Sebelum dan sesudah dicatat di linimasa permohonan (basis data saja).',
      tags: ['petugas'],
      auth: ['operator'],
      params: regNoParamSpec,
      body: contactCorrectionSchema,
      responses: {
        200: { description: 'Tersimpan', schema: addressChangeResponseSchema },
        400: problem('Isian tidak valid'),
        404: problem('Tidak ditemukan'),
        409: problem('Permohonan sudah ditutup'),
      },
    },
    requireRole(ctx.db, ctx.tokens, ['operator']),
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(contactCorrectionSchema, req.body);
      if (!body.delivery && body.contactPhone === undefined) {
        throw ApiError.validation([{ path: 'delivery', message: 'Isi alamat pengantaran baru atau nomor HP baru' }]);
      }
      const change = {
        ...(body.delivery ? { delivery: validDelivery(body.delivery) } : {}),
        ...(body.contactPhone !== undefined ? { contactPhone: validPhone(body.contactPhone) } : {}),
      };
      const c = await findCase(ctx.db, regNo);
      if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');
      if (c.personal_data_erased_at) throw erasedError();
      const r = await correctContactAsOperator(ctx, c, change, req.user!, body.reason);
      res.json({ registrationNumber: r.registrationNumber, changed: r.changed, district: r.district });
    },
  );
}
