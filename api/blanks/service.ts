/** The blank-stock ledger as the API serves it: stock, recent movements, adding, corrections. */
import type { Kysely, Selectable } from 'kysely';
import type { BlankMovementsTable, Database } from '../../db/schema.js';
import { adjustStock, addStock, getStock, listMovements } from '../../db/repositories/blanks.js';
import { casesWaitingForBlanks } from '../../db/repositories/cases.js';
import { BLANK_MOVEMENT_LABELS } from '../../domain/blanks.js';
import { DOCUMENT_TYPE_LABELS, type DocumentType } from '../../domain/sop.js';
import { blanksAddedSignal } from '../../workflows/messages.js';
import { lowStockHook } from '../../activities/low-stock.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from '../context.js';

export function movementView(m: Selectable<BlankMovementsTable>) {
  return {
    id: m.id,
    documentType: m.document_type,
    kind: m.kind,
    kindLabel: BLANK_MOVEMENT_LABELS[m.kind],
    delta: m.delta,
    balanceAfter: m.balance_after,
    registrationNumber: m.registration_number,
    note: m.note,
    actorUsername: m.actor_username,
    at: new Date(m.at).toISOString(),
  };
}

export async function ledgerView(db: Kysely<Database>, threshold: number, o: { documentType?: DocumentType; limit?: number } = {}) {
  const [stock, movements] = await Promise.all([getStock(db), listMovements(db, { documentType: o.documentType, limit: o.limit ?? 50 })]);
  return {
    items: stock.map((r) => ({ documentType: r.documentType, quantity: r.quantity, updatedAt: r.updatedAt.toISOString(), low: threshold > 0 && r.quantity < threshold })),
    lowStockThreshold: threshold,
    movements: movements.map(movementView),
  };
}

/** Tells the cases waiting in PRINTING for this type to try again; one failed signal must not hide the stock change. */
async function wakeWaitingCases(ctx: RouteContext, documentType: DocumentType): Promise<number> {
  const waiting = await casesWaitingForBlanks(ctx.db, documentType);
  await Promise.all(
    waiting.map(async (regNo) => {
      try {
        await ctx.temporal.workflow.getHandle(regNo).signal(blanksAddedSignal, { documentType });
      } catch (e) {
        ctx.logger.warn('blanksAdded signal failed', { registrationNumber: regNo, error: (e as Error).message });
      }
    }),
  );
  return waiting.length;
}

/**
 * The provider the outbox rows name. The API does not send WhatsApp messages itself: an alert it
 * enqueues stays PENDING for the outbox sender (role recipients are outbox-only anyway).
 */
const outboxProvider = (ctx: RouteContext) => ctx.config.WA_PROVIDER;

export async function addBlanks(ctx: RouteContext, o: { documentType: DocumentType; quantity: number; note: string | null; actorUsername: string; idempotencyKey: string }) {
  await addStock(ctx.db, { ...o, onChange: lowStockHook({ threshold: ctx.config.BLANK_LOW_STOCK, provider: outboxProvider(ctx) }).onChange });
  const resumed = await wakeWaitingCases(ctx, o.documentType);
  return { ...(await ledgerView(ctx.db, ctx.config.BLANK_LOW_STOCK)), resumed };
}

export async function adjustBlanks(ctx: RouteContext, o: { documentType: DocumentType; delta: number; reason: string; actorUsername: string; idempotencyKey: string }) {
  const hook = lowStockHook({ threshold: ctx.config.BLANK_LOW_STOCK, provider: outboxProvider(ctx) });
  const r = await adjustStock(ctx.db, { ...o, onChange: hook.onChange });
  if (r.status === 'insufficient') {
    throw new ApiError(
      'conflict',
      `Koreksi ditolak: stok blangko ${DOCUMENT_TYPE_LABELS[o.documentType]} saat ini ${r.quantity} lembar, ` +
        `koreksi ${o.delta} akan membuat stok kurang dari nol. Periksa kembali hasil stok opname.`,
    );
  }
  const movement = await ctx.db
    .selectFrom('blank_movements')
    .selectAll()
    .where('idempotency_key', '=', o.idempotencyKey)
    .executeTakeFirstOrThrow();
  const resumed = o.delta > 0 ? await wakeWaitingCases(ctx, o.documentType) : 0;
  return { ...(await ledgerView(ctx.db, ctx.config.BLANK_LOW_STOCK)), resumed, movement: movementView(movement) };
}
