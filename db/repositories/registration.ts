/** Daily registration-number counter (atomic upsert; date in Asia/Jakarta). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { formatRegistrationNumber } from '../../domain/citizen.js';

/** Reserves the next registration number of a Jakarta date `YYYY-MM-DD`; call inside the case's transaction. */
export async function nextRegistrationNumber(db: Kysely<Database> | Transaction<Database>, jakartaDate: string): Promise<string> {
  const day = jakartaDate.replace(/-/g, '');
  const row = await db
    .insertInto('registration_counters')
    .values({ date: day, last_value: 1 })
    .onConflict((oc) => oc.column('date').doUpdateSet({ last_value: sql`registration_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return formatRegistrationNumber(day, row.last_value);
}
