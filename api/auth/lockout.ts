/** The 429 of a locked account (shared by login and the password change). */
import { ApiError } from '../errors.js';

export function accountLocked(until: Date, now: Date): ApiError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new ApiError('rate_limited', `Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci sementara; coba lagi dalam ${minutes} menit.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}
