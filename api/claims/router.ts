/**
 * Claiming a task ("sedang ditangani oleh …", seen by everyone on the task list) and releasing
 * it. Stored in `task_claims`; a claim lapses by itself when the case leaves the claimed step.
 */
import type { Router } from 'express';
import { SOP_ROLES } from '../../domain/sop.js';
import { claimTask, liveClaim, releaseTask } from '../../db/repositories/task-list.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseBody, regNoParam } from '../routes-public.js';
import { claimableCase, claimView } from './service.js';
import { claimBodySchema, claimResponseSchema } from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const regNoParamSpec = { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } };

export function registerClaimRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const auth = requireRole(db, ctx.tokens, SOP_ROLES);

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/claims/:regNo',
      operationId: 'claimTask',
      summary: 'Tangani tugas ini: petugas lain melihat "sedang ditangani oleh …"',
      description:
        'Berlaku selama permohonan masih di tahap yang sama. Bila petugas lain sedang menanganinya: 409, kecuali `takeOver: true` (peran yang sama). ' +
        'Mengulang permintaan oleh penangan yang sama tidak mengubah apa pun selain waktunya.',
      tags: ['petugas'],
      auth: SOP_ROLES,
      params: regNoParamSpec,
      body: claimBodySchema,
      responses: {
        200: { description: 'Sedang Anda tangani', schema: claimResponseSchema },
        404: problem('Permohonan tidak ditemukan'),
        409: problem('Sedang ditangani petugas lain, atau bukan tugas peran Anda saat ini'),
      },
    },
    auth,
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(claimBodySchema, req.body ?? {});
      const user = req.user!;
      const c = await claimableCase(db, regNo, user.role);
      const before = await liveClaim(db, regNo, c.current_step);
      if (before && before.username !== user.username && !body.takeOver) {
        throw new ApiError('conflict', `Permohonan ini sedang ditangani oleh ${before.name ?? before.username}. Pilih "Ambil alih" bila ia berhalangan.`);
      }
      const claim = await claimTask(db, { registrationNumber: regNo, step: c.current_step, username: user.username, at: new Date(ctx.now()), takeOver: body.takeOver === true });
      if (claim.username !== user.username) {
        // Another claim won the race between the check and the upsert.
        throw new ApiError('conflict', `Permohonan ini sedang ditangani oleh ${claim.name ?? claim.username}.`);
      }
      const takenOverFrom = before && before.username !== user.username ? (before.name ?? before.username) : null;
      if (takenOverFrom) ctx.logger.info('task claim taken over', { registrationNumber: regNo, step: c.current_step, by: user.username, from: before!.username });
      res.json({ registrationNumber: regNo, claim: claimView(claim, user.username), takenOverFrom });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/claims/:regNo/release',
      operationId: 'releaseTask',
      summary: 'Lepaskan tugas yang sedang Anda tangani',
      description: 'Hanya penangan sendiri yang dapat melepaskan; tugas yang tidak sedang Anda tangani: 409.',
      tags: ['petugas'],
      auth: SOP_ROLES,
      params: regNoParamSpec,
      responses: {
        200: { description: 'Dilepaskan', schema: claimResponseSchema },
        404: problem('Permohonan tidak ditemukan'),
        409: problem('Tugas ini tidak sedang Anda tangani'),
      },
    },
    auth,
    async (req, res) => {
      const regNo = regNoParam(req);
      const user = req.user!;
      const c = await claimableCase(db, regNo, user.role);
      const released = await releaseTask(db, { registrationNumber: regNo, step: c.current_step, username: user.username });
      if (!released) {
        const holder = await liveClaim(db, regNo, c.current_step);
        throw new ApiError(
          'conflict',
          holder ? `Tugas ini sedang ditangani oleh ${holder.name ?? holder.username}, bukan oleh Anda; hanya ia yang dapat melepaskannya.` : 'Tugas ini tidak sedang Anda tangani.',
        );
      }
      res.json({ registrationNumber: regNo, claim: null });
    },
  );
}
