/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Blank stock as a ledger: every movement (ADD, CONSUME, DAMAGED, CORRECTION, OPENING) is a row
 * with the balance after it; `blank_stock` stays as the balance row, updated in the same
 * transaction as each ledger row. Today's balance becomes one OPENING row per type (its delta
 * reconciles the old movements with the stored quantity, so the deltas sum to the stock).
 * Also: the archived daily recaps gain their hashes and closing time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('blank_movements').addColumn('balance_after', 'integer').execute();
  await db.schema.createIndex('blank_movements_type_at').on('blank_movements').columns(['document_type', 'at']).execute();
  await db.schema.createIndex('blank_movements_kind_at').on('blank_movements').columns(['kind', 'at']).execute();
  await sql`
    insert into blank_movements (document_type, delta, kind, registration_number, idempotency_key, note, actor_username, at, balance_after)
    select s.document_type,
           s.quantity - coalesce((select sum(m.delta) from blank_movements m where m.document_type = s.document_type), 0),
           'OPENING', null, 'opening:' || s.document_type,
           'Saldo awal buku stok blangko', null, now(), s.quantity
    from blank_stock s
    on conflict (idempotency_key) do nothing
  `.execute(db);

  await db.schema.alterTable('daily_recaps').addColumn('pdf_sha256', 'text').execute();
  await db.schema.alterTable('daily_recaps').addColumn('csv_sha256', 'text').execute();
  await db.schema.alterTable('daily_recaps').addColumn('closed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('daily_recaps').dropColumn('closed_at').execute();
  await db.schema.alterTable('daily_recaps').dropColumn('csv_sha256').execute();
  await db.schema.alterTable('daily_recaps').dropColumn('pdf_sha256').execute();
  await sql`delete from blank_movements where kind = 'OPENING'`.execute(db);
  await db.schema.dropIndex('blank_movements_kind_at').ifExists().execute();
  await db.schema.dropIndex('blank_movements_type_at').ifExists().execute();
  await db.schema.alterTable('blank_movements').dropColumn('balance_after').execute();
}
