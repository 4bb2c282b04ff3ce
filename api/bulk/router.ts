/**
 * Bulk decisions for the one-minute steps: the sub-coordinator's print verification and the
 * kabid's approval (TTE) for several selected tasks in one confirmation, with a result per case.
 * The approval asks the account password again as the signing passphrase (checked once, before
 * any case is signed), and a preview says what the signature states.
 */
import type { Router } from 'express';
import { ACTION_RULES, ROLE_LABELS } from '../../domain/sop.js';
import { BULK_ACTIONS, PASSPHRASE_ACTIONS } from '../../domain/task-list.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseBody, parseQuery } from '../routes-public.js';
import { verifySigningPassphrase } from './passphrase.js';
import { approvalPreview, runBulkDecision } from './service.js';
import { approvalPreviewQuerySchema, approvalPreviewSchema, bulkDecisionBodySchema, bulkDecisionResponseSchema } from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const BULK_ROLES = [...new Set(BULK_ACTIONS.flatMap((a) => ACTION_RULES[a].roles))];
const SIGNER_ROLES = [...new Set(PASSPHRASE_ACTIONS.flatMap((a) => ACTION_RULES[a].roles))];

export function registerBulkRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/bulk/decisions',
      operationId: 'bulkDecision',
      summary: 'Setujui beberapa permohonan sekaligus (verifikasi cetak atau persetujuan TTE), hasil per permohonan',
      description:
        'Setiap permohonan diputuskan seperti keputusan tunggal (Update yang sama, idempoten). Satu permohonan yang gagal tidak menghentikan yang lain; ' +
        'hasilnya `done`, `skipped` (tidak di tahap ini lagi, atau sedang ditangani petugas lain) atau `failed`, dengan pesan dalam bahasa Indonesia. ' +
        'Persetujuan (approve) mewajibkan `passphrase`: kata sandi akun, diperiksa sekali sebelum apa pun ditandatangani (salah: 400, dan dihitung ke penguncian akun).',
      tags: ['petugas'],
      auth: BULK_ROLES,
      body: bulkDecisionBodySchema,
      responses: {
        200: { description: 'Hasil per permohonan', schema: bulkDecisionResponseSchema },
        400: problem('Isian tidak valid, atau frasa sandi salah (tidak ada yang ditandatangani)'),
        403: problem('Peran Anda tidak boleh mengambil keputusan ini'),
        429: problem('Akun dikunci sementara karena terlalu banyak frasa sandi/kata sandi salah'),
      },
    },
    requireRole(db, ctx.tokens, BULK_ROLES),
    async (req, res) => {
      const body = parseBody(bulkDecisionBodySchema, req.body);
      const user = req.user!;
      const rule = ACTION_RULES[body.action];
      if (!rule.roles.includes(user.role)) {
        throw new ApiError('forbidden', `Keputusan "${rule.title}" hanya dapat diambil oleh ${rule.roles.map((r) => ROLE_LABELS[r]).join(' atau ')}.`);
      }
      if (PASSPHRASE_ACTIONS.includes(body.action)) await verifySigningPassphrase(db, user.username, body.passphrase, ctx.now());
      const result = await runBulkDecision(ctx, user, body.action, body.registrationNumbers);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ action: body.action, ...result });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/bulk/approval-preview',
      operationId: 'approvalPreview',
      summary: 'Pratinjau yang akan ditandatangani: pernyataan persetujuan per permohonan dan penandatangannya',
      description: 'Nama pemohon hanya bila kebijakan akses mengizinkan (SPEC §9).',
      tags: ['petugas'],
      auth: SIGNER_ROLES,
      query: approvalPreviewQuerySchema,
      responses: { 200: { description: 'Pratinjau', schema: approvalPreviewSchema } },
    },
    requireRole(db, ctx.tokens, SIGNER_ROLES),
    async (req, res) => {
      const q = parseQuery(approvalPreviewQuerySchema, req.query);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await approvalPreview(ctx, req, q.registrationNumbers));
    },
  );
}
