/** The WhatsApp outbox: every message is a row first (PENDING), then SENT or FAILED. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NotificationKind, NotificationRow } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  idempotencyKey: string;
  kind: NotificationKind;
  registrationNumber: string | null;
  recipient: string;
  text: string;
  provider: string;
  channel?: string;
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
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  return db.selectFrom('notifications').selectAll().where('idempotency_key', '=', n.idempotencyKey).executeTakeFirstOrThrow();
}

export async function markNotificationSent(db: Db, id: number, o: { provider: string; messageId: string | null; at: Date }): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'SENT', provider: o.provider, provider_message_id: o.messageId, sent_at: o.at, attempts: sql<number>`attempts + 1`, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markNotificationFailed(db: Db, id: number, error: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'FAILED', attempts: sql<number>`attempts + 1`, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export async function listNotifications(
  db: Db,
  o: { registrationNumber?: string; kind?: NotificationKind; limit?: number } = {},
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(o.limit ?? 100, 1), 500));
  if (o.registrationNumber) q = q.where('registration_number', '=', o.registrationNumber);
  if (o.kind) q = q.where('kind', '=', o.kind);
  return q.execute();
}
