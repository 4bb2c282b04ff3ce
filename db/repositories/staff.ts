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
  s: { username: string; name: string; role: Role; passwordHash: string; phone: string | null },
): Promise<boolean> {
  const res = await db
    .insertInto('staff')
    .values({ username: s.username, name: s.name, role: s.role, password_hash: s.passwordHash, phone: s.phone })
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
