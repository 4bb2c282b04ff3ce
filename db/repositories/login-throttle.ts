/**
 * Per-account login throttling (SPEC §9): failed logins counted per username as typed, in the
 * database so that every API process sees the same count. Keyed by the name given, whether or not
 * such an account exists, so a lockout does not tell which usernames exist.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface ThrottleRule {
  /** Failures within `windowMs` that lock the account. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const LOGIN_THROTTLE: ThrottleRule = { maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Until when the account is locked, or null. */
export async function lockedUntil(db: Kysely<Database>, username: string, now: Date): Promise<Date | null> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('username', '=', username).executeTakeFirst();
  const until = row?.locked_until ? new Date(row.locked_until) : null;
  return until && until > now ? until : null;
}

/**
 * Counts one failure (atomically, one statement): a window older than `windowMs` starts over; the
 * failure that reaches `maxFailures` locks the account for `lockMs`. Returns the lock, if any.
 */
export async function recordLoginFailure(db: Kysely<Database>, username: string, now: Date, rule: ThrottleRule = LOGIN_THROTTLE): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const lockEnd = new Date(now.getTime() + rule.lockMs);
  const res = await sql<{ locked_until: Date | string | null }>`
    insert into login_throttle (username, failures, window_started_at, locked_until)
    values (${username}, 1, ${now}, ${rule.maxFailures <= 1 ? lockEnd : null})
    on conflict (username) do update set
      failures = case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at <= ${windowStart} then ${now} else login_throttle.window_started_at end,
      locked_until = case
        when login_throttle.window_started_at > ${windowStart} and login_throttle.failures + 1 >= ${rule.maxFailures} then ${lockEnd}
        else login_throttle.locked_until end
    returning locked_until`.execute(db);
  // Forget old rows of names nobody is trying any more (bounded table).
  await db
    .deleteFrom('login_throttle')
    .where('window_started_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
  const until = res.rows[0]?.locked_until;
  return until ? new Date(until) : null;
}

/** A successful login (or an admin's reset) clears the count. */
export async function clearLoginFailures(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('username', '=', username).execute();
}
