/**
 * The WhatsApp outbox: every message is a row first (PENDING), then SENT, FAILED (retried with
 * backoff until `retry_until`) or NO_RECIPIENT (nobody could be reached: never counted as sent).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NotificationKind, NotificationRow, NotificationStatus } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  idempotencyKey: string;
  kind: NotificationKind;
  registrationNumber: string | null;
  recipient: string;
  text: string;
  provider: string;
  channel?: string;
  /** Retried for this many hours after a failure (WA_RETRY_HOURS). */
  retryHours?: number;
}

/** Inserts the PENDING row once per key; returns the row as stored (the first one on a repeat). */
export async function enqueueNotification(db: Db, n: NewNotification): Promise<NotificationRow> {
  await db
    .insertInto('notifications')
    .values({
      idempotency_key: n.idempotencyKey,
      kind: n.kind,
      registration_number: n.registrationNumber,
      channel: n.channel ?? 'whatsapp',
      recipient: n.recipient,
      text: n.text,
      status: 'PENDING',
      provider: n.provider,
      sent_at: null,
      retry_until: new Date(Date.now() + (n.retryHours ?? 24) * 3_600_000),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  return db.selectFrom('notifications').selectAll().where('idempotency_key', '=', n.idempotencyKey).executeTakeFirstOrThrow();
}

export async function markNotificationSent(db: Db, id: number, o: { provider: string; messageId: string | null; at: Date }): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'SENT', provider: o.provider, provider_message_id: o.messageId, sent_at: o.at, attempts: sql<number>`attempts + 1`, last_error: null, next_attempt_at: null, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/** A failed try: FAILED, tried again at `nextAttemptAt` (null: not again unless resent). */
export async function markNotificationFailed(db: Db, id: number, error: string, nextAttemptAt: Date | null = null): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'FAILED', attempts: sql<number>`attempts + 1`, last_error: error.slice(0, 500), next_attempt_at: nextAttemptAt, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/** Nobody to send to (a role without any active staff member with a phone). */
export async function markNotificationNoRecipient(db: Db, id: number, detail: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'NO_RECIPIENT', last_error: detail.slice(0, 500), next_attempt_at: null, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Claims an unsent row for one sender for `seconds` (the activity and the outbox retrier may both
 * hold it): true when this caller may send it now.
 */
export async function claimNotification(db: Db, id: number, seconds = 60): Promise<boolean> {
  const row = await db
    .updateTable('notifications')
    .set({ locked_until: sql<Date>`now() + (${seconds}::int * interval '1 second')` })
    .where('id', '=', id)
    .where('status', 'in', ['PENDING', 'FAILED'])
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Rows the retrier should try now: FAILED and due within their retry window, or PENDING and left behind by a sender. */
export async function dueNotifications(db: Db, o: { now: Date; stalePendingBefore: Date; limit?: number }): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'FAILED'), eb('next_attempt_at', '<=', o.now)]),
        // Resent by an operator (due now), or left PENDING by a sender that died before trying.
        eb.and([eb('status', '=', 'PENDING'), eb('next_attempt_at', '<=', o.now)]),
        eb.and([eb('status', '=', 'PENDING'), eb('next_attempt_at', 'is', null), eb('created_at', '<', o.stalePendingBefore)]),
      ]),
    )
    .where((eb) => eb.or([eb('retry_until', 'is', null), eb('retry_until', '>', o.now)]))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', o.now)]))
    .orderBy('id')
    .limit(o.limit ?? 50)
    .execute();
}

/** An operator's resend: PENDING again, due now, retried for another `retryHours`. */
export async function resetForResend(db: Db, id: number, retryHours: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'PENDING', next_attempt_at: new Date(), retry_until: new Date(Date.now() + retryHours * 3_600_000), locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function listNotifications(
  db: Db,
  o: { registrationNumber?: string; kind?: NotificationKind; status?: NotificationStatus; limit?: number } = {},
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(o.limit ?? 100, 1), 500));
  if (o.registrationNumber) q = q.where('registration_number', '=', o.registrationNumber);
  if (o.kind) q = q.where('kind', '=', o.kind);
  if (o.status) q = q.where('status', '=', o.status);
  return q.execute();
}
