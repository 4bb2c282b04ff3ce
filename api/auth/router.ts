/**
 * The signed-in account's own routes: change the password (revokes every other token: the answer
 * carries the session's new one) and log out (revokes this token). Both work while a password
 * change is pending; everything else answers 403 until then.
 */
import type { Router } from 'express';
import { checkPassword } from '../../infra/password-strength.js';
import { findStaff, revokeToken, setPassword } from '../../db/repositories/staff.js';
import { lockedUntil, recordLoginFailure } from '../../db/repositories/login-throttle.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { hashPassword, requireRole, verifyPassword } from '../auth.js';
import { removeInitialAdminPasswordFile } from '../bootstrap.js';
import { parseBody } from '../routes-public.js';
import { accountLocked } from './lockout.js';
import { SESSION_MODE_HEADER, clearSessionCookie, sessionAnswer } from './session.js';
import { passwordChangeResponseSchema, passwordChangeSchema } from './schemas.js';

const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export function registerAccountRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const signedIn = requireRole(db, ctx.tokens, 'any', { allowPendingPasswordChange: true });

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/auth/password',
      operationId: 'changePassword',
      summary: 'Ganti kata sandi sendiri',
      description:
        'Kata sandi baru: minimal 12 karakter, bukan kata sandi umum, tidak memuat nama pengguna atau nama. Semua token akun ini yang terbit sebelumnya dicabut; jawaban membawa token baru untuk sesi ini.',
      tags: ['petugas'],
      auth: 'any',
      body: passwordChangeSchema,
      responses: {
        200: { description: 'Diganti; token baru', schema: passwordChangeResponseSchema },
        400: problem('Kata sandi saat ini salah, atau kata sandi baru ditolak (alasannya di errors)'),
        429: problem('Akun dikunci sementara karena terlalu banyak percobaan gagal'),
      },
    },
    signedIn,
    async (req, res) => {
      const body = parseBody(passwordChangeSchema, req.body);
      const now = new Date(ctx.now());
      const username = req.user!.username;
      const locked = await lockedUntil(db, username, now);
      if (locked) throw accountLocked(locked, now);
      const staff = await findStaff(db, username);
      if (!staff) throw new ApiError('unauthorized', 'Akun tidak aktif. Silakan hubungi administrator.');
      if (!(await verifyPassword(body.currentPassword, staff.password_hash))) {
        // A stolen token must not become a way around the login lockout.
        await recordLoginFailure(db, username, now);
        throw ApiError.validation([{ path: 'currentPassword', message: 'Kata sandi saat ini salah.' }]);
      }
      if (body.newPassword === body.currentPassword) {
        throw ApiError.validation([{ path: 'newPassword', message: 'Kata sandi baru harus berbeda dari kata sandi saat ini.' }]);
      }
      const verdict = await checkPassword(body.newPassword, { username, name: staff.name });
      if (!verdict.ok) throw ApiError.validation([{ path: 'newPassword', message: verdict.message }], verdict.message);
      const updated = await setPassword(db, username, await hashPassword(body.newPassword), { mustChange: false, now });
      if (!updated) throw new ApiError('unauthorized', 'Akun tidak aktif. Silakan hubungi administrator.');
      await removeInitialAdminPasswordFile(ctx.config, username, ctx.logger);
      ctx.logger.info('staff password changed', { username });
      const issued = ctx.tokens.issue({ username, role: updated.role, name: updated.name, tokenVersion: updated.token_version }, ctx.now());
      // A console session (cookie) gets a new cookie; an API client the new token in the body.
      if (req.authToken!.via === 'cookie') req.headers[SESSION_MODE_HEADER] = 'cookie';
      res.json({ ...sessionAnswer(req, res, issued, ctx.config.publicBaseUrl), mustChangePassword: false });
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/auth/logout',
      operationId: 'logout',
      summary: 'Keluar: token ini dicabut seketika',
      tags: ['petugas'],
      auth: 'any',
      responses: { 204: { description: 'Keluar' } },
    },
    signedIn,
    async (req, res) => {
      const t = req.authToken!;
      await revokeToken(db, { tokenHash: t.idHash, username: req.user!.username, expiresAt: t.expiresAt, now: new Date(ctx.now()) });
      clearSessionCookie(req, res, ctx.config.publicBaseUrl);
      res.status(204).end();
    },
  );
}
