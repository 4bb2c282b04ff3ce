/**
 * The low-stock alert: enqueued in the outbox inside the transaction of the stock movement that
 * crossed the threshold (so it is recorded exactly once per crossing, whoever moved the stock),
 * addressed to every active operator and sub-coordinator with a phone (`role:<role>` when none).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OnStockChange, StockChange } from '../db/repositories/blanks.js';
import { enqueueNotification, type NewNotification } from '../db/repositories/notifications.js';
import { crossedBelowThreshold, lowStockText } from '../domain/blanks.js';
import { DOCUMENT_TYPE_LABELS, type Role } from '../domain/sop.js';

export const LOW_STOCK_ROLES: readonly Role[] = ['operator', 'subkoordinator'];

async function recipientsOf(trx: Transaction<Database>, role: Role): Promise<string[]> {
  const rows = await trx.selectFrom('staff').select('phone').where('role', '=', role).where('active', '=', true).where('phone', 'is not', null).orderBy('username').execute();
  return rows.length ? rows.map((r) => r.phone!) : [`role:${role}`];
}

/**
 * An `OnStockChange` hook that enqueues the alert (PENDING) when `change` crosses `threshold`;
 * `enqueued` collects what it enqueued so the caller can try to send it after the commit.
 */
export function lowStockHook(o: { threshold: number; provider: string }): { onChange: OnStockChange; enqueued: Array<Omit<NewNotification, 'provider'>> } {
  const enqueued: Array<Omit<NewNotification, 'provider'>> = [];
  const onChange = async (trx: Transaction<Database>, c: StockChange) => {
    if (!crossedBelowThreshold(c.before, c.after, o.threshold)) return;
    const text = lowStockText({ documentTypeLabel: DOCUMENT_TYPE_LABELS[c.documentType], after: c.after, threshold: o.threshold });
    for (const role of LOW_STOCK_ROLES) {
      for (const recipient of await recipientsOf(trx, role)) {
        // Keyed by the movement that crossed: a retried movement is 'already' and never gets here again.
        const n = { idempotencyKey: `low-stock:${c.documentType}:${c.movementId}:${recipient}`, kind: 'ESCALATION' as const, registrationNumber: null, recipient, text };
        await enqueueNotification(trx, { ...n, provider: o.provider });
        enqueued.push(n);
      }
    }
  };
  return { onChange, enqueued };
}
