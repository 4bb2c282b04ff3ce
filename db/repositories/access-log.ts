/** The append-only access log (SPEC §9) and the facts the access policy reads about cases. */
import type { Kysely, Transaction } from 'kysely';
import type { AccessLogTable, Database } from '../schema.js';
import type { Insertable, Selectable } from 'kysely';
import { COURIER_ACT_EVENT_TYPES } from '../../domain/access-policy.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AccessLogRow = Selectable<AccessLogTable>;
export type NewAccessLogRow = Insertable<AccessLogTable>;

export async function appendAccessLog(db: Db, rows: NewAccessLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('access_log').values(rows).execute();
}

export interface AccessLogFilter {
  registrationNumber?: string;
  username?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
}

/** Newest first. */
export async function listAccessLog(db: Db, f: AccessLogFilter): Promise<AccessLogRow[]> {
  let q = db.selectFrom('access_log').selectAll();
  if (f.registrationNumber) q = q.where('registration_number', '=', f.registrationNumber);
  if (f.username) q = q.where('username', '=', f.username);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** The reads of one case (for the citizen's tracking answer), oldest first, at most `limit` latest. */
export async function accessLogOfCase(db: Db, registrationNumber: string, limit = 200) {
  const rows = await db
    .selectFrom('access_log')
    .select(['role', 'kind', 'at', 'step_key'])
    .where('registration_number', '=', registrationNumber)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Couriers' own delivery attempts (handover, failed delivery) per case: the ekspedisi rule needs them. */
export async function courierActsOf(db: Db, registrationNumbers: readonly string[]): Promise<Map<string, Array<{ username: string; at: number }>>> {
  const out = new Map<string, Array<{ username: string; at: number }>>();
  if (registrationNumbers.length === 0) return out;
  const rows = await db
    .selectFrom('case_events')
    .select(['registration_number', 'actor_username', 'at'])
    .where('registration_number', 'in', [...new Set(registrationNumbers)])
    .where('type', 'in', [...COURIER_ACT_EVENT_TYPES])
    .where('actor_username', 'is not', null)
    .execute();
  for (const r of rows) {
    const list = out.get(r.registration_number) ?? [];
    list.push({ username: r.actor_username!, at: new Date(r.at).getTime() });
    out.set(r.registration_number, list);
  }
  return out;
}

/** The non-personal facts the policy needs, for cases named by number (notifications). */
export async function caseFactsRows(db: Db, registrationNumbers: readonly string[]) {
  if (registrationNumbers.length === 0) return [];
  return db
    .selectFrom('cases')
    .select(['registration_number', 'status', 'current_step', 'escalation_level', 'closed_at'])
    .where('registration_number', 'in', [...new Set(registrationNumbers)])
    .execute();
}
