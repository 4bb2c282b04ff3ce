/** The outbox's delivery rules on a real database: NO_RECIPIENT, one sender per row, backoff and the retry window. */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import { createTestDatabase } from '../helpers/db.js';
import { silentLogger } from '../../infra/logger.js';
import { deliverNotification, retryDelayMs, retryDueNotifications, type OutboxDeps } from '../../activities/outbox.js';
import { enqueueNotification, resetForResend } from '../../db/repositories/notifications.js';
import type { OutgoingMessage, WhatsAppAdapter } from '../../activities/adapters/whatsapp.js';
import { seedStaff } from '../workflow/support.js';

let dbh: DatabaseHandle;
const sent: OutgoingMessage[] = [];
let down = false;
const whatsapp: WhatsAppAdapter = {
  provider: 'webhook',
  async send(m) {
    if (down) throw new Error('gateway down');
    sent.push(m);
    await new Promise((r) => setTimeout(r, 50));
    return { provider: 'webhook', messageId: null };
  },
};
let deps: OutboxDeps;
let n = 0;
const enqueue = (recipient: string) =>
  enqueueNotification(dbh.db, { idempotencyKey: `k${++n}`, kind: 'ESCALATION', registrationNumber: null, recipient, text: 'teks', provider: 'webhook', retryHours: 24 });
const row = (id: number) => dbh.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  dbh = await createTestDatabase();
  deps = { db: dbh.db, whatsapp, config: { WA_RETRY_HOURS: 24, WA_RETRY_BASE_SECONDS: 30 }, logger: silentLogger };
});
afterAll(async () => dbh?.close());
beforeEach(() => {
  sent.length = 0;
  down = false;
});

it('a role with no active staff phone ends NO_RECIPIENT, never SENT; after a phone is added a resend reaches it', async () => {
  const r = await enqueue('role:kadis');
  expect(await deliverNotification(deps, r)).toBe('NO_RECIPIENT');
  expect((await row(r.id)).status).toBe('NO_RECIPIENT');
  expect(sent).toHaveLength(0);
  await seedStaff(dbh.db, 'kadis9', 'kadis', '+6281100000099');
  await resetForResend(dbh.db, r.id, 24);
  await retryDueNotifications(deps);
  const after = await row(r.id);
  expect(after).toMatchObject({ status: 'SENT', recipient: '+6281100000099' });
  expect(sent.map((m) => m.recipient)).toEqual(['+6281100000099']);
});

it('two senders of the same row send it once', async () => {
  const r = await enqueue('+6281100000001');
  const results = await Promise.allSettled([deliverNotification(deps, r), deliverNotification(deps, r)]);
  expect(sent).toHaveLength(1);
  expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
  expect((await row(r.id)).status).toBe('SENT');
  expect(await deliverNotification(deps, await row(r.id))).toBe('SENT');
  expect(sent).toHaveLength(1);
});

it('a failed row is due again after the backoff, and not after its retry window', async () => {
  down = true;
  const r = await enqueue('+6281100000002');
  await expect(deliverNotification(deps, r)).rejects.toThrow('gateway down');
  const failed = await row(r.id);
  expect(failed.status).toBe('FAILED');
  expect(failed.attempts).toBe(1);
  expect(new Date(failed.next_attempt_at!).getTime() - Date.now()).toBeGreaterThan(20_000);
  expect(retryDelayMs(1, 30)).toBe(30_000);
  expect(retryDelayMs(20, 30)).toBe(30 * 60_000);
  down = false;
  await retryDueNotifications(deps); // not due yet
  expect((await row(r.id)).status).toBe('FAILED');
  await dbh.db.updateTable('notifications').set({ next_attempt_at: new Date(Date.now() - 1000), retry_until: new Date(Date.now() - 1) }).where('id', '=', r.id).execute();
  await retryDueNotifications(deps); // past its window: left for an operator's resend
  expect((await row(r.id)).status).toBe('FAILED');
  await dbh.db.updateTable('notifications').set({ retry_until: new Date(Date.now() + 3_600_000) }).where('id', '=', r.id).execute();
  await retryDueNotifications(deps);
  expect((await row(r.id)).status).toBe('SENT');
  expect(sent).toHaveLength(1);
});
