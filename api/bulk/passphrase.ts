/**
 * The signing passphrase: the kabid re-enters the account password before an electronic signature
 * (TTE), single or bulk, the way signing with BSrE asks for one. Checked against the stored hash;
 * a wrong one counts toward the login lockout (a stolen session must not guess it), and the
 * passphrase itself is never stored or logged.
 */
import type { Kysely } from 'kysely';
import type { Database, StaffRow } from '../../db/schema.js';
import { findStaff } from '../../db/repositories/staff.js';
import { clearLoginFailures, lockedUntil, recordLoginFailure } from '../../db/repositories/login-throttle.js';
import { ApiError } from '../errors.js';
import { verifyPassword } from '../auth.js';
import { accountLocked } from '../auth/lockout.js';

export const PASSPHRASE_MISSING = 'Masukkan kata sandi akun Anda sebagai frasa sandi tanda tangan elektronik.';
export const PASSPHRASE_WRONG = 'Frasa sandi salah. Tidak ada yang ditandatangani; masukkan kata sandi akun Anda.';

export async function verifySigningPassphrase(db: Kysely<Database>, username: string, passphrase: string | undefined, nowMs: number): Promise<StaffRow> {
  const now = new Date(nowMs);
  const locked = await lockedUntil(db, username, now);
  if (locked) throw accountLocked(locked, now);
  if (!passphrase) throw ApiError.validation([{ path: 'passphrase', message: PASSPHRASE_MISSING }], PASSPHRASE_MISSING);
  const staff = await findStaff(db, username);
  if (!staff || !staff.active) throw new ApiError('unauthorized', 'Akun tidak aktif. Silakan hubungi administrator.');
  if (!(await verifyPassword(passphrase, staff.password_hash))) {
    await recordLoginFailure(db, username, now);
    throw ApiError.validation([{ path: 'passphrase', message: PASSPHRASE_WRONG }], PASSPHRASE_WRONG);
  }
  await clearLoginFailures(db, username);
  return staff;
}

/** Whether every approval must carry the passphrase (APPROVAL_PASSPHRASE; unset: required in production). */
export function approvalPassphraseRequired(config: { APPROVAL_PASSPHRASE?: 'required' | 'optional'; NODE_ENV: string }): boolean {
  return (config.APPROVAL_PASSPHRASE ?? (config.NODE_ENV === 'production' ? 'required' : 'optional')) === 'required';
}

/**
 * The single approval's hook (POST …/actions/approve): an approving decision is checked against
 * the passphrase when one is sent, or always when required; the passphrase is removed from the
 * body, so it is neither stored with the action's input nor hashed into its identity.
 */
export async function takeApprovalPassphrase(
  db: Kysely<Database>,
  config: { APPROVAL_PASSPHRASE?: 'required' | 'optional'; NODE_ENV: string },
  username: string,
  body: Record<string, unknown>,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const { passphrase, ...rest } = body;
  if (rest.decision === 'approve' && (passphrase !== undefined || approvalPassphraseRequired(config))) {
    await verifySigningPassphrase(db, username, typeof passphrase === 'string' ? passphrase : undefined, nowMs);
  }
  return rest;
}
