/**
 * Delivery of outbox rows: one place for the activities (first tries) and the outbox retrier
 * (long retries with backoff, WA_RETRY_HOURS). A row is claimed before it is sent, so two senders
 * never send it twice; a role recipient is resolved to the active staff of that role with a phone,
 * and with none the row is NO_RECIPIENT (never SENT).
 */
import type { Kysely } from 'kysely';
import type { Database, NotificationRow } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { Role } from '../domain/sop.js';
import { ROLE_LABELS } from '../domain/sop.js';
import {
  claimNotification,
  dueNotifications,
  enqueueNotification,
  markNotificationFailed,
  markNotificationNoRecipient,
  markNotificationSent,
} from '../db/repositories/notifications.js';
import { isRoleRecipient, type WhatsAppAdapter } from './adapters/whatsapp.js';

export interface OutboxDeps {
  db: Kysely<Database>;
  whatsapp: WhatsAppAdapter;
  config: Pick<Config, 'WA_RETRY_HOURS' | 'WA_RETRY_BASE_SECONDS'>;
  logger: Logger;
  /** Called by the retrier after it sent a row (the runtime tells the case workflow about a courier-group message). */
  onSent?: (row: NotificationRow) => Promise<void>;
}

/** Pause before try `attempts + 1`: the base, doubling, at most 30 minutes. */
export function retryDelayMs(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(attempts - 1, 0), 30 * 60_000);
}

/** Phones of the active staff of `role`, in a stable order. */
export async function rolePhones(db: Kysely<Database>, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('staff')
    .select('phone')
    .where('role', '=', role)
    .where('active', '=', true)
    .where('phone', 'is not', null)
    .orderBy('username')
    .execute();
  return rows.map((r) => r.phone!).filter((p) => p.trim() !== '');
}

export class MessageBusyError extends Error {
  constructor(id: number) {
    super(`notification ${id} is being sent by another sender`);
    this.name = 'MessageBusyError';
  }
}

/**
 * Sends one row (once): SENT on success; FAILED with its next try on failure (the error is thrown
 * again); NO_RECIPIENT when nobody can be reached. Returns the final status.
 */
export async function deliverNotification(deps: OutboxDeps, row: NotificationRow): Promise<'SENT' | 'NO_RECIPIENT'> {
  const { db, whatsapp, config, logger } = deps;
  if (row.status === 'SENT' || row.status === 'NO_RECIPIENT') return row.status;
  if (isRoleRecipient(row.recipient)) {
    const role = row.recipient.slice('role:'.length) as Role;
    const phones = await rolePhones(db, role);
    if (phones.length === 0) {
      await markNotificationNoRecipient(db, row.id, `Tidak ada petugas aktif berperan ${ROLE_LABELS[role] ?? role} dengan nomor telepon.`);
      logger.warn('message has no recipient', { notificationId: row.id, kind: row.kind, role });
      return 'NO_RECIPIENT';
    }
    // Staff with a phone exist now (e.g. after a resend): one message each; this row becomes the first.
    await db.updateTable('notifications').set({ recipient: phones[0]! }).where('id', '=', row.id).where('status', '<>', 'SENT').execute();
    for (const phone of phones.slice(1)) {
      const copy = await enqueueNotification(db, {
        idempotencyKey: `${row.idempotency_key}:${phone}`,
        kind: row.kind,
        registrationNumber: row.registration_number,
        recipient: phone,
        text: row.text,
        provider: whatsapp.provider,
        retryHours: config.WA_RETRY_HOURS,
      });
      try {
        await deliverNotification(deps, copy);
      } catch {
        /* FAILED and due again: the retrier takes it */
      }
    }
    row = { ...row, recipient: phones[0]! };
  }
  if (!(await claimNotification(db, row.id))) {
    const now = await db.selectFrom('notifications').select('status').where('id', '=', row.id).executeTakeFirst();
    if (now?.status === 'SENT' || now?.status === 'NO_RECIPIENT') return now.status;
    throw new MessageBusyError(row.id);
  }
  try {
    const res = await whatsapp.send({ recipient: row.recipient, text: row.text, idempotencyKey: row.idempotency_key });
    await markNotificationSent(db, row.id, { provider: res.provider, messageId: res.messageId, at: new Date() });
    return 'SENT';
  } catch (e) {
    const attempts = row.attempts + 1;
    await markNotificationFailed(db, row.id, (e as Error).message, new Date(Date.now() + retryDelayMs(attempts, config.WA_RETRY_BASE_SECONDS)));
    logger.warn('whatsapp send failed', { notificationId: row.id, kind: row.kind, registrationNumber: row.registration_number, attempts, error: (e as Error).message });
    throw e;
  }
}

/** One pass over the due rows; returns how many were sent. */
export async function retryDueNotifications(deps: OutboxDeps): Promise<{ sent: number; failed: number }> {
  const now = new Date();
  const rows = await dueNotifications(deps.db, { now, stalePendingBefore: new Date(now.getTime() - 60_000) });
  let sent = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      if ((await deliverNotification(deps, row)) === 'SENT') {
        sent++;
        await deps.onSent?.(row).catch((e: unknown) => deps.logger.warn('after-send hook failed', { notificationId: row.id, error: (e as Error).message }));
      }
    } catch {
      failed++;
    }
  }
  return { sent, failed };
}

/** The worker's outbox retrier: a pass every few seconds (at most every WA_RETRY_BASE_SECONDS). */
export function startOutboxRetrier(deps: OutboxDeps): { stop(): Promise<void>; runOnce(): Promise<void> } {
  const everyMs = Math.max(1_000, Math.min(deps.config.WA_RETRY_BASE_SECONDS * 1000, 15_000));
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running
      .then(() => retryDueNotifications(deps))
      .then(
        (r) => {
          if (r.sent || r.failed) deps.logger.info('outbox retry pass', r);
        },
        (e) => deps.logger.warn('outbox retry pass failed', { error: (e as Error).message }),
      );
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void pass();
  }, everyMs);
  timer.unref();
  return {
    runOnce: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
