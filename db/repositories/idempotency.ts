/** Stored answers of requests carrying an `Idempotency-Key` header. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

export async function findIdempotentAnswer(db: Kysely<Database>, scope: string, key: string): Promise<StoredAnswer | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('key', '=', `${scope}:${key}`)
    .executeTakeFirst();
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
}

/** Inserts the answer; returns false when the key is already taken (a concurrent twin won). */
export async function saveIdempotentAnswer(
  db: Kysely<Database> | Transaction<Database>,
  scope: string,
  key: string,
  answer: StoredAnswer,
): Promise<boolean> {
  const res = await db
    .insertInto('idempotency_keys')
    .values({ key: `${scope}:${key}`, scope, request_hash: answer.requestHash, status_code: answer.statusCode, response: JSON.stringify(answer.response) })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}
