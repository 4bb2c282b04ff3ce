/** Full bodies of staff and applicant actions, referenced from workflow messages by id. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export interface ActionInputRow {
  id: string;
  registrationNumber: string;
  action: string;
  actorUsername: string | null;
  actorRole: string | null;
  body: Record<string, unknown>;
}

/** Idempotent on id (derived from the request, so a double click stores one row). */
export async function saveActionInput(db: Kysely<Database> | Transaction<Database>, input: ActionInputRow): Promise<void> {
  await db
    .insertInto('action_inputs')
    .values({
      id: input.id,
      registration_number: input.registrationNumber,
      action: input.action,
      actor_username: input.actorUsername,
      actor_role: input.actorRole,
      body: JSON.stringify(input.body),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function getActionInput(db: Kysely<Database>, id: string): Promise<ActionInputRow | null> {
  const row = await db.selectFrom('action_inputs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    registrationNumber: row.registration_number,
    action: row.action,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    body: row.body,
  };
}

/** A stored JSON body (jsonb arrives parsed from pg, and as text from some drivers); {} when unreadable. */
export function bodyOf(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return (raw ?? {}) as Record<string, unknown>;
}
