/**
 * SPEC §9 over HTTP: every role × every route that can return personal data × cases at several
 * steps (2, 3, 4, 7, escalated, closed recently with the courier's own handover, closed long ago).
 * The cases are set up directly in the database (the policy reads only the read model), so no
 * workflow runs. The expected table below is typed from SPEC §9, not derived from the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { insertCase } from '../../db/repositories/cases.js';
import { ROLES, type CaseStatus, type Role, type StepKey } from '../../domain/sop.js';

let h: ApiHarness;
const noTemporal = {} as Client;
const DAY = 24 * 3600_000;

/** What a role sees of a case: everything, the supervisors' set, the courier's set, or nothing. */
type View = 'all' | 'sup' | 'courier' | 'none';

interface Fixture {
  key: string;
  regNo: string;
  step: StepKey;
  status: CaseStatus;
  closedDaysAgo?: number;
  escalationLevel?: number;
  /** Courier act (DELIVERED) by ekspedisi1 this many days ago. */
  deliveredDaysAgo?: number;
  documents: Array<'label' | 'approval' | 'receipt'>;
  expected: Record<Role, View>;
}

const fixtures: Fixture[] = [
  {
    key: 'step 2',
    regNo: 'BP-20261201-00001',
    step: 'DOCUMENT_VERIFICATION',
    status: 'IN_PROGRESS',
    documents: [],
    expected: { operator: 'all', subkoordinator: 'none', kabid: 'none', kadis: 'all', ekspedisi: 'none', admin: 'none' },
  },
  {
    key: 'step 3',
    regNo: 'BP-20261201-00002',
    step: 'PRINT_VERIFICATION',
    status: 'IN_PROGRESS',
    documents: [],
    expected: { operator: 'all', subkoordinator: 'sup', kabid: 'none', kadis: 'all', ekspedisi: 'none', admin: 'none' },
  },
  {
    key: 'step 4',
    regNo: 'BP-20261201-00003',
    step: 'APPROVAL',
    status: 'IN_PROGRESS',
    documents: [],
    expected: { operator: 'all', subkoordinator: 'none', kabid: 'sup', kadis: 'all', ekspedisi: 'none', admin: 'none' },
  },
  {
    key: 'step 7',
    regNo: 'BP-20261201-00004',
    step: 'HANDOVER',
    status: 'IN_PROGRESS',
    documents: ['label', 'approval'],
    expected: { operator: 'all', subkoordinator: 'none', kabid: 'none', kadis: 'all', ekspedisi: 'courier', admin: 'none' },
  },
  {
    key: 'step 2 escalated to the subkoordinator',
    regNo: 'BP-20261201-00005',
    step: 'DOCUMENT_VERIFICATION',
    status: 'IN_PROGRESS',
    escalationLevel: 1,
    documents: [],
    expected: { operator: 'all', subkoordinator: 'sup', kabid: 'none', kadis: 'all', ekspedisi: 'none', admin: 'none' },
  },
  {
    key: 'closed 3 days ago after this courier’s handover',
    regNo: 'BP-20261201-00006',
    step: 'DONE',
    status: 'COMPLETED',
    closedDaysAgo: 3,
    deliveredDaysAgo: 3,
    documents: ['label', 'approval', 'receipt'],
    expected: { operator: 'all', subkoordinator: 'none', kabid: 'none', kadis: 'all', ekspedisi: 'courier', admin: 'none' },
  },
  {
    key: 'closed 40 days ago',
    regNo: 'BP-20261201-00007',
    step: 'DONE',
    status: 'COMPLETED',
    closedDaysAgo: 40,
    deliveredDaysAgo: 40,
    documents: ['label', 'approval', 'receipt'],
    expected: { operator: 'none', subkoordinator: 'none', kabid: 'none', kadis: 'all', ekspedisi: 'none', admin: 'none' },
  },
];

// Personal values, distinct per case (the subject is a child: the recipient is the parent).
const personal = (i: number) => ({
  nik: `33150155091${String(i).padStart(5, '0')}`,
  kk: `33150101012${String(i).padStart(5, '0')}`,
  subjectName: `Ánisa Rahayu Putri ${'ABCDEFG'[i]}`,
  birthDate: '2015-09-15',
  contactName: `Suparman Wibowo ${'ABCDEFG'[i]}`,
  phone: `+6281234500${String(i).padStart(3, '0')}`,
  address: `Jl. Melati Gang ${i} No. 7`,
  note: `Pagar biru nomor ${i}`,
  fileName: `kk-keluarga-suparman-${i}.pdf`,
  receivedBy: `Sulastri Penerima ${i}`,
  rejectionText: `Nama ayah di KK tertulis Suparman Wibowo ${i}, bukan Suparno`,
  messageText: `Permohonan atas nama Ánisa Rahayu Putri ${i} belum dapat diproses`,
});

