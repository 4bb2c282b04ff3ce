/** Read queries of the courier's route (issue #14 item 4): deliveries at step 7 and who picked them up. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export const ROUTE_COLUMNS = [
  'registration_number',
  'document_type',
  'status',
  'current_step',
  'escalation_level',
  'closed_at',
  'waiting_for',
  'district',
  'step_started_at',
  'step_due_at',
  'overdue',
  'delivery_attempts',
  // Personal: shaped by the access layer before anything leaves the API.
  'contact_name',
  'contact_phone',
  'address',
  'rt',
  'rw',
  'village',
  'delivery_note',
] as const;

/** Cases a courier delivers: step 7 in progress, waiting for the courier or for a retry (not returned to the office). */
export async function routeCases(db: Db, limit = 500) {
  return db
    .selectFrom('cases')
    .select(ROUTE_COLUMNS)
    .where('status', '=', 'IN_PROGRESS')
    .where('current_step', '=', 'HANDOVER')
    .where('waiting_for', 'in', ['COURIER', 'DELIVERY_RETRY'])
    .orderBy('district')
    .orderBy('village')
    .orderBy('registration_number')
    .limit(limit)
    .execute();
}
export type RouteCaseRow = Awaited<ReturnType<typeof routeCases>>[number];

/**
 * Whether each case's card is with a courier now: its latest PICKED_UP, unless a failed attempt
 * or a return to the office came after it (the workflow's own rule: a failure resets the pickup);
 * and when each case's latest failed attempt was.
 */
export async function currentPickups(
  db: Db,
  registrationNumbers: readonly string[],
): Promise<{ pickups: Map<string, { username: string; name: string | null; at: Date }>; lastFailure: Map<string, Date> }> {
  const out = new Map<string, { username: string; name: string | null; at: Date }>();
  const lastFailure = new Map<string, Date>();
  if (registrationNumbers.length === 0) return { pickups: out, lastFailure };
  const rows = await db
    .selectFrom('case_events as e')
    .leftJoin('staff as s', 's.username', 'e.actor_username')
    .select(['e.registration_number', 'e.type', 'e.actor_username', 'e.at', 's.name'])
    .where('e.registration_number', 'in', [...registrationNumbers])
    .where('e.type', 'in', ['PICKED_UP', 'DELIVERY_FAILED', 'RETURNED_TO_OFFICE'])
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  for (const r of rows) {
    if (r.type === 'PICKED_UP' && r.actor_username) out.set(r.registration_number, { username: r.actor_username, name: r.name ?? null, at: new Date(r.at) });
    else out.delete(r.registration_number);
    if (r.type === 'DELIVERY_FAILED') lastFailure.set(r.registration_number, new Date(r.at));
  }
  return { pickups: out, lastFailure };
}

/** The viewer's own handovers and failed attempts since `since` (non-personal facts). */
export async function courierActsSince(db: Db, username: string, since: Date) {
  return db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.registration_number', 'e.registration_number')
    .select(['e.registration_number', 'e.type', 'e.at', 'c.district', 'c.document_type'])
    .where('e.actor_username', '=', username)
    .where('e.type', 'in', ['DELIVERED', 'DELIVERY_FAILED'])
    .where('e.at', '>=', since)
    .orderBy('e.at', 'desc')
    .limit(200)
    .execute();
}
