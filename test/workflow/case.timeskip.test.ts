/**
 * The case workflow on the time-skipping server with real activities (PGlite/PostgreSQL, outbox
 * WhatsApp, file printer): every SOP path, timers, escalation and the office calendar.
 * Actions are driven by signals (the time-skipping server does not skip time during Updates).
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import {
  approveSignal,
  blanksAddedSignal,
  cancelSignal,
  confirmPrintSignal,
  handoverSignal,
  pickupSignal,
  resubmitSignal,
  verifyDocumentsSignal,
  verifyPrintSignal,
  type ActionResult,
  type CaseState,
} from '../../workflows/messages.js';
import { createSlaClock, dayOfWeek, jakartaDate, jakartaInstant } from '../../domain/calendar.js';
import type { DocumentType, RequestReason, StepKey } from '../../domain/sop.js';
import type { CasePolicy } from '../../domain/policy.js';
import { sha256Hex } from '../../infra/files.js';
import { countActions } from '../../bench/lib/history-actions.js';
import {
  PERSONAL,
  addBlanks,
  caseInput,
  createHarness,
  createTimeSkippingEnvWithSearchAttributes,
  eventually,
  recordHistory,
  saveInput,
  seedAllStaff,
  seedCase,
  staff,
  startCase,
  startWorker,
  terminateWhenIdle,
  testPolicy,
  waitForState,
  type Harness,
} from './support.js';

let env: TestWorkflowEnvironment;
let h: Harness;
let w: { stop(): Promise<void> };
const open: WorkflowHandle[] = [];

beforeAll(async () => {
  env = await createTimeSkippingEnvWithSearchAttributes();
  h = await createHarness();
  await seedAllStaff(h.db);
  w = await startWorker(h, env.nativeConnection);
});
afterAll(async () => {
  await w?.stop();
  await env?.teardown();
  await h?.close();
});
// A workflow left open would fire its timers during the next test's time skips.
afterEach(async () => {
  while (open.length) await terminateWhenIdle(open.pop()!);
});

async function start(o: { documentType?: DocumentType; reason?: RequestReason; policy?: CasePolicy; district?: string } = {}) {
  const c = await seedCase(h.db, { documentType: o.documentType, reason: o.reason, district: o.district });
  const handle = await startCase(env.client, caseInput(c, o.policy ?? testPolicy()));
  open.push(handle);
  await waitForState(handle, (s) => s.currentStep === 'DOCUMENT_VERIFICATION' && s.seq >= 1, 'step 2 current');
  return { c, handle, reg: c.registrationNumber };
}

async function decide(handle: WorkflowHandle, reg: string, step: StepKey, decision: 'approve' | 'reject', reason?: string) {
  const actor = step === 'DOCUMENT_VERIFICATION' ? staff.operator : step === 'PRINT_VERIFICATION' ? staff.subkoordinator : staff.kabid;
  const signal = step === 'DOCUMENT_VERIFICATION' ? verifyDocumentsSignal : step === 'PRINT_VERIFICATION' ? verifyPrintSignal : approveSignal;
  const inputId = await saveInput(h.db, reg, 'decision', { decision, ...(reason ? { reason } : {}) }, actor);
  const before = (await waitForState(handle, () => true, 'state')).seq;
  await handle.signal(signal, { actor, inputId, decision });
  await waitForState(handle, (s) => s.seq > before && s.currentStep !== step || s.status === 'AWAITING_RESUBMISSION', `${decision} at ${step}`);
  return inputId;
}

async function approveThrough(handle: WorkflowHandle, reg: string, until: StepKey) {
  const order: StepKey[] = ['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL'];
  for (const step of order) {
    if (step === until) return;
    await decide(handle, reg, step, 'approve');
  }
}

async function confirm(handle: WorkflowHandle, reg: string, result: 'ok' | 'failed', reason?: string) {
  const inputId = await saveInput(h.db, reg, 'confirm-print', { result, ...(reason ? { reason } : {}) }, staff.operator);
  await handle.signal(confirmPrintSignal, { actor: staff.operator, inputId, result });
  return inputId;
}

const caseRow = (reg: string) => h.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
const notifications = (reg: string) => h.db.selectFrom('notifications').selectAll().where('registration_number', '=', reg).orderBy('id').execute();
const stock = async (t: DocumentType) => (await h.db.selectFrom('blank_stock').select('quantity').where('document_type', '=', t).executeTakeFirstOrThrow()).quantity;
const stepOf = (s: CaseState, key: StepKey) => s.steps.find((x) => x.key === key)!;

describe('happy path', () => {
  let handle: WorkflowHandle;
  let reg: string;
  it('walks all eight steps to COMPLETED with signature, print, courier notice, receipt, archive and applicant messages', async () => {
    await addBlanks(h.db, 'KTP_EL', 3);
    const stockBefore = await stock('KTP_EL');
    ({ handle, reg } = await start({ reason: 'DAMAGED' }));
    await approveThrough(handle, reg, 'PRINTING');
    let s = await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION', 'printed');
    expect(s.currentStep).toBe('PRINTING');
    expect(s.printAttempts).toBe(1);
    await confirm(handle, reg, 'ok');
    s = await waitForState(handle, (x) => x.currentStep === 'HANDOVER' && x.waitingFor === 'COURIER', 'handover');
    const pickupId = await saveInput(h.db, reg, 'pickup', { courierName: 'Kurir Satu' }, staff.ekspedisi);
    await handle.signal(pickupSignal, { actor: staff.ekspedisi, inputId: pickupId });
    await waitForState(handle, (x) => x.pickedUp, 'picked up');
    const handoverId = await saveInput(h.db, reg, 'handover', { receivedBy: PERSONAL.contactName, relationship: 'FAMILY', oldCardCollected: true }, staff.ekspedisi);
    await handle.signal(handoverSignal, { actor: staff.ekspedisi, inputId: handoverId, relationship: 'FAMILY', oldCardCollected: true });
    const result = (await handle.result()) as ActionResult;
    expect(result).toEqual({ registrationNumber: reg, status: 'COMPLETED', currentStep: 'DONE' });

    const row = await caseRow(reg);
    expect(row.status).toBe('COMPLETED');
    expect(row.current_step).toBe('DONE');
    expect(row.receipt_number).toBe(`TT-${reg.slice(3)}`);
    expect(row.closed_at).not.toBeNull();
    expect(row.overdue).toBe(false);

    const runs = await h.db.selectFrom('step_runs').selectAll().where('registration_number', '=', reg).orderBy('seq').execute();
    expect(runs.map((r) => r.step_key)).toEqual(['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL', 'PRINTING', 'COURIER_NOTICE', 'HANDOVER', 'DONE']);
    expect(runs.every((r) => r.completed_at !== null)).toBe(true);
    expect(runs.find((r) => r.step_key === 'APPROVAL')!.actor_username).toBe('kabid1');

    const sig = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
    expect(sig.signer_username).toBe('kabid1');
    expect(h.adapters.signer.verify(sig.payload, sig.signature)).toBe(true);

    const docs = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', reg).execute();
    expect(docs.map((d) => `${d.kind}:${d.version}`).sort()).toEqual(['approval:1', 'archive:1', 'label:1', 'receipt:1']);
    const archive = docs.find((d) => d.kind === 'archive')!;
    const manifest = JSON.parse((await h.files.read(archive.storage_path)).toString()) as { events: Array<{ type: string }>; documents: Array<{ kind: string; path: string; sha256: string }> };
    expect(manifest.documents.map((d) => d.kind).sort()).toEqual(['approval', 'label', 'receipt']);
    for (const d of manifest.documents) expect(d.sha256).toBe(sha256Hex(await h.files.read(d.path)));
    expect(manifest.events.map((e) => e.type)).toEqual(expect.arrayContaining(['SUBMITTED', 'SIGNED', 'PRINT_CONFIRMED', 'COURIER_NOTIFIED', 'PICKED_UP', 'DELIVERED', 'COMPLETED']));

    expect(await stock('KTP_EL')).toBe(stockBefore - 1);
    const receipt = await h.db.selectFrom('receipts').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ relationship: 'FAMILY', old_card_collected: true, courier_username: 'kurir1' });

    const sent = await eventually(() => notifications(reg), (n) => n.filter((x) => x.kind === 'APPLICANT').length >= 3, 'applicant notices');
    const applicant = sent.filter((n) => n.kind === 'APPLICANT');
    expect(applicant.map((n) => n.recipient)).toEqual([PERSONAL.phone, PERSONAL.phone, PERSONAL.phone]);
    expect(applicant[0].text).toContain('telah kami terima');
    expect(applicant[1].text).toContain('sudah dicetak');
    expect(applicant[2].text).toContain('telah diserahkan');
    expect(sent.every((n) => n.status === 'SENT' && n.provider === 'outbox')).toBe(true);
    const courier = sent.filter((n) => n.kind === 'COURIER_GROUP');
    expect(courier).toHaveLength(1);
    expect(courier[0].recipient).toBe(h.config.WA_COURIER_GROUP_ID);
    expect(courier[0].text).toContain(reg);
    expect(courier[0].text).toContain('Purwodadi');
    for (const p of Object.values(PERSONAL)) expect(courier[0].text).not.toContain(p);
    await recordHistory(handle, 'happy-path');
  });

  it('costs 38 Temporal actions (patch one-record-per-action-v5): one patch marker, one local activity per action, 8 local-activity batches, 8 upserts', async () => {
    const c = countActions(await handle.fetchHistory());
    expect(c).toMatchObject({ start: 1, activities: 8, localActivityBatches: 8, localActivities: 8, timers: 6, upserts: 8, signals: 6, markers: 1 });
    expect(c.total).toBe(38);
  });

  it('keeps NIK, KK number, names, phone and address of the case out of the whole Temporal history', async () => {
    const row = await caseRow(reg);
    const history = JSON.stringify(await handle.fetchHistory());
    const phoneDigits = row.contact_phone.replace(/\D/g, '');
    const secrets = [row.subject_nik, row.kk_number, row.subject_name, row.contact_name, row.contact_phone, phoneDigits, `0${phoneDigits.slice(2)}`, row.address, row.village];
    expect(history.length).toBeGreaterThan(1000);
    // Payload data is base64 in the JSON history: decode every data field and search it as well.
    const decoded = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain(reg);
    for (const secret of secrets) {
      expect(history).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
  });
});

describe('rejection and resubmission', () => {
  it.each(['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL'] as const)('rejection at %s notifies the reason, waits, and a resubmission returns to step 2', async (step) => {
    const { handle, reg } = await start();
    await approveThrough(handle, reg, step);
    const reason = `Foto KK buram pada langkah ${step}, mohon unggah ulang`;
    const rejectId = await decide(handle, reg, step, 'reject', reason);
    const s = await waitForState(handle, (x) => x.status === 'AWAITING_RESUBMISSION', 'awaiting resubmission');
    expect(s.currentStep).toBe(step);
    expect(s.waitingFor).toBe('RESUBMISSION');
    expect(s.rejection).toMatchObject({ step, inputId: rejectId });
    expect(s.resubmissionDueAt! - s.rejection!.at).toBe(14 * 24 * 60 * 60 * 1000);
    const row = await eventually(() => caseRow(reg), (r) => r.status === 'AWAITING_RESUBMISSION', 'row');
    expect(row.rejection_reason).toBe(reason);
    expect(row.rejection_step).toBe(step);
    expect(row.step_due_at).toBeNull();
    const rejectedNotice = await eventually(() => notifications(reg), (n) => n.some((x) => x.text.includes('belum dapat diproses')), 'rejection notice');
    expect(rejectedNotice.find((x) => x.text.includes('belum dapat diproses'))!.text).toContain(reason);
    if (step === 'APPROVAL') {
      expect(await h.db.selectFrom('signatures').select('registration_number').where('registration_number', '=', reg).executeTakeFirst()).toBeUndefined();
    }

    const resubmitId = await saveInput(h.db, reg, 'resubmit', { note: 'sudah diperbaiki' });
    await handle.signal(resubmitSignal, { inputId: resubmitId });
    const back = await waitForState(handle, (x) => x.status === 'IN_PROGRESS' && x.currentStep === 'DOCUMENT_VERIFICATION' && x.seq > s.seq, 'back at step 2');
    expect(back.rejection).toBeUndefined();
    expect(stepOf(back, 'PRINT_VERIFICATION').state).toBe('pending');
    expect(stepOf(back, 'DOCUMENT_VERIFICATION').state).toBe('current');
    await eventually(() => notifications(reg), (n) => n.some((x) => x.text.includes('Perbaikan berkas')), 'resubmission notice');
    const runs = await eventually(
      () => h.db.selectFrom('step_runs').selectAll().where('registration_number', '=', reg).orderBy('seq').execute(),
      (r) => r.filter((x) => x.step_key === 'DOCUMENT_VERIFICATION').length === 2,
      'second run of step 2',
    );
    expect(runs.find((r) => r.step_key === step && r.outcome === 'REJECTED')).toBeDefined();
    // The review goes on normally after a resubmission.
    await decide(handle, reg, 'DOCUMENT_VERIFICATION', 'approve');
    expect((await waitForState(handle, () => true, 'state')).currentStep).toBe('PRINT_VERIFICATION');
    if (step === 'PRINT_VERIFICATION') await recordHistory(handle, 'rejection-resubmission');
  });

  it('closes the case as REJECTED when no resubmission arrives within resubmissionDays', async () => {
    const { handle, reg } = await start({ policy: testPolicy({ resubmissionDays: 3 }) });
    await decide(handle, reg, 'DOCUMENT_VERIFICATION', 'reject', 'Berkas KK tidak terbaca sama sekali');
    await waitForState(handle, (x) => x.status === 'AWAITING_RESUBMISSION', 'awaiting');
    const result = (await handle.result()) as ActionResult; // time skips to the deadline
    expect(result.status).toBe('REJECTED');
    const row = await eventually(() => caseRow(reg), (r) => r.status === 'REJECTED', 'row rejected');
    expect(row.closed_at).not.toBeNull();
    const n = await eventually(() => notifications(reg), (x) => x.some((m) => m.text.includes('ditutup')), 'expiry notice');
    expect(n.filter((m) => m.text.includes('ditutup'))).toHaveLength(1);
    await recordHistory(handle, 'resubmission-expired');
  });
});

describe('cancellation', () => {
  it('kadis cancels at step 3: CANCELLED, applicant told with the reason', async () => {
    const { handle, reg } = await start();
    await approveThrough(handle, reg, 'PRINT_VERIFICATION');
    const inputId = await saveInput(h.db, reg, 'cancel', { reason: 'Permohonan ganda, dibatalkan oleh kepala dinas' }, staff.kadis);
    await handle.signal(cancelSignal, { actor: staff.kadis, inputId });
    expect(((await handle.result()) as ActionResult).status).toBe('CANCELLED');
    const row = await eventually(() => caseRow(reg), (r) => r.status === 'CANCELLED', 'row');
    expect(row.current_step).toBe('PRINT_VERIFICATION');
    const n = await eventually(() => notifications(reg), (x) => x.some((m) => m.text.includes('dibatalkan')), 'cancel notice');
    expect(n.find((m) => m.text.includes('dibatalkan'))!.text).toContain('Permohonan ganda');
    await recordHistory(handle, 'cancel-by-kadis');
  });

  it('ignores a cancel signal from a role that may not cancel, and one after printing has started', async () => {
    await addBlanks(h.db, 'KTP_EL', 1);
    const { handle, reg } = await start();
    const bad = await saveInput(h.db, reg, 'cancel', { reason: 'operator tidak boleh membatalkan' }, staff.operator);
    await handle.signal(cancelSignal, { actor: staff.operator, inputId: bad });
    await approveThrough(handle, reg, 'PRINTING');
    await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION', 'printed');
    const late = await saveInput(h.db, reg, 'cancel', { reason: 'terlambat untuk membatalkan' }, staff.kadis);
    await handle.signal(cancelSignal, { actor: staff.kadis, inputId: late });
    await confirm(handle, reg, 'ok');
    const s = await waitForState(handle, (x) => x.currentStep === 'HANDOVER', 'handover');
    expect(s.status).toBe('IN_PROGRESS');
  });
});

describe('printing', () => {
  it('a failed print records one damaged blank and prints again: two blanks consumed', async () => {
    await addBlanks(h.db, 'KTP_EL', 2);
    const before = await stock('KTP_EL');
    const { handle, reg } = await start();
    await approveThrough(handle, reg, 'PRINTING');
    await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION' && x.printAttempts === 1, 'first print');
    await confirm(handle, reg, 'failed', 'Blangko tergores saat dicetak');
    await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION' && x.printAttempts === 2, 'second print');
    await confirm(handle, reg, 'ok');
    await waitForState(handle, (x) => x.currentStep === 'HANDOVER', 'handover');
    expect(await stock('KTP_EL')).toBe(before - 2);
    const moves = await h.db.selectFrom('blank_movements').selectAll().where('registration_number', '=', reg).orderBy('id').execute();
    expect(moves.map((m) => m.kind)).toEqual(['CONSUME', 'DAMAGED', 'CONSUME']);
    expect(moves[1]).toMatchObject({ delta: 0, note: 'Blangko tergores saat dicetak', actor_username: 'op1' });
    const jobs = await h.db.selectFrom('print_jobs').selectAll().where('registration_number', '=', reg).orderBy('attempt').execute();
    expect(jobs.map((j) => [j.attempt, j.status])).toEqual([[1, 'FAILED'], [2, 'CONFIRMED']]);
    // Print-job files hold personal data: deleted once the print is settled (failed or confirmed).
    for (const j of jobs) expect(fs.existsSync(h.files.absolute(j.job_path))).toBe(false);
    const labels = await h.db.selectFrom('documents').select('version').where('registration_number', '=', reg).where('kind', '=', 'label').orderBy('version').execute();
    expect(labels.map((l) => l.version)).toEqual([1, 2]);
    await recordHistory(handle, 'print-failure-reprint');
  });

  it('with no blank stock waits in PRINTING (BLANK_STOCK) and resumes by itself on blanksAdded', async () => {
    expect(await stock('KIA')).toBe(0);
    const { handle, reg } = await start({ documentType: 'KIA' });
    await approveThrough(handle, reg, 'PRINTING');
    const s = await waitForState(handle, (x) => x.waitingFor === 'BLANK_STOCK', 'waiting for blanks');
    expect(s.currentStep).toBe('PRINTING');
    const row = await eventually(() => caseRow(reg), (r) => r.waiting_for === 'BLANK_STOCK', 'row waiting');
    expect(row.current_step).toBe('PRINTING');
    await addBlanks(h.db, 'KIA', 1);
    await handle.signal(blanksAddedSignal, { documentType: 'KTP_EL' }); // another type: no effect
    await handle.signal(blanksAddedSignal, { documentType: 'KIA' });
    await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION', 'printed after restock');
    expect(await stock('KIA')).toBe(0);
    await recordHistory(handle, 'no-blanks-restock');
  });

  it('re-checks the stock by itself after the safety-net interval without any signal', async () => {
    expect(await stock('KIA')).toBe(0);
    const { handle, reg } = await start({ documentType: 'KIA' });
    await approveThrough(handle, reg, 'PRINTING');
    await waitForState(handle, (x) => x.waitingFor === 'BLANK_STOCK', 'waiting for blanks');
    await addBlanks(h.db, 'KIA', 1);
    await env.sleep(31 * 60 * 1000);
    await waitForState(handle, (x) => x.waitingFor === 'PRINT_CONFIRMATION', 'printed after re-check');
  });
});

describe('per-step timers and escalation', () => {
  const escalations = (reg: string) => h.db.selectFrom('escalations').selectAll().where('registration_number', '=', reg).orderBy('step_seq').orderBy('level').execute();
  const escalationNotices = async (reg: string) => (await notifications(reg)).filter((n) => n.kind === 'ESCALATION');

  it('escalates each step up its ladder once per level, notifies each once, and clears on completion', async () => {
    const { handle, reg } = await start();
    const min = 60_000;
    // Step 2 (operator, 5 min): subkoordinator → kabid → kadis, then the ladder ends.
    await env.sleep(5 * min + 1000);
    let s = await waitForState(handle, (x) => x.escalationLevel === 1, 'level 1');
    expect(stepOf(s, 'DOCUMENT_VERIFICATION')).toMatchObject({ overdue: true, escalations: [{ level: 1, role: 'subkoordinator' }] });
    await env.sleep(5 * min);
    await waitForState(handle, (x) => x.escalationLevel === 2, 'level 2');
    await env.sleep(5 * min);
    await waitForState(handle, (x) => x.escalationLevel === 3, 'level 3');
    await env.sleep(20 * min);
    s = await waitForState(handle, () => true, 'state');
    expect(s.escalationLevel).toBe(3);
    const row = await eventually(() => caseRow(reg), (r) => r.escalation_level === 3, 'row level 3');
    expect(row.overdue).toBe(true);
    expect((await escalations(reg)).map((e) => [e.step_key, e.level, e.role])).toEqual([
      ['DOCUMENT_VERIFICATION', 1, 'subkoordinator'],
      ['DOCUMENT_VERIFICATION', 2, 'kabid'],
      ['DOCUMENT_VERIFICATION', 3, 'kadis'],
    ]);
    const n2 = await eventually(() => escalationNotices(reg), (n) => n.length === 3, 'three escalation notices');
    expect(n2.map((n) => n.recipient)).toEqual(['+6281100000002', '+6281100000003', 'role:kadis']);
    for (const n of n2) for (const p of Object.values(PERSONAL)) expect(n.text).not.toContain(p);

    // Completing step 2 clears overdue; step 3 (subkoordinator, 1 min): kabid → kadis.
    await decide(handle, reg, 'DOCUMENT_VERIFICATION', 'approve');
    s = await waitForState(handle, (x) => x.currentStep === 'PRINT_VERIFICATION', 'step 3');
    expect(s.escalationLevel).toBe(0);
    const cleared = await eventually(() => caseRow(reg), (r) => r.current_step === 'PRINT_VERIFICATION', 'row step 3');
    expect(cleared.overdue).toBe(false);
    expect(cleared.escalation_level).toBe(0);
    const run2 = await h.db.selectFrom('step_runs').selectAll().where('registration_number', '=', reg).where('step_key', '=', 'DOCUMENT_VERIFICATION').executeTakeFirstOrThrow();
    expect(run2.overdue).toBe(true);
    await env.sleep(min + 1000);
    await waitForState(handle, (x) => x.escalationLevel === 1, 'step 3 level 1');
    await env.sleep(min);
    await waitForState(handle, (x) => x.escalationLevel === 2, 'step 3 level 2');
    await env.sleep(10 * min);
    expect((await waitForState(handle, () => true, 'state')).escalationLevel).toBe(2);

    // Step 4 (kabid, 1 min): kadis only.
    await decide(handle, reg, 'PRINT_VERIFICATION', 'approve');
    await waitForState(handle, (x) => x.currentStep === 'APPROVAL', 'step 4');
    await env.sleep(min + 1000);
    await waitForState(handle, (x) => x.escalationLevel === 1, 'step 4 level 1');
    await env.sleep(10 * min);
    expect((await waitForState(handle, () => true, 'state')).escalationLevel).toBe(1);

    const all = await eventually(() => escalations(reg), (e) => e.length === 6, 'six escalations');
    expect(all.slice(3).map((e) => [e.step_key, e.level, e.role])).toEqual([
      ['PRINT_VERIFICATION', 1, 'kabid'],
      ['PRINT_VERIFICATION', 2, 'kadis'],
      ['APPROVAL', 1, 'kadis'],
    ]);
    const notices = await eventually(() => escalationNotices(reg), (n) => n.length === 6, 'six notices');
    expect(new Set(notices.map((n) => n.idempotency_key)).size).toBe(6);
    await recordHistory(handle, 'escalation-ladder');
  });

  it('office calendar: a 5-minute step started at 16:28 on a Friday (office closes 16:30) is due Monday morning and escalates only then', async () => {
    const now = await env.currentTimeMs();
    let day = jakartaDate(now + 24 * 3600_000);
    while (dayOfWeek(day) !== 5) day = jakartaDate(jakartaInstant(day, '12:00') + 24 * 3600_000);
    await env.sleep(jakartaInstant(day, '16:28') - now);
    const monday = jakartaDate(jakartaInstant(day, '12:00') + 3 * 24 * 3600_000);
    const tuesday = jakartaDate(jakartaInstant(day, '12:00') + 4 * 24 * 3600_000);

    const plain = await start({ policy: testPolicy({ slaClock: 'office', holidays: [] }) });
    const holiday = await start({ policy: testPolicy({ slaClock: 'office', holidays: [monday] }) });
    const s = await waitForState(plain.handle, () => true, 'state');
    const step2 = stepOf(s, 'DOCUMENT_VERIFICATION');
    expect(jakartaDate(step2.startedAt!)).toBe(day);
    expect(step2.dueAt).toBe(createSlaClock('office', { holidays: [] }).addMinutes(step2.startedAt!, 5));
    expect(jakartaDate(step2.dueAt!)).toBe(monday);
    expect(step2.dueAt! - jakartaInstant(monday, '07:30')).toBeLessThanOrEqual(5 * 60_000);
    const h2 = stepOf(await waitForState(holiday.handle, () => true, 'state'), 'DOCUMENT_VERIFICATION');
    expect(jakartaDate(h2.dueAt!)).toBe(tuesday);
    const row = await caseRow(plain.reg);
    expect(row.step_due_at!.getTime()).toBe(step2.dueAt);

    // Through the weekend: not overdue yet.
    await env.sleep(jakartaInstant(monday, '07:00') - (await env.currentTimeMs()));
    expect((await waitForState(plain.handle, () => true, 'state')).escalationLevel).toBe(0);
    await env.sleep(step2.dueAt! + 1000 - (await env.currentTimeMs()));
    await waitForState(plain.handle, (x) => x.escalationLevel === 1, 'overdue on Monday');
    expect((await waitForState(holiday.handle, () => true, 'state')).escalationLevel).toBe(0);
    await recordHistory(plain.handle, 'office-calendar');
  });
});