const attachmentIds = new Map<string, string>();

async function setUp(): Promise<void> {
  const db = h.dbh.db;
  const now = Date.now();
  for (const [i, f] of fixtures.entries()) {
    const p = personal(i);
    await insertCase(db, {
      registration_number: f.regNo,
      document_type: 'KIA',
      reason: 'LOST',
      status: f.status,
      current_step: f.step,
      subject_nik: p.nik,
      subject_name: p.subjectName,
      subject_birth_date: p.birthDate,
      subject_married: false,
      kk_number: p.kk,
      contact_name: p.contactName,
      contact_phone: p.phone,
      address: p.address,
      rt: '003',
      rw: '004',
      village: 'Kuripan',
      district: 'Purwodadi',
      delivery_note: p.note,
      workflow_started: true,
      submitted_at: new Date(now - 50 * DAY + i * 1000),
      updated_at: new Date(now),
      step_started_at: f.status === 'IN_PROGRESS' ? new Date(now - 3600_000) : null,
      step_due_at: null,
      escalation_level: f.escalationLevel ?? 0,
      overdue: (f.escalationLevel ?? 0) > 0,
      waiting_for: f.status === 'IN_PROGRESS' ? 'STAFF_ACTION' : null,
      rejection_step: 'DOCUMENT_VERIFICATION',
      rejection_reason: p.rejectionText,
      rejected_at: new Date(now - 45 * DAY),
      resubmission_due_at: null,
      receipt_number: f.documents.includes('receipt') ? `TT-${f.regNo}` : null,
      closed_at: f.closedDaysAgo !== undefined ? new Date(now - f.closedDaysAgo * DAY) : null,
    });
    const id = randomUUID();
    attachmentIds.set(f.regNo, id);
    const stored = await h.files.put(`attachments/${f.regNo}/${id}`, '%PDF-1.4\n% kk scan\n');
    await db
      .insertInto('attachments')
      .values({ id, registration_number: f.regNo, kind: 'KK', file_name: p.fileName, content_type: 'application/pdf', size_bytes: 20, sha256: stored.sha256, storage_path: stored.path, round: 0 })
      .execute();
    for (const kind of f.documents) {
      const doc = await h.files.put(`documents/${f.regNo}/${kind}.pdf`, `%PDF-1.4\n% ${kind}\n`);
      await db
        .insertInto('documents')
        .values({ registration_number: f.regNo, kind, version: 1, storage_path: doc.path, content_type: 'application/pdf', sha256: doc.sha256, size_bytes: 10 })
        .execute();
    }
    if (f.documents.includes('receipt')) {
      await db
        .insertInto('receipts')
        .values({
          number: `TT-${f.regNo}`,
          registration_number: f.regNo,
          courier_username: 'ekspedisi1',
          received_by: p.receivedBy,
          relationship: 'FAMILY',
          old_card_collected: null,
          note: null,
          photo_path: null,
          delivered_at: new Date(now - (f.deliveredDaysAgo ?? 0) * DAY),
        })
        .execute();
    }
    const events = [
      { type: 'SUBMITTED', step_key: 'SUBMISSION' as StepKey, actor_role: 'applicant', actor_username: null, data: { documentType: 'KIA', reason: 'LOST', district: 'Purwodadi' }, at: new Date(now - 50 * DAY) },
      { type: 'REJECTED', step_key: 'DOCUMENT_VERIFICATION' as StepKey, actor_role: 'operator', actor_username: 'operator1', data: { inputId: randomUUID(), reason: p.rejectionText }, at: new Date(now - 45 * DAY) },
    ];
    if (f.deliveredDaysAgo !== undefined) {
      events.push({ type: 'DELIVERED', step_key: 'HANDOVER', actor_role: 'ekspedisi', actor_username: 'ekspedisi1', data: { receiptNumber: `TT-${f.regNo}`, relationship: 'FAMILY', receivedBy: p.receivedBy } as never, at: new Date(now - f.deliveredDaysAgo * DAY) });
    }
    await db
      .insertInto('case_events')
      .values(events.map((e, k) => ({ ...e, registration_number: f.regNo, event_key: `t:${k}`, data: JSON.stringify(e.data) })))
      .execute();
    await db
      .insertInto('notifications')
      .values({ idempotency_key: `t:${f.regNo}`, kind: 'APPLICANT', registration_number: f.regNo, channel: 'whatsapp', recipient: p.phone, text: p.messageText, status: 'SENT', provider: 'outbox', sent_at: new Date(now) })
      .execute();
  }
}

beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
  await setUp();
});
afterAll(async () => {
  await h?.close();
});

const get = (role: Role, p: string) => call(h.baseUrl, 'GET', p, { token: h.tokens[role] });
const post = (role: Role, p: string, body: unknown) => call(h.baseUrl, 'POST', p, { token: h.tokens[role], body });

