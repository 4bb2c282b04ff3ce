/** A resubmission after its deadline is refused with 409 and says that the deadline passed (no workflow needed). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, PDF, startApiHarness, type ApiHarness } from './harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: {} as Client });
});
afterAll(async () => {
  await h?.close();
});

async function insertRejected(regNo: string, nik: string, status: 'REJECTED' | 'AWAITING_RESUBMISSION', dueAt: Date) {
  const now = new Date();
  await h.dbh.db
    .insertInto('cases')
    .values({
      registration_number: regNo,
      document_type: 'KTP_EL',
      reason: 'NEW',
      status,
      current_step: 'DOCUMENT_VERIFICATION',
      subject_nik: nik,
      subject_name: 'Budi',
      subject_birth_date: '1990-05-15',
      subject_married: false,
      kk_number: '3315010101200003',
      contact_name: 'Budi',
      contact_phone: '+6281234567890',
      address: 'Jl. Mawar 1',
      rt: '001',
      rw: '002',
      village: 'Kuripan',
      district: 'Purwodadi',
      delivery_note: null,
      workflow_started: true,
      submitted_at: now,
      updated_at: now,
      resubmission_due_at: dueAt,
      rejection_step: 'DOCUMENT_VERIFICATION',
    })
    .execute();
}

const attachments = [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF }];

it.each(['REJECTED', 'AWAITING_RESUBMISSION'] as const)('a resubmission after the deadline (case %s) answers 409 saying the deadline passed, with its date', async (status) => {
  const regNo = status === 'REJECTED' ? 'BP-20261120-00001' : 'BP-20261120-00002';
  const nik = status === 'REJECTED' ? '3315011505900001' : '3315011505900002';
  await insertRejected(regNo, nik, status, new Date('2026-11-20T03:00:00Z'));
  const res = await call(h.baseUrl, 'POST', `/api/applications/${regNo}/resubmission`, { body: { nik, attachments } });
  expect(res.status).toBe(409);
  expect(res.body.detail).toContain('Batas waktu perbaikan berkas sudah lewat');
  expect(res.body.detail).toContain('20 November 2026, 10.00 WIB');
});
