/**
 * The one place the delivery address and contact phone of a case change after submission: the
 * applicant's correction (NIK + number or token) and the operator's correction with a reason.
 * The before/after values (personal data) go to the case's timeline in the database only.
 */
import type { Kysely } from 'kysely';
import type { CaseRow, Database } from '../schema.js';

export interface DeliveryFields {
  address: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  note: string | null;
}

export interface ContactChange {
  delivery?: DeliveryFields;
  /** E.164. */
  contactPhone?: string;
}

export interface ContactChangeEvent {
  type: 'ADDRESS_CORRECTED' | 'CONTACT_CORRECTED';
  /** Unique per change (e.g. a UUID): the event's key in the timeline. */
  key: string;
  actorUsername: string | null;
  actorRole: string | null;
  reason: string | null;
  at: Date;
}

export type ContactChangeResult =
  | { ok: true; changed: boolean; districtBefore: string; districtAfter: string }
  | { ok: false; refusal: string }
  | { ok: false; notFound: true };

const COLUMNS = { address: 'address', rt: 'rt', rw: 'rw', village: 'village', district: 'district', note: 'delivery_note' } as const;

/**
 * Applies the change in one transaction, after `guard` (which sees the locked row) allows it;
 * records before/after of the changed fields only. Nothing changed → no event.
 */
export async function updateCaseContact(
  db: Kysely<Database>,
  registrationNumber: string,
  change: ContactChange,
  event: ContactChangeEvent,
  guard: (c: CaseRow, lastDeliveryFact: string | null) => string | null,
): Promise<ContactChangeResult> {
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').selectAll().where('registration_number', '=', registrationNumber).forUpdate().executeTakeFirst();
    if (!c) return { ok: false, notFound: true } as const;
    const fact = await trx
      .selectFrom('case_events')
      .select('type')
      .where('registration_number', '=', registrationNumber)
      .where('type', 'in', ['PICKED_UP', 'DELIVERY_FAILED', 'RETURNED_TO_OFFICE'])
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const refusal = guard(c, fact?.type ?? null);
    if (refusal) return { ok: false, refusal } as const;

    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    const set: Record<string, string | null> = {};
    if (change.delivery) {
      for (const [field, column] of Object.entries(COLUMNS) as Array<[keyof DeliveryFields, (typeof COLUMNS)[keyof typeof COLUMNS]]>) {
        const next = change.delivery[field] ?? null;
        const prev = c[column] ?? null;
        if (next !== prev) {
          before[field] = prev;
          after[field] = next;
          set[column] = next;
        }
      }
    }
    if (change.contactPhone !== undefined && change.contactPhone !== c.contact_phone) {
      before.phone = c.contact_phone;
      after.phone = change.contactPhone;
      set.contact_phone = change.contactPhone;
    }
    if (Object.keys(set).length === 0) return { ok: true, changed: false, districtBefore: c.district, districtAfter: c.district } as const;
    await trx
      .updateTable('cases')
      .set({ ...set, updated_at: event.at })
      .where('registration_number', '=', registrationNumber)
      .execute();
    await trx
      .insertInto('case_events')
      .values({
        registration_number: registrationNumber,
        event_key: `${event.type.toLowerCase()}:${event.key}`,
        type: event.type,
        step_key: c.current_step,
        actor_username: event.actorUsername,
        actor_role: event.actorRole,
        data: JSON.stringify({ before, after, ...(event.reason ? { reason: event.reason } : {}) }),
        at: event.at,
      })
      .onConflict((oc) => oc.columns(['registration_number', 'event_key']).doNothing())
      .execute();
    return { ok: true, changed: true, districtBefore: c.district, districtAfter: (set.district as string | undefined) ?? c.district } as const;
  });
}
