/**
 * Blank card stock (blangko) as a ledger. Every movement is a `blank_movements` row (with the
 * balance after it); `blank_stock` is the balance row, changed in the same transaction as the
 * ledger row by a conditional UPDATE, so concurrent movements serialize on that row and the
 * stock never goes below zero (also a CHECK in the table). Every movement is keyed, so a retry
 * changes nothing twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BlankMovementKind, Database } from '../schema.js';
import type { DocumentType } from '../../domain/sop.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StockRow {
  documentType: DocumentType;
  quantity: number;
  updatedAt: Date;
}

/**
 * A movement that took the stock of a type from `before` to `after` (both known exactly: they
 * come from the same locked row). The low-stock alert hangs on this.
 */
export interface StockChange {
  movementId: number;
  documentType: DocumentType;
  kind: BlankMovementKind;
  before: number;
  after: number;
  at: Date;
}

/** Called inside the movement's transaction (e.g. to enqueue a low-stock alert atomically). */
export type OnStockChange = (trx: Transaction<Database>, change: StockChange) => Promise<void>;

export async function getStock(db: Db): Promise<StockRow[]> {
  const rows = await db.selectFrom('blank_stock').selectAll().orderBy('document_type').execute();
  return rows.map((r) => ({ documentType: r.document_type, quantity: r.quantity, updatedAt: new Date(r.updated_at) }));
}

/** Stock as the ledger says: the sum of every movement's delta per type. */
export async function ledgerStock(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('blank_movements')
    .select(['document_type', sql<number>`coalesce(sum(delta), 0)::int`.as('total')])
    .groupBy('document_type')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.document_type, Number(r.total)]));
}

async function movementExists(db: Db, idempotencyKey: string): Promise<boolean> {
  const row = await db.selectFrom('blank_movements').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row !== undefined;
}

interface MovementInput {
  documentType: DocumentType;
  delta: number;
  kind: BlankMovementKind;
  registrationNumber: string | null;
  idempotencyKey: string;
  note: string | null;
  actorUsername: string | null;
  at: Date;
}

/**
 * The one place stock changes: applies `delta` to the balance row only if the result stays ≥ 0,
 * then appends the ledger row with the balance after it. 'already': this key moved stock before;
 * 'insufficient': the stock would go below zero (nothing changed).
 */
