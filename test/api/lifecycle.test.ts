/**
 * The whole service over HTTP (dev server, real database, worker, API): a case from submission to
 * COMPLETED through every role's action; the authorization matrix against the running workflow
 * (403 / 409 / 200); a double click; rejection with resubmission; cancellations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, JPEG, PDF, validSubmission } from './harness.js';
import { ACTION_NAMES, ACTION_RULES, ROLES, type ActionName, type Role } from '../../domain/sop.js';
import { jakartaDateString } from '../../domain/citizen.js';

let stack: TestStack;
const tokens = {} as Record<Role, string>;
const names: Record<Role, string> = {
  operator: 'Operator Satu',
  subkoordinator: 'Subkor Satu',
  kabid: 'Kabid Satu',
  kadis: 'Kadis Satu',
  ekspedisi: 'Kurir Satu',
  admin: 'Administrator',
};

beforeAll(async () => {
  stack = await startTestStack();
  const admin = await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } });
  expect(admin.status).toBe(200);
  tokens.admin = admin.body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const created = await call(stack.baseUrl, 'POST', '/api/staff', {
      token: tokens.admin,
      body: { username: `${role}-satu`, name: names[role], role, password: `Embun-Pagi-Kedungjati-${role.length}2`, phone: '081200000001' },
    });
    expect(created.status).toBe(201);
    const login = await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-satu`, password: `Embun-Pagi-Kedungjati-${role.length}2` } });
    tokens[role] = login.body.token;
  }
  // Blanks for every print of this file.
  for (const documentType of ['KTP_EL', 'KIA']) {
    const added = await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.operator, body: { documentType, quantity: 50, note: 'Stok awal uji' } });
    expect(added.status).toBe(200);
  }
});
afterAll(async () => {
  await stack?.shutdown();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const act = (regNo: string, action: ActionName, role: Role, body: unknown) =>
  call(stack.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: tokens[role], body });

const detail = async (regNo: string) => (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens.admin })).body;

/** Waits until the read model shows the case at `step` (and, if given, waiting for `waitingFor`). */
const atStep = (regNo: string, step: string, waitingFor?: string) =>
  waitFor(`${regNo} at ${step}${waitingFor ? `/${waitingFor}` : ''}`, async () => {
    const d = await detail(regNo);
    return d.currentStep === step && (waitingFor === undefined || d.waitingFor === waitingFor) ? d : null;
  });

