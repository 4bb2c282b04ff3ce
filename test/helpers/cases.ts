/** A case row written straight into the read model (no workflow), for tests of the read side. */
import type { Kysely } from 'kysely';
import type { Database, NewCase } from '../../db/schema.js';
import { insertCase } from '../../db/repositories/cases.js';

export async function insertTestCase(db: Kysely<Database>, o: Partial<NewCase> & Pick<NewCase, 'registration_number' | 'subject_nik'>): Promise<void> {
  const now = Date.now();
  await insertCase(db, {
    document_type: 'KTP_EL',
    reason: 'NEW',
    status: 'IN_PROGRESS',
    current_step: 'DOCUMENT_VERIFICATION',
    subject_name: 'Dewi Lestari',
    subject_birth_date: '1990-05-15',
    subject_married: false,
    kk_number: '3315010101200042',
    contact_name: 'Dewi Lestari',
    contact_phone: '+6281234567042',
    address: 'Jl. Kenanga 4',
    rt: '001',
    rw: '002',
    village: 'Kuripan',
    district: 'Purwodadi',
    delivery_note: null,
    workflow_started: true,
    submitted_at: new Date(now - 3600_000),
    updated_at: new Date(now),
    step_started_at: new Date(now - 3600_000),
    step_due_at: null,
    waiting_for: 'STAFF_ACTION',
    rejection_step: null,
    rejection_reason: null,
    rejected_at: null,
    resubmission_due_at: null,
    receipt_number: null,
    closed_at: null,
    ...o,
  });
}
