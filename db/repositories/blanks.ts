/** Blank card stock (blangko) and its movements. Every change is keyed, so a retry changes nothing twice. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { DocumentType } from '../../domain/sop.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StockRow {
  documentType: DocumentType;
  quantity: number;
  updatedAt: Date;
}

export async function getStock(db: Db): Promise<StockRow[]> {
  const rows = await db.selectFrom('blank_stock').selectAll().orderBy('document_type').execute();
  return rows.map((r) => ({ documentType: r.document_type, quantity: r.quantity, updatedAt: new Date(r.updated_at) }));
}

async function movementExists(db: Db, idempotencyKey: string): Promise<boolean> {
  const row = await db.selectFrom('blank_movements').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row !== undefined;
}

/**
 * Adds stock once per idempotency key. Returns whether this call added it (false: a repeat).
 * Runs in its own transaction unless given one.
 */
export async function addStock(
  db: Kysely<Database>,
  o: { documentType: DocumentType; quantity: number; note?: string | null; actorUsername?: string | null; idempotencyKey: string },
): Promise<{ added: boolean; quantity: number }> {
  if (!Number.isInteger(o.quantity) || o.quantity <= 0) throw new RangeError('quantity must be a positive integer');
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const inserted = await trx
      .insertInto('blank_movements')
      .values({
        document_type: o.documentType,
        delta: o.quantity,
        kind: 'ADD',
        registration_number: null,
        idempotency_key: o.idempotencyKey,
        note: o.note ?? null,
        actor_username: o.actorUsername ?? null,
        at: now,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await trx
        .updateTable('blank_stock')
        .set({ quantity: sql<number>`quantity + ${o.quantity}`, updated_at: now })
        .where('document_type', '=', o.documentType)
        .execute();
    }
    const row = await trx.selectFrom('blank_stock').select('quantity').where('document_type', '=', o.documentType).executeTakeFirstOrThrow();
    return { added: inserted !== undefined, quantity: row.quantity };
  });
}

/**
 * Takes one blank of the type inside the caller's transaction. 'consumed': taken now;
 * 'already': this key took one before (retry); 'empty': no stock (nothing changed).
 */
export async function consumeBlank(
  trx: Transaction<Database>,
  o: { documentType: DocumentType; registrationNumber: string; idempotencyKey: string; at: Date },
): Promise<'consumed' | 'already' | 'empty'> {
  if (await movementExists(trx, o.idempotencyKey)) return 'already';
  const taken = await trx
    .updateTable('blank_stock')
    .set({ quantity: sql<number>`quantity - 1`, updated_at: o.at })
    .where('document_type', '=', o.documentType)
    .where('quantity', '>', 0)
    .returning('quantity')
    .executeTakeFirst();
  if (!taken) return 'empty';
  await trx
    .insertInto('blank_movements')
    .values({
      document_type: o.documentType,
      delta: -1,
      kind: 'CONSUME',
      registration_number: o.registrationNumber,
      idempotency_key: o.idempotencyKey,
      note: null,
      actor_username: null,
      at: o.at,
    })
    .execute();
  return 'consumed';
}

/** Records a blank spoiled by a failed print (already consumed, so delta 0). */
export async function recordDamagedBlank(
  db: Db,
  o: { documentType: DocumentType; registrationNumber: string; idempotencyKey: string; note: string | null; actorUsername: string | null; at: Date },
): Promise<boolean> {
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
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listMovements(db: Db, o: { registrationNumber?: string; limit?: number } = {}) {
  let q = db.selectFrom('blank_movements').selectAll().orderBy('id', 'desc').limit(o.limit ?? 100);
  if (o.registrationNumber) q = q.where('registration_number', '=', o.registrationNumber);
  return q.execute();
}
