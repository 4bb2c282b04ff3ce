/** Tracking tokens (hash + sealed copy) and the DB-backed attempt counters. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CaseRow, Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertTrackingToken(db: Db, registrationNumber: string, tokenHash: string, sealed: string): Promise<void> {
  await db
    .insertInto('tracking_tokens')
    .values({ registration_number: registrationNumber, token_hash: tokenHash, token_sealed: sealed })
    .onConflict((oc) => oc.column('registration_number').doNothing())
    .execute();
}

export async function trackingTokenRow(db: Db, registrationNumber: string) {
  return (await db.selectFrom('tracking_tokens').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst()) ?? null;
}

/** The case a token hash belongs to (also for an erased case: its hash stays as a tombstone). */
export async function findCaseByTokenHash(db: Db, tokenHash: string): Promise<CaseRow | null> {
  const row = await db.selectFrom('tracking_tokens').select('registration_number').where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row) return null;
  return (await db.selectFrom('cases').selectAll().where('registration_number', '=', row.registration_number).executeTakeFirst()) ?? null;
}

/**
 * One hit on a fixed-window counter: starts a new window when the current one is older than
 * `windowMs`. Atomic (one upsert); returns the count within the window, this hit included.
 */
export async function hitCounter(db: Db, key: string, windowMs: number, nowMs: number): Promise<{ count: number; windowStart: Date }> {
  const now = new Date(nowMs);
  const expired = new Date(nowMs - windowMs);
  const row = await db
    .insertInto('attempt_counters')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        window_start: sql`case when attempt_counters.window_start <= ${expired} then excluded.window_start else attempt_counters.window_start end`,
        count: sql`case when attempt_counters.window_start <= ${expired} then 1 else attempt_counters.count + 1 end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), windowStart: new Date(row.window_start) };
}

/** The count within the current window (0 when none or expired), without counting. */
export async function peekCounter(db: Db, key: string, windowMs: number, nowMs: number): Promise<number> {
  const row = await db.selectFrom('attempt_counters').select(['count', 'window_start']).where('key', '=', key).executeTakeFirst();
  if (!row || new Date(row.window_start).getTime() <= nowMs - windowMs) return 0;
  return Number(row.count);
}

/** Drops counters whose window ended long ago (housekeeping). */
export async function pruneCounters(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('attempt_counters').where('window_start', '<', olderThan).execute();
}