async function move(
  trx: Transaction<Database>,
  m: MovementInput,
  onChange?: OnStockChange,
): Promise<{ status: 'moved'; after: number; movementId: number } | { status: 'already' } | { status: 'insufficient'; current: number }> {
  if (await movementExists(trx, m.idempotencyKey)) return { status: 'already' };
  const updated = await trx
    .updateTable('blank_stock')
    .set({ quantity: sql<number>`quantity + ${m.delta}`, updated_at: m.at })
    .where('document_type', '=', m.documentType)
    .where(sql<boolean>`quantity + ${m.delta} >= 0`)
    .returning('quantity')
    .executeTakeFirst();
  if (!updated) {
    const row = await trx.selectFrom('blank_stock').select('quantity').where('document_type', '=', m.documentType).executeTakeFirst();
    return { status: 'insufficient', current: row?.quantity ?? 0 };
  }
  // A concurrent retry with the same key that got past the check above fails here on the unique
  // key and rolls its whole transaction back (its stock change included).
  const inserted = await trx
    .insertInto('blank_movements')
    .values({
      document_type: m.documentType,
      delta: m.delta,
      kind: m.kind,
      registration_number: m.registrationNumber,
      idempotency_key: m.idempotencyKey,
      note: m.note,
      actor_username: m.actorUsername,
      at: m.at,
      balance_after: updated.quantity,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (onChange && m.delta !== 0) {
    await onChange(trx, { movementId: inserted.id, documentType: m.documentType, kind: m.kind, before: updated.quantity - m.delta, after: updated.quantity, at: m.at });
  }
  return { status: 'moved', after: updated.quantity, movementId: inserted.id };
}

/**
 * Adds stock once per idempotency key. Returns whether this call added it (false: a repeat).
 * Runs in its own transaction.
 */
export async function addStock(
  db: Kysely<Database>,
  o: { documentType: DocumentType; quantity: number; note?: string | null; actorUsername?: string | null; idempotencyKey: string; onChange?: OnStockChange },
): Promise<{ added: boolean; quantity: number }> {
  if (!Number.isInteger(o.quantity) || o.quantity <= 0) throw new RangeError('quantity must be a positive integer');
  return db.transaction().execute(async (trx) => {
    const r = await move(
      trx,
      { documentType: o.documentType, delta: o.quantity, kind: 'ADD', registrationNumber: null, idempotencyKey: o.idempotencyKey, note: o.note ?? null, actorUsername: o.actorUsername ?? null, at: new Date() },
      o.onChange,
    );
    const row = await trx.selectFrom('blank_stock').select('quantity').where('document_type', '=', o.documentType).executeTakeFirstOrThrow();
    return { added: r.status === 'moved', quantity: row.quantity };
  });
}

export type AdjustResult = { status: 'adjusted'; quantity: number; movementId: number } | { status: 'already'; quantity: number } | { status: 'insufficient'; quantity: number };

/**
 * A stock-taking correction (may be negative, never below zero), with its reason. Once per key.
 * 'insufficient': the correction would take the stock below zero; nothing changed.
 */
export async function adjustStock(
  db: Kysely<Database>,
  o: { documentType: DocumentType; delta: number; reason: string; actorUsername: string; idempotencyKey: string; at?: Date; onChange?: OnStockChange },
): Promise<AdjustResult> {
  if (!Number.isInteger(o.delta) || o.delta === 0) throw new RangeError('delta must be a non-zero integer');
  return db.transaction().execute(async (trx) => {
    const r = await move(
      trx,
      { documentType: o.documentType, delta: o.delta, kind: 'CORRECTION', registrationNumber: null, idempotencyKey: o.idempotencyKey, note: o.reason, actorUsername: o.actorUsername, at: o.at ?? new Date() },
      o.onChange,
    );
    if (r.status === 'moved') return { status: 'adjusted', quantity: r.after, movementId: r.movementId };
    if (r.status === 'insufficient') return { status: 'insufficient', quantity: r.current };
    const row = await trx.selectFrom('blank_stock').select('quantity').where('document_type', '=', o.documentType).executeTakeFirstOrThrow();
    return { status: 'already', quantity: row.quantity };
  });
}

/**
 * Takes one blank of the type inside the caller's transaction. 'consumed': taken now;
 * 'already': this key took one before (retry); 'empty': no stock (nothing changed).
 */
export async function consumeBlank(
  trx: Transaction<Database>,
  o: { documentType: DocumentType; registrationNumber: string; idempotencyKey: string; at: Date; onChange?: OnStockChange },
): Promise<'consumed' | 'already' | 'empty'> {
  const r = await move(
    trx,
    { documentType: o.documentType, delta: -1, kind: 'CONSUME', registrationNumber: o.registrationNumber, idempotencyKey: o.idempotencyKey, note: null, actorUsername: null, at: o.at },
    o.onChange,
  );
  return r.status === 'moved' ? 'consumed' : r.status === 'already' ? 'already' : 'empty';
}

/** Records a blank spoiled by a failed print (already consumed by that print, so delta 0). */
export async function recordDamagedBlank(
  db: Db,
  o: { documentType: DocumentType; registrationNumber: string; idempotencyKey: string; note: string | null; actorUsername: string | null; at: Date },
): Promise<boolean> {
  const stock = await db.selectFrom('blank_stock').select('quantity').where('document_type', '=', o.documentType).executeTakeFirst();
  const inserted = await db
    .insertInto('blank_movements')
    .values({
      document_type: o.documentType,
      delta: 0,
      kind: 'DAMAGED',
      registration_number: o.registrationNumber,
      idempotency_key: o.idempotencyKey,
      note: o.note,
      actor_username: o.actorUsername,
      at: o.at,
      balance_after: stock?.quantity ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listMovements(db: Db, o: { registrationNumber?: string; documentType?: DocumentType; limit?: number } = {}) {
  let q = db.selectFrom('blank_movements').selectAll().orderBy('id', 'desc').limit(o.limit ?? 100);
  if (o.registrationNumber) q = q.where('registration_number', '=', o.registrationNumber);
  if (o.documentType) q = q.where('document_type', '=', o.documentType);
  return q.execute();
}

/** Damaged blanks recorded in [from, to), oldest first, with the officer's name. */
export async function damagedBlanksBetween(db: Db, from: Date, to: Date) {
  return db
    .selectFrom('blank_movements')
    .leftJoin('staff', 'staff.username', 'blank_movements.actor_username')
    .select([
      'blank_movements.id',
      'blank_movements.document_type',
      'blank_movements.registration_number',
      'blank_movements.note',
      'blank_movements.actor_username',
      'blank_movements.at',
      'staff.name as actor_name',
    ])
    .where('blank_movements.kind', '=', 'DAMAGED')
    .where('blank_movements.at', '>=', from)
    .where('blank_movements.at', '<', to)
    .orderBy('blank_movements.at')
    .orderBy('blank_movements.id')
    .execute();
}