async function submitCase(overrides: Parameters<typeof validSubmission>[0] = {}) {
  const body = validSubmission(overrides);
  const res = await call(stack.baseUrl, 'POST', '/api/applications', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await atStep(res.body.registrationNumber, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
  return { regNo: res.body.registrationNumber as string, body };
}

async function pdfOf(regNo: string, kind: string) {
  const res = await fetch(`${stack.baseUrl}/api/applications/${regNo}/documents/${kind}`, { headers: { authorization: `Bearer ${tokens.operator}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Drives a fresh case to `step` (with the print done when step is PRINTING, courier waiting at HANDOVER). */
async function caseAt(step: 'DOCUMENT_VERIFICATION' | 'PRINT_VERIFICATION' | 'APPROVAL' | 'PRINTING' | 'HANDOVER', reason = 'NEW') {
  const { regNo } = await submitCase({ reason });
  const order = ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL', 'PRINTING', 'HANDOVER'];
  const decisions: Array<[ActionName, Role]> = [['verify-documents', 'operator'], ['verify-print', 'subkoordinator'], ['approve', 'kabid']];
  for (let i = 0; i < Math.min(order.indexOf(step), 3); i++) {
    const [action, role] = decisions[i]!;
    const r = await act(regNo, action, role, { decision: 'approve' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  if (step === 'PRINTING' || step === 'HANDOVER') await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
  if (step === 'HANDOVER') {
    expect((await act(regNo, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);
    await atStep(regNo, 'HANDOVER', 'COURIER');
  } else if (step !== 'PRINTING') await atStep(regNo, step, 'STAFF_ACTION');
  return regNo;
}

describe('the whole lifecycle over HTTP', () => {
  it('takes a DAMAGED KTP-el from submission to COMPLETED through every role, with every step’s output', async () => {
    const { regNo, body } = await submitCase({ reason: 'DAMAGED' });
    const today = jakartaDateString(Date.now()).replace(/-/g, '');
    expect(regNo).toMatch(new RegExp(`^BP-${today}-\\d{5}$`));

    // Step 1 output: the applicant is told, masked in the outbox listing.
    const received = await waitFor('applicant notification', async () => {
      // The operator may read the applicant's message (the admin sees it masked: SPEC §9).
      const n = await call(stack.baseUrl, 'GET', `/api/notifications?registrationNumber=${regNo}`, { token: tokens.operator });
      return n.body.items.find((i: { kind: string }) => i.kind === 'APPLICANT');
    });
    expect(received.recipient).toBe('+62812****890');
    expect(received.text).toContain(regNo);

    // The operator sees it as a task.
    const tasks = await call(stack.baseUrl, 'GET', '/api/tasks', { token: tokens.operator });
    expect(tasks.body.items.map((t: { registrationNumber: string }) => t.registrationNumber)).toContain(regNo);

    // Steps 2–4.
    expect((await act(regNo, 'verify-documents', 'operator', { decision: 'approve' })).body).toEqual({ registrationNumber: regNo, status: 'IN_PROGRESS', currentStep: 'PRINT_VERIFICATION' });
    expect((await act(regNo, 'verify-print', 'subkoordinator', { decision: 'approve' })).body).toEqual({ registrationNumber: regNo, status: 'IN_PROGRESS', currentStep: 'APPROVAL' });
    expect((await act(regNo, 'approve', 'kabid', { decision: 'approve' })).body).toMatchObject({ registrationNumber: regNo, currentStep: 'PRINTING' });

    // Step 4 output: the TTE verifies publicly; the approval PDF is served.
    const tte = await waitFor('signature', async () => {
      const v = await call(stack.baseUrl, 'GET', `/api/verify/${regNo}`);
      return v.status === 200 ? v.body : null;
    });
    expect(tte).toMatchObject({ valid: true, signer: { name: 'Kabid Satu', role: 'kabid' }, documentType: 'KTP_EL' });
    const approval = await waitFor('approval pdf', async () => ((await pdfOf(regNo, 'approval')).status === 200 ? pdfOf(regNo, 'approval') : null));
    expect(approval.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(approval.type).toContain('application/pdf');
    expect(approval.disposition).toMatch(/^inline/);

    // Step 5: printed, the label exists, the operator confirms.
    await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
    const label = await pdfOf(regNo, 'label');
    expect(label.status).toBe(200);
    expect(label.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await act(regNo, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);

    // Step 6: the courier group message carries the number and district, no personal data.
    await atStep(regNo, 'HANDOVER', 'COURIER');
    const notes = (await call(stack.baseUrl, 'GET', `/api/notifications?registrationNumber=${regNo}`, { token: tokens.kadis })).body.items;
    const group = notes.find((n: { kind: string }) => n.kind === 'COURIER_GROUP');
    expect(group.text).toContain(regNo);
    expect(group.text).toContain('Purwodadi');
    for (const secret of [body.subject.nik, body.subject.name, body.subject.kkNumber, body.delivery.address, '81234567890', 'Kuripan']) expect(group.text).not.toContain(secret);

    // Step 7: pickup, then handover (old card answer required for DAMAGED), with a photo.
    expect((await act(regNo, 'pickup', 'ekspedisi', { courierName: 'Slamet' })).status).toBe(200);
    const missingOldCard = await act(regNo, 'handover', 'ekspedisi', { receivedBy: 'Siti Aminah', relationship: 'FAMILY' });
    expect(missingOldCard.status).toBe(400);
    expect(missingOldCard.body.errors[0].path).toBe('oldCardCollected');
    const handover = await act(regNo, 'handover', 'ekspedisi', { receivedBy: 'Siti Aminah', relationship: 'FAMILY', oldCardCollected: true, photoBase64: JPEG });
    expect(handover.body).toMatchObject({ registrationNumber: regNo, status: 'COMPLETED', currentStep: 'DONE' });

    // Step 8 and the receipt.
    await waitFor('archived', async () => {
      const d = await detail(regNo);
      return d.status === 'COMPLETED' && d.timeline.some((e: { type: string }) => e.type === 'ARCHIVED') ? d : null;
    });
    // The admin's view has no personal data (SPEC §9): the operator reads the finished case (closed < 30 days).
    const done = (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens.operator })).body;
    expect(done.receipt).toMatchObject({ number: expect.any(String), receivedBy: 'Siti Aminah', relationship: 'FAMILY', oldCardCollected: true, courier: 'ekspedisi-satu' });
    const receiptPdf = await pdfOf(regNo, 'receipt');
    expect(receiptPdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const tracking = await call(stack.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: regNo, nik: body.subject.nik } });
    expect(tracking.body).toMatchObject({ status: 'COMPLETED', currentStep: 'DONE', receipt: { number: done.receipt.number, deliveredAt: expect.any(String) } });
    expect(tracking.body.steps.every((s: { state: string }) => s.state === 'done')).toBe(true);

    // The full case: every step done with its role and standard, the timeline names its actors.
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual(Array(8).fill('done'));
    expect(done.steps.find((s: { key: string }) => s.key === 'APPROVAL')).toMatchObject({ role: 'kabid', standardMinutes: stack.config.policy.standardMinutes.APPROVAL, completedAt: expect.any(String) });
    const actors = done.timeline.filter((e: { actor: unknown }) => e.actor).map((e: { actor: { username: string } }) => e.actor.username);
    expect(actors).toEqual(expect.arrayContaining(['operator-satu', 'subkoordinator-satu', 'kabid-satu', 'ekspedisi-satu']));
    expect(done.signature).toMatchObject({ signerName: 'Kabid Satu', signerRole: 'kabid' });
    expect(done.documents.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['approval', 'label', 'receipt']));
    const att = done.attachments[0];
    const file = await fetch(`${stack.baseUrl}${att.url}`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect(file.headers.get('content-type')).toContain(att.contentType);
    expect(file.headers.get('content-disposition')).toMatch(/^inline/);

    // The stored handover input keeps the photo as a file, not as base64.
    const input = await stack.db.selectFrom('action_inputs').selectAll().where('registration_number', '=', regNo).where('action', '=', 'handover').executeTakeFirstOrThrow();
    expect(input.body).toMatchObject({ receivedBy: 'Siti Aminah', photoPath: expect.stringMatching(/^receipts\//) });
    expect(JSON.stringify(input.body)).not.toContain(JPEG.slice(0, 12));

    // Reports see the finished steps; the recap lists the printed card.
    const day = jakartaDateString(Date.now());
    const sla = await call(stack.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}`, { token: tokens.kabid });
    const dv = sla.body.steps.find((s: { key: string }) => s.key === 'DOCUMENT_VERIFICATION');
    expect(dv.count).toBeGreaterThanOrEqual(1);
    expect(dv.medianMinutes).toEqual(expect.any(Number));
    const csv = await fetch(`${stack.baseUrl}/api/reports/daily-recap?date=${day}&format=csv`, { headers: { authorization: `Bearer ${tokens.kadis}` } });
    expect(await csv.text()).toContain(regNo);
    const pdf = await fetch(`${stack.baseUrl}/api/reports/daily-recap?date=${day}`, { headers: { authorization: `Bearer ${tokens.kadis}` } });
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('authorization matrix against the running workflow', () => {
  const validBody: Record<ActionName, unknown> = {
    'verify-documents': { decision: 'approve' },
    'verify-print': { decision: 'approve' },
    approve: { decision: 'approve' },
    'confirm-print': { result: 'ok' },
    pickup: { courierName: 'Slamet' },
    handover: { receivedBy: 'Budi Santoso', relationship: 'SELF' },
    'courier-notified-manually': { note: 'Ekspedisi diberi tahu lewat telepon' },
    'delivery-failed': { reason: 'NOT_HOME' },
    'office-handover': { receivedBy: 'Budi Santoso', relationship: 'SELF' },
    cancel: { reason: 'Dibatalkan untuk pengujian matriks' },
  };
  // courier-notified-manually (step 6 while the group message is not sent) and office-handover (the
  // card back at the office) are reached in test/workflow and test/api/exceptions.test.ts.
  const validStep: Partial<Record<ActionName, 'DOCUMENT_VERIFICATION' | 'PRINT_VERIFICATION' | 'APPROVAL' | 'PRINTING' | 'HANDOVER'>> = {
    'verify-documents': 'DOCUMENT_VERIFICATION',
    'verify-print': 'PRINT_VERIFICATION',
    approve: 'APPROVAL',
    'confirm-print': 'PRINTING',
    pickup: 'HANDOVER',
    handover: 'HANDOVER',
    'delivery-failed': 'HANDOVER',
    cancel: 'APPROVAL',
  };
  const wrongStep: Record<ActionName, 'DOCUMENT_VERIFICATION' | 'PRINTING' | 'HANDOVER'> = {
    'verify-documents': 'PRINTING',
    'verify-print': 'DOCUMENT_VERIFICATION',
    approve: 'DOCUMENT_VERIFICATION',
    'confirm-print': 'DOCUMENT_VERIFICATION',
    pickup: 'DOCUMENT_VERIFICATION',
    handover: 'DOCUMENT_VERIFICATION',
    'courier-notified-manually': 'DOCUMENT_VERIFICATION',
    'delivery-failed': 'DOCUMENT_VERIFICATION',
    'office-handover': 'HANDOVER',
    cancel: 'PRINTING',
  };

  for (const action of ACTION_NAMES) {
    it(`${action}: 403 for other roles and 409 at a wrong step, 200 for its roles at its step`, async () => {
      const wrong = await caseAt(wrongStep[action]);
      for (const role of ROLES) {
        const res = await act(wrong, action, role, validBody[action]);
        const expected = ACTION_RULES[action].roles.includes(role) ? 409 : 403;
        expect(res.status, `${role} at ${wrongStep[action]}: ${JSON.stringify(res.body)}`).toBe(expected);
        if (expected === 409) expect(res.body.detail).toMatch(/\S{10,}/);
      }
      const at = validStep[action];
      if (!at) return;
      for (const role of ACTION_RULES[action].roles) {
        const right = await caseAt(at);
        for (const other of ROLES.filter((r) => !ACTION_RULES[action].roles.includes(r))) {
          expect((await act(right, action, other, validBody[action])).status, `${other} at ${at}`).toBe(403);
        }
        const res = await act(right, action, role, validBody[action]);
        expect(res.status, `${role} at ${at}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.registrationNumber).toBe(right);
      }
    });
  }
});

describe('a double click is one transition', () => {
  it('two parallel identical "print failed" confirmations cause one reprint', async () => {
    const regNo = await caseAt('PRINTING');
    const body = { result: 'failed', reason: 'Blangko tergores di printer' };
    const answers = await Promise.all([act(regNo, 'confirm-print', 'operator', body), act(regNo, 'confirm-print', 'operator', body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0]!.body).toEqual(answers[1]!.body);
    await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
    // Give a second (wrong) reprint the chance to show up before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    const jobs = await stack.db.selectFrom('print_jobs').select(['attempt', 'status']).where('registration_number', '=', regNo).orderBy('attempt').execute();
    expect(jobs.map((j) => j.attempt)).toEqual([1, 2]);
    const failures = (await detail(regNo)).timeline.filter((e: { type: string }) => e.type === 'PRINT_FAILED');
    expect(failures).toHaveLength(1);
    const inputs = await stack.db.selectFrom('action_inputs').select('id').where('registration_number', '=', regNo).where('action', '=', 'confirm-print').execute();
    expect(inputs).toHaveLength(1);
  });

  it('an identical approval retried after the first has moved the case gets the first answer and changes nothing', async () => {
    const regNo = await caseAt('DOCUMENT_VERIFICATION');
    const first = await act(regNo, 'verify-documents', 'operator', { decision: 'approve' });
    const second = await act(regNo, 'verify-documents', 'operator', { decision: 'approve' });
    expect(first.status).toBe(200);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toEqual(first.body);
    const d = await detail(regNo);
    expect(d.currentStep).toBe('PRINT_VERIFICATION');
    expect(d.timeline.filter((e: { type: string }) => e.type === 'APPROVED')).toHaveLength(1);
  });

  it('an identical reject retried after it succeeded gets the first answer; a different body is still refused with 409', async () => {
    const regNo = await caseAt('DOCUMENT_VERIFICATION');
    const body = { decision: 'reject', reason: 'Foto KK tidak terbaca, mohon unggah ulang' };
    const first = await act(regNo, 'verify-documents', 'operator', body);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('AWAITING_RESUBMISSION');
    const retry = await act(regNo, 'verify-documents', 'operator', body);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toEqual(first.body);
    const other = await act(regNo, 'verify-documents', 'operator', { decision: 'approve' });
    expect(other.status).toBe(409);
    const d = await detail(regNo);
    expect(d.timeline.filter((e: { type: string }) => e.type === 'REJECTED')).toHaveLength(1);
  });

  it('ten parallel identical approvals move the case once', async () => {
    const regNo = await caseAt('DOCUMENT_VERIFICATION');
    const answers = await Promise.all(Array.from({ length: 10 }, () => act(regNo, 'verify-documents', 'operator', { decision: 'approve' })));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    await atStep(regNo, 'PRINT_VERIFICATION', 'STAFF_ACTION');
    const runs = await stack.db.selectFrom('step_runs').select('step_key').where('registration_number', '=', regNo).where('step_key', '=', 'PRINT_VERIFICATION').execute();
    expect(runs).toHaveLength(1);
  });
});

describe('blank stock', () => {
  it('a case waiting for KIA blanks resumes at once when an operator adds stock', async () => {
    await stack.db.updateTable('blank_stock').set({ quantity: 0 }).where('document_type', '=', 'KIA').execute();
    const today = new Date();
    const birthDate = `${today.getUTCFullYear() - 3}-01-15`;
    const res = await call(stack.baseUrl, 'POST', '/api/applications', { body: validSubmission({ documentType: 'KIA', birthDate }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const regNo = res.body.registrationNumber as string;
    await atStep(regNo, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
    for (const [action, role] of [['verify-documents', 'operator'], ['verify-print', 'subkoordinator'], ['approve', 'kabid']] as const) {
      expect((await act(regNo, action, role, { decision: 'approve' })).status).toBe(200);
    }
    const waiting = await atStep(regNo, 'PRINTING', 'BLANK_STOCK');
    expect(waiting.waitingFor).toBe('BLANK_STOCK');
    const early = await act(regNo, 'confirm-print', 'operator', { result: 'ok' });
    expect(early.status).toBe(409);
    const added = await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.admin, body: { documentType: 'KIA', quantity: 2 }, headers: { 'Idempotency-Key': `restock-${regNo}` } });
    expect(added.status).toBe(200);
    expect(added.body.resumed).toBe(1);
    // Well before the workflow's own periodic re-check (30 min): the signal woke it.
    await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
    const stock = await call(stack.baseUrl, 'GET', '/api/blanks', { token: tokens.operator });
    expect(stock.body.items.find((i: { documentType: string }) => i.documentType === 'KIA').quantity).toBe(1);
    // The same Idempotency-Key adds nothing twice.
    await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.admin, body: { documentType: 'KIA', quantity: 2 }, headers: { 'Idempotency-Key': `restock-${regNo}` } });
    const again = await call(stack.baseUrl, 'GET', '/api/blanks', { token: tokens.operator });
    expect(again.body.items.find((i: { documentType: string }) => i.documentType === 'KIA').quantity).toBe(1);
  });
});

describe('rejection, resubmission and cancellation', () => {
  it('a rejection with a reason notifies the applicant; a resubmission returns the case to step 2 with round-1 attachments', async () => {
    const { regNo, body } = await submitCase();
    const reject = await act(regNo, 'verify-documents', 'operator', { decision: 'reject', reason: 'Foto KK buram, mohon unggah ulang' });
    expect(reject.body).toMatchObject({ status: 'AWAITING_RESUBMISSION' });
    const tracked = await waitFor('rejection visible', async () => {
      const t = await call(stack.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: regNo, nik: body.subject.nik } });
      return t.body.rejection ? t.body : null;
    });
    expect(tracked.rejection).toMatchObject({ step: 'DOCUMENT_VERIFICATION', reason: 'Foto KK buram, mohon unggah ulang' });
    const resub = await call(stack.baseUrl, 'POST', `/api/applications/${regNo}/resubmission`, {
      body: { nik: body.subject.nik, attachments: [{ kind: 'KK', fileName: 'kk-baru.pdf', contentType: 'application/pdf', contentBase64: PDF }], note: 'Sudah saya pindai ulang' },
    });
    expect(resub.status, JSON.stringify(resub.body)).toBe(202);
    expect(resub.body).toMatchObject({ status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION' });
    await atStep(regNo, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
    // The operator sees the attachments (the admin's view has none: SPEC §9).
    const d = (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens.operator })).body;
    expect(d.attachments.map((a: { round: number }) => a.round).sort()).toEqual([0, 1]);
    const again = await call(stack.baseUrl, 'POST', `/api/applications/${regNo}/resubmission`, {
      body: { nik: body.subject.nik, attachments: [{ kind: 'KK', fileName: 'kk-baru.pdf', contentType: 'application/pdf', contentBase64: PDF }] },
    });
    expect(again.status).toBe(409);
  });

  it('the applicant cancels with the NIK; kadis cancels with a reason; both close the case as CANCELLED', async () => {
    const { regNo, body } = await submitCase();
    const res = await call(stack.baseUrl, 'POST', `/api/applications/${regNo}/cancellation`, { body: { nik: body.subject.nik, reason: 'Sudah diurus di kantor langsung' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CANCELLED' });
    const staffCase = await caseAt('PRINT_VERIFICATION');
    const kadis = await act(staffCase, 'cancel', 'kadis', { reason: 'Data ganda dengan permohonan lain' });
    expect(kadis.body).toMatchObject({ status: 'CANCELLED' });
    await waitFor('closed', async () => (await detail(staffCase)).status === 'CANCELLED');
    const after = await act(staffCase, 'verify-print', 'subkoordinator', { decision: 'approve' });
    expect(after.status).toBe(409);
    // A new case for the same NIK is possible once the first is closed.
    const resubmit = await call(stack.baseUrl, 'POST', '/api/applications', { body });
    expect(resubmit.status).toBe(201);
  });
});