/** Every personal value of a case, and which view may show it. */
function valuesOf(i: number): Array<{ value: string; shownIn: View[] }> {
  const p = personal(i);
  // Who received the card (receipt and the DELIVERED event's data): only on delivered cases.
  const delivered = fixtures[i]!.deliveredDaysAgo !== undefined ? [{ value: p.receivedBy, shownIn: ['all', 'courier'] as View[] }] : [];
  return [
    ...delivered,
    { value: p.nik, shownIn: ['all', 'sup'] },
    { value: p.kk, shownIn: ['all', 'sup'] },
    { value: p.birthDate, shownIn: ['all', 'sup'] },
    { value: p.subjectName, shownIn: ['all', 'sup'] },
    { value: p.fileName, shownIn: ['all', 'sup'] },
    { value: p.rejectionText, shownIn: ['all', 'sup'] },
    { value: p.contactName, shownIn: ['all', 'courier'] },
    { value: p.phone, shownIn: ['all', 'courier'] },
    { value: p.address, shownIn: ['all', 'courier'] },
    { value: p.note, shownIn: ['all', 'courier'] },
  ];
}

describe.each(fixtures.map((f, i) => [f.key, f, i] as const))('a case at %s', (_key, f, i) => {
  describe.each(ROLES.map((r) => [r] as const))('seen by %s', (role) => {
    const view = f.expected[role];

    it(`case detail: exactly the ${view} fields, no other personal value anywhere in the answer`, async () => {
      const res = await get(role, `/api/applications/${f.regNo}`);
      expect(res.status).toBe(200);
      const b = res.body;
      const text = JSON.stringify(b);
      for (const { value, shownIn } of valuesOf(i)) {
        if (shownIn.includes(view)) expect(text, `${value} should be shown`).toContain(JSON.stringify(value).slice(1, -1));
        else expect(text, `${value} must not be shown`).not.toContain(JSON.stringify(value).slice(1, -1));
      }
      // Non-personal facts for everyone.
      expect(b).toMatchObject({ registrationNumber: f.regNo, documentType: 'KIA', status: f.status, currentStep: f.step, delivery: { district: 'Purwodadi' } });
      expect(b.escalationLevel).toBe(f.escalationLevel ?? 0);
      expect(b.access.personalData).toBe(view !== 'none');
      expect(text).not.toContain('undefined');
      if (view === 'all') {
        expect(b.reason).toBe('LOST');
        expect(Object.keys(b.subject).sort()).toEqual(['age', 'birthDate', 'kkNumber', 'married', 'name', 'nik']);
        expect(b.contact).toBeDefined();
        expect(b.attachments).toHaveLength(1);
      } else if (view === 'sup') {
        expect(b.reason).toBe('LOST');
        expect(b.subject.nik).toBe(personal(i).nik);
        expect(b.attachments).toHaveLength(1);
        expect(b.contact).toBeUndefined();
        expect(Object.keys(b.delivery)).toEqual(['district']);
      } else if (view === 'courier') {
        expect(b.contact).toEqual({ name: personal(i).contactName, phone: personal(i).phone });
        expect(b.delivery).toMatchObject({ address: personal(i).address, note: personal(i).note, district: 'Purwodadi' });
        expect(b.subject).toBeUndefined();
        expect(b.attachments).toBeUndefined();
        expect(b.reason).toBeUndefined();
      } else {
        expect(b.subject).toBeUndefined();
        expect(b.contact).toBeUndefined();
        expect(b.attachments).toBeUndefined();
        expect(b.reason).toBeUndefined();
        expect(Object.keys(b.delivery)).toEqual(['district']);
        expect(b.documents).toEqual([]);
      }
      // The request's reason in the timeline follows the same rule; the district is always there.
      const submitted = b.timeline.find((e: { type: string }) => e.type === 'SUBMITTED');
      expect(submitted.data.district).toBe('Purwodadi');
      expect(submitted.data.reason === 'LOST').toBe(view === 'all' || view === 'sup');
    });

    it(`attachment: ${view === 'all' || view === 'sup' ? '200' : '403'}`, async () => {
      const res = await fetch(`${h.baseUrl}/api/applications/${f.regNo}/attachments/${attachmentIds.get(f.regNo)}`, { headers: { authorization: `Bearer ${h.tokens[role]}` } });
      expect(res.status).toBe(view === 'all' || view === 'sup' ? 200 : 403);
      if (res.status === 403) expect(await res.text()).not.toContain('PDF');
    });

    it('documents: label to whoever sees the recipient, approval to whoever sees the identity, receipt to the recipient fields; 403 otherwise', async () => {
      for (const kind of ['label', 'approval', 'receipt'] as const) {
        const allowed = kind === 'approval' ? view === 'all' || view === 'sup' : view === 'all' || view === 'courier';
        const res = await fetch(`${h.baseUrl}/api/applications/${f.regNo}/documents/${kind}`, { headers: { authorization: `Bearer ${h.tokens[role]}` } });
        const expected = !allowed ? 403 : f.documents.includes(kind) ? 200 : 404;
        expect(res.status, `${kind}`).toBe(expected);
      }
    });

    it('list (GET /api/applications?q=regNo) and search by registration number: the name only where allowed', async () => {
      for (const res of [await get(role, `/api/applications?q=${f.regNo}`), await post(role, '/api/applications/search', { q: f.regNo })]) {
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
        const item = res.body.items[0];
        expect(item.registrationNumber).toBe(f.regNo);
        expect(item.subjectName === personal(i).subjectName).toBe(view === 'all' || view === 'sup');
        expect(item.recipientName === personal(i).contactName).toBe(view === 'all' || view === 'courier');
        expect(item.personalData).toBe(view !== 'none');
        expect(JSON.stringify(item)).not.toContain(personal(i).nik);
      }
    });

    it('search by NIK: finds the case only where the NIK may be seen; 403 for roles that never see a NIK', async () => {
      const res = await post(role, '/api/applications/search', { q: personal(i).nik });
      if (role === 'ekspedisi' || role === 'admin') {
        expect(res.status).toBe(403);
        return;
      }
      expect(res.status).toBe(200);
      expect(res.body.items.map((x: { registrationNumber: string }) => x.registrationNumber)).toEqual(view === 'all' || view === 'sup' ? [f.regNo] : []);
    });

    it('notifications: the applicant message text only for roles that may read the case', async () => {
      const res = await get(role, `/api/notifications?registrationNumber=${f.regNo}`);
      if (role === 'ekspedisi') {
        expect(res.status).toBe(403);
        return;
      }
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(personal(i).phone);
      expect(res.body.items[0].textHidden).toBe(!(view === 'all' || view === 'sup'));
      if (view === 'all' || view === 'sup') expect(res.body.items[0].text).toBe(personal(i).messageText);
      else expect(text).not.toContain('Rahayu');
    });
  });
});

