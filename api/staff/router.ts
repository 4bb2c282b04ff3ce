/**
 * Staff administration by the admin (SPEC §4, §9): change name, role, phone, deactivate or
 * reactivate an account, reset its password. Deactivation, a role change and a reset revoke the
 * account's tokens at once (token_version, in the database: every API process sees it).
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { normalizeIndonesianMobile } from '../../domain/citizen.js';
import { checkPassword } from '../../infra/password-strength.js';
import { setPassword, updateStaff, type StaffChanges } from '../../db/repositories/staff.js';
import { clearLoginFailures } from '../../db/repositories/login-throttle.js';
import type { StaffRow } from '../../db/schema.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { generateTemporaryPassword, hashPassword, requireRole } from '../auth.js';
import { parseBody } from '../routes-public.js';
import { passwordResetResponseSchema, staffItemSchema, staffUpdateSchema } from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const usernameParamSpec = { username: { description: 'Nama pengguna petugas' } };
const USERNAME_RE = /^[a-z0-9._-]{3,32}$/;

export function staffItem(s: StaffRow): z.infer<typeof staffItemSchema> {
  return {
    username: s.username,
    name: s.name,
    role: s.role,
    phone: s.phone,
    nip: s.nip,
    active: s.active,
    mustChangePassword: s.must_change_password,
    createdAt: new Date(s.created_at).toISOString(),
  };
}

function usernameParam(req: Request): string {
  const u = String(req.params.username ?? '');
  if (!USERNAME_RE.test(u)) throw ApiError.notFound('Petugas tidak ditemukan.');
  return u;
}

/** A staff phone: '' or null clears it; otherwise an Indonesian mobile number, stored as E.164. */
export function staffPhone(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null;
  const phone = normalizeIndonesianMobile(raw);
  if (!phone) throw ApiError.validation([{ path: 'phone', message: 'Nomor HP harus nomor seluler Indonesia (08…, +628… atau 628…)' }]);
  return phone;
}

/** A generated password that passes the policy (practically always the first one). */
export async function temporaryPasswordFor(account: { username: string; name: string }): Promise<string> {
  for (;;) {
    const p = generateTemporaryPassword();
    if ((await checkPassword(p, account)).ok) return p;
  }
}

export function registerStaffAdminRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const admin = requireRole(db, ctx.tokens, ['admin']);

  registry.add(
    router,
    {
      method: 'patch',
      path: '/api/staff/:username',
      operationId: 'updateStaff',
      summary: 'Ubah petugas: nama, peran, nomor HP, aktif/nonaktif',
      description: 'Menonaktifkan akun atau mengubah perannya mencabut semua token akun itu seketika.',
      tags: ['petugas'],
      auth: ['admin'],
      params: usernameParamSpec,
      body: staffUpdateSchema,
      responses: {
        200: { description: 'Petugas setelah diubah', schema: staffItemSchema },
        404: problem('Petugas tidak ditemukan'),
        409: problem('Akan membuat tidak ada admin aktif'),
      },
    },
    admin,
    async (req, res) => {
      const username = usernameParam(req);
      const body = parseBody(staffUpdateSchema, req.body);
      const changes: StaffChanges = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.role !== undefined ? { role: body.role } : {}),
        ...(body.phone !== undefined ? { phone: staffPhone(body.phone) } : {}),
        ...(body.nip !== undefined ? { nip: body.nip } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      };
      const updated = await updateStaff(db, username, changes);
      if (updated === null) throw ApiError.notFound('Petugas tidak ditemukan.');
      if (updated === 'last_admin') {
        throw new ApiError('conflict', 'Tidak dapat dilakukan: harus tetap ada paling sedikit satu admin aktif.');
      }
      ctx.logger.info('staff account changed', { username, by: req.user!.username, fields: Object.keys(changes) });
      res.json(staffItem(updated));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/staff/:username/password-reset',
      operationId: 'resetStaffPassword',
      summary: 'Atur ulang kata sandi petugas: kata sandi sementara, wajib diganti saat masuk berikutnya',
      description: 'Mencabut semua token akun itu dan membuka kunci akibat percobaan masuk yang gagal. Kata sandi sementara hanya ditampilkan sekali.',
      tags: ['petugas'],
      auth: ['admin'],
      params: usernameParamSpec,
      responses: { 200: { description: 'Kata sandi sementara', schema: passwordResetResponseSchema }, 404: problem('Petugas tidak ditemukan') },
    },
    admin,
    async (req, res) => {
      const username = usernameParam(req);
      const current = await db.selectFrom('staff').select(['username', 'name']).where('username', '=', username).executeTakeFirst();
      if (!current) throw ApiError.notFound('Petugas tidak ditemukan.');
      const temporaryPassword = await temporaryPasswordFor(current);
      const updated = await setPassword(db, username, await hashPassword(temporaryPassword), { mustChange: true, now: new Date(ctx.now()) });
      if (!updated) throw ApiError.notFound('Petugas tidak ditemukan.');
      await clearLoginFailures(db, username);
      ctx.logger.info('staff password reset', { username, by: req.user!.username });
      res.setHeader('Cache-Control', 'no-store');
      res.json({ username, temporaryPassword, mustChangePassword: true });
    },
  );
}
