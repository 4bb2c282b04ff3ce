/** Staff accounts. */
import type { Kysely } from 'kysely';
import type { Database, StaffRow } from '../schema.js';
import type { Role } from '../../domain/sop.js';

export async function findStaff(db: Kysely<Database>, username: string): Promise<StaffRow | null> {
  return (await db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst()) ?? null;
}

export async function listStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('role').orderBy('username').execute();
}

/** Inserts a staff member; false when the username exists. */
export async function createStaff(
  db: Kysely<Database>,
  s: { username: string; name: string; role: Role; passwordHash: string; phone: string | null; mustChangePassword?: boolean },
): Promise<boolean> {
  const res = await db
    .insertInto('staff')
    .values({ username: s.username, name: s.name, role: s.role, password_hash: s.passwordHash, phone: s.phone, must_change_password: s.mustChangePassword ?? false })
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account behind a token, and whether that token was logged out: one round trip per request. */
export async function findStaffForToken(db: Kysely<Database>, username: string, tokenHash: string): Promise<(StaffRow & { revoked: boolean }) | null> {
  const row = await db
    .selectFrom('staff')
    .selectAll('staff')
    .select((eb) => eb.exists(eb.selectFrom('revoked_tokens').select('token_hash').where('token_hash', '=', tokenHash)).as('revoked'))
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? { ...row, revoked: Boolean(row.revoked) } : null;
}

export interface StaffChanges {
  name?: string;
  role?: Role;
  phone?: string | null;
  /** The civil-servant number printed and signed with the TTE (null clears it). */
  nip?: string | null;
  active?: boolean;
}

/**
 * Applies an admin's changes. Deactivation and a role change bump token_version (every token of
 * the account stops working at once, in every API process). Refuses (returns 'last_admin') to
 * leave no active admin. Null when the account does not exist.
 */
export async function updateStaff(db: Kysely<Database>, username: string, changes: StaffChanges): Promise<StaffRow | 'last_admin' | null> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').selectAll().where('username', '=', username).forUpdate().executeTakeFirst();
    if (!current) return null;
    const roleChanged = changes.role !== undefined && changes.role !== current.role;
    const deactivated = changes.active === false && current.active;
    const losesAdmin = current.role === 'admin' && current.active && (deactivated || roleChanged);
    if (losesAdmin) {
      // Lock the admin rows so two processes cannot each remove "the other" last admin.
      const admins = await trx.selectFrom('staff').select('username').where('role', '=', 'admin').where('active', '=', true).forUpdate().execute();
      if (admins.filter((a) => a.username !== username).length === 0) return 'last_admin';
    }
    const revoke = roleChanged || deactivated;
    return trx
      .updateTable('staff')
      .set((eb) => ({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
        ...(changes.nip !== undefined ? { nip: changes.nip } : {}),
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        ...(revoke ? { token_version: eb('token_version', '+', 1) } : {}),
      }))
      .where('username', '=', username)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Sets a new password hash and revokes every token issued before (token_version + 1).
 * `mustChange`: true after an admin's reset, false after the account chose its own.
 */
export async function setPassword(
  db: Kysely<Database>,
  username: string,
  passwordHash: string,
  opts: { mustChange: boolean; now: Date },
): Promise<StaffRow | null> {
  return (
    (await db
      .updateTable('staff')
      .set((eb) => ({
        password_hash: passwordHash,
        must_change_password: opts.mustChange,
        password_changed_at: opts.now,
        token_version: eb('token_version', '+', 1),
      }))
      .where('username', '=', username)
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

/** Records a logged-out token until its expiry, and drops records of tokens that expired anyway. */
export async function revokeToken(db: Kysely<Database>, t: { tokenHash: string; username: string; expiresAt: Date; now: Date }): Promise<void> {
  await db
    .insertInto('revoked_tokens')
    .values({ token_hash: t.tokenHash, username: t.username, expires_at: t.expiresAt })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', t.now).execute();
}
