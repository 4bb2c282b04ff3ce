/** Claims as the API shows them ("sedang ditangani oleh …"), and who may claim a case. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { claimNote, isTaskOf } from '../../domain/task-list.js';
import type { CaseRow } from '../../db/schema.js';
import type { Role } from '../../domain/sop.js';
import { findCase } from '../../db/repositories/cases.js';
import { ApiError } from '../errors.js';

export function claimView(c: { username: string; name: string | null; claimedAt: Date }, viewer: string) {
  const name = c.name ?? c.username;
  return { username: c.username, name, claimedAt: c.claimedAt.toISOString(), mine: c.username === viewer, note: claimNote(name) };
}

/** The case, when it is one of the role's tasks now (404 unknown, 409 not a task of this role any more). */
export async function claimableCase(db: Kysely<Database>, regNo: string, role: Role): Promise<CaseRow> {
  const c = await findCase(db, regNo);
  if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');
  if (!isTaskOf(role, { status: c.status, currentStep: c.current_step, waitingFor: c.waiting_for })) {
    throw new ApiError('conflict', 'Permohonan ini tidak sedang menunggu tindakan peran Anda, jadi tidak dapat ditangani dari daftar tugas.');
  }
  return c;
}
