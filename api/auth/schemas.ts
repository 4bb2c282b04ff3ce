/** Request and answer schemas of the account's own routes (change password, logout). */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../domain/password-policy.js';

export const passwordChangeSchema = z
  .object({
    currentPassword: z
      .string({ error: 'Kata sandi saat ini harus diisi' })
      .min(1, { error: 'Kata sandi saat ini harus diisi' })
      .max(PASSWORD_MAX_LENGTH)
      .meta({ title: 'Kata sandi saat ini' }),
    newPassword: z
      .string({ error: 'Kata sandi baru harus diisi' })
      .min(1, { error: 'Kata sandi baru harus diisi' })
      .max(PASSWORD_MAX_LENGTH, { error: `Kata sandi maksimal ${PASSWORD_MAX_LENGTH} karakter` })
      .meta({ title: 'Kata sandi baru', description: 'Minimal 12 karakter, bukan kata sandi umum, tidak memuat nama pengguna atau nama' }),
  })
  .strict()
  .meta({ id: 'PasswordChangeRequest' });

export const passwordChangeResponseSchema = z
  .object({
    token: z.string().optional().describe('A new token for this session: every token issued before, this request’s included, is revoked (absent for a cookie session: the cookie is replaced)'),
    csrfToken: z.string().optional().describe('Cookie sessions only: the new session’s CSRF token'),
    expiresAt: z.string(),
    mustChangePassword: z.literal(false),
  })
  .meta({ id: 'PasswordChangeResponse' });
