/**
 * A timeline staff can read: reasons, notes and courier names as text (not internal ids), actor
 * labels for applicant and system events, the rejection reason still there after a resubmission,
 * personal free text only under `personalText`; and POST /api/applications/{regNo}/notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { saveActionInput } from '../../db/repositories/action-inputs.js';

const noTemporal = { workflow: { getHandle: () => { throw new Error('Temporal must not be called in this test'); } } } as unknown as Client;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
});
afterAll(async () => {
  await h?.close();
});

const REG = 'BP-20261201-00042';
let seq = 0;
async function event(type: string, o: { step?: string; actor?: [string, string] | 'applicant' | 'system'; data?: Record<string, unknown>; input?: { action: string; body: Record<string, unknown> } } = {}) {
  seq++;
  const data = { ...(o.data ?? {}) };
  const actorUsername = Array.isArray(o.actor) ? o.actor[0] : null;
  const actorRole = Array.isArray(o.actor) ? o.actor[1] : o.actor === 'applicant' ? 'applicant' : o.actor === 'system' ? 'system' : null;
  if (o.input) {
    const id = `00000000-0000-4000-a000-${String(seq).padStart(12, '0')}`;
    await saveActionInput(h.dbh.db, { id, registrationNumber: REG, action: o.input.action, actorUsername, actorRole, body: o.input.body });
    data.inputId = id;
  }
  await h.dbh.db
    .insertInto('case_events')
    .values({ registration_number: REG, event_key: `${seq}:0:${type}`, type, step_key: (o.step ?? null) as never, actor_username: actorUsername, actor_role: actorRole, data: JSON.stringify(data), at: new Date(Date.UTC(2026, 11, 1, 2, seq)) })
    .execute();
}

beforeAll(async () => {
  const now = new Date();
  await h.dbh.db
    .insertInto('cases')
    .values({
      registration_number: REG, document_type: 'KTP_EL', reason: 'NEW', status: 'IN_PROGRESS', current_step: 'HANDOVER',
      subject_nik: '3315011505900001', subject_name: 'Budi Santoso', subject_birth_date: '1990-05-15', subject_married: false,
      kk_number: '3315010101200003', contact_name: 'Budi Santoso', contact_phone: '+6281234567890', address: 'Jl. Mawar 1', rt: '001', rw: '002',
      village: 'Kuripan', district: 'Purwodadi', delivery_note: null, workflow_started: true, submitted_at: now, updated_at: now,
      // After the resubmission the case row no longer holds the rejection.
      rejection_step: null, rejection_reason: null,
    })
    .execute();
  await event('SUBMITTED', { step: 'SUBMISSION', actor: 'applicant', data: { documentType: 'KTP_EL', reason: 'NEW', district: 'Purwodadi' } });
  await event('STEP_STARTED', { step: 'DOCUMENT_VERIFICATION' });
  await event('REJECTED', { step: 'DOCUMENT_VERIFICATION', actor: ['operator1', 'operator'], input: { action: 'verify-documents', body: { decision: 'reject', reason: 'Foto KK buram, mohon unggah ulang' } } });
  await event('RESUBMITTED', { step: 'DOCUMENT_VERIFICATION', actor: 'applicant', input: { action: 'resubmission', body: { note: 'Sudah saya foto ulang' } } });
  await event('PICKED_UP', { step: 'HANDOVER', actor: ['ekspedisi1', 'ekspedisi'], input: { action: 'pickup', body: { courierName: 'Slamet Riyadi' } } });
  await event('ESCALATED', { step: 'HANDOVER', data: { level: 1, role: 'subkoordinator' } });
  await event('COURIER_NOTIFIED', { step: 'COURIER_NOTICE', actor: 'system', data: { district: 'Purwodadi' } });
});

const detail = async () => (await call(h.baseUrl, 'GET', `/api/applications/${REG}`, { token: h.tokens.operator })).body;

describe('timeline', () => {
  it('shows the rejection reason as text after the resubmission, with the officer named', async () => {
    const t = (await detail()).timeline;
    const rejected = t.find((e: { type: string }) => e.type === 'REJECTED');
    expect(rejected).toMatchObject({ label: 'Ditolak', actorLabel: 'Petugas operator (Operator)', personalText: { reason: 'Foto KK buram, mohon unggah ulang' } });
    expect(rejected.text).toContain('Ditolak pada tahap');
    expect(rejected.text).not.toContain('Foto KK'); // free text only under personalText
  });

  it('labels applicant and system events, and shows courier names and the applicant note as text', async () => {
    const t = (await detail()).timeline;
    const by = (type: string) => t.find((e: { type: string }) => e.type === type);
    expect(by('SUBMITTED')).toMatchObject({ actorLabel: 'Pemohon', actor: null });
    expect(by('RESUBMITTED')).toMatchObject({ actorLabel: 'Pemohon', personalText: { note: 'Sudah saya foto ulang' } });
    expect(by('STEP_STARTED')).toMatchObject({ actorLabel: 'Sistem', text: 'Tahap "Verifikasi dokumen persyaratan" dimulai.'.replace('Verifikasi dokumen persyaratan', by('STEP_STARTED').stepTitle) });
    expect(by('ESCALATED')).toMatchObject({ actorLabel: 'Sistem', personalText: null });
    expect(by('ESCALATED').text).toContain('Eskalasi level 1 ke');
    expect(by('COURIER_NOTIFIED')).toMatchObject({ actorLabel: 'Sistem', text: 'Ekspedisi diberi tahu untuk Kecamatan Purwodadi.' });
    expect(by('PICKED_UP')).toMatchObject({ actorLabel: 'Petugas ekspedisi (Jasa Ekspedisi)', personalText: { courierName: 'Slamet Riyadi' } });
    for (const e of t) expect(JSON.stringify(e.data)).not.toMatch(/Slamet|Foto KK|foto ulang/); // data holds ids, not text
  });
});

describe('POST /api/applications/{regNo}/notes', () => {
  it('adds an internal note to the timeline, for any staff role, with its author', async () => {
    const res = await call(h.baseUrl, 'POST', `/api/applications/${REG}/notes`, { token: h.tokens.ekspedisi, body: { text: 'Rumah pemohon di belakang masjid' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ registrationNumber: REG, author: { username: 'ekspedisi1', role: 'ekspedisi' } });
    const admin = await call(h.baseUrl, 'POST', `/api/applications/${REG}/notes`, { token: h.tokens.admin, body: { text: 'Dicek admin' } });
    expect(admin.status).toBe(201);
    const notes = (await detail()).timeline.filter((e: { type: string }) => e.type === 'NOTE');
    expect(notes.map((n: { personalText: { text: string } }) => n.personalText.text)).toEqual(['Rumah pemohon di belakang masjid', 'Dicek admin']);
    expect(notes[0]).toMatchObject({ label: 'Catatan internal', actorLabel: 'Petugas ekspedisi (Jasa Ekspedisi)', step: 'HANDOVER', text: 'Catatan internal petugas.' });
  });

  it('stores one note for a retried request with the same Idempotency-Key', async () => {
    const send = () => call(h.baseUrl, 'POST', `/api/applications/${REG}/notes`, { token: h.tokens.operator, body: { text: 'Telepon tidak diangkat' }, headers: { 'Idempotency-Key': 'note-1' } });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    const notes = (await detail()).timeline.filter((e: { personalText: { text?: string } | null }) => e.personalText?.text === 'Telepon tidak diangkat');
    expect(notes).toHaveLength(1);
  });

  it('refuses an empty note (400 in Indonesian), an unknown case (404) and no login (401)', async () => {
    const empty = await call(h.baseUrl, 'POST', `/api/applications/${REG}/notes`, { token: h.tokens.operator, body: { text: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ path: 'text', message: 'Catatan minimal 3 karakter' });
    expect((await call(h.baseUrl, 'POST', '/api/applications/BP-20261201-09999/notes', { token: h.tokens.operator, body: { text: 'Catatan' } })).status).toBe(404);
    expect((await call(h.baseUrl, 'POST', `/api/applications/${REG}/notes`, { body: { text: 'Catatan' } })).status).toBe(401);
  });
});