describe('tasks', () => {
  it('each SOP role gets the cases at its step, shaped by the same policy (courier: recipient, never the subject)', async () => {
    const op = await get('operator', '/api/tasks');
    expect(op.body.items.find((x: { registrationNumber: string }) => x.registrationNumber === fixtures[0]!.regNo).subjectName).toBe(personal(0).subjectName);
    const sub = await get('subkoordinator', '/api/tasks');
    expect(sub.body.items.map((x: { registrationNumber: string }) => x.registrationNumber)).toEqual([fixtures[1]!.regNo]);
    expect(sub.body.items[0].subjectName).toBe(personal(1).subjectName);
    const courier = await get('ekspedisi', '/api/tasks');
    expect(courier.body.items).toHaveLength(1);
    expect(courier.body.items[0]).toMatchObject({ registrationNumber: fixtures[3]!.regNo, recipientName: personal(3).contactName });
    expect(courier.body.items[0].subjectName).toBeUndefined();
    expect(JSON.stringify(courier.body)).not.toContain(personal(3).nik);
  });
});

describe('search', () => {
  it('by name: case- and accent-insensitive, on the subject (and the recipient for the courier)', async () => {
    const res = await post('operator', '/api/applications/search', { q: 'anisa RAHAYU putri c' });
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('name');
    expect(res.body.items.map((x: { registrationNumber: string }) => x.registrationNumber)).toEqual([fixtures[2]!.regNo]);
    const all = await post('kadis', '/api/applications/search', { q: 'ánísá' });
    expect(all.body.items).toHaveLength(fixtures.length);
    // The courier finds the step-7 case by its recipient's name, not by the subject's, and nothing else.
    const courier = await post('ekspedisi', '/api/applications/search', { q: 'suparman wibowo' });
    expect(courier.body.items.map((x: { registrationNumber: string }) => x.registrationNumber).sort()).toEqual([fixtures[3]!.regNo, fixtures[5]!.regNo].sort());
    const courierBySubject = await post('ekspedisi', '/api/applications/search', { q: 'anisa rahayu' });
    expect(courierBySubject.body.items).toEqual([]);
    expect((await post('admin', '/api/applications/search', { q: 'anisa' })).status).toBe(403);
  });

  it('GET /api/applications?q= refuses a NIK in the URL (400) and keeps registration-number prefixes', async () => {
    const res = await get('operator', `/api/applications?q=${personal(0).nik}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('q');
    const prefix = await get('operator', '/api/applications?q=BP-20261201-0000');
    expect(prefix.body.items).toHaveLength(fixtures.length);
  });
});
