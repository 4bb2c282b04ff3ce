/**
 * Issue #13 on the time-skipping server with real activities: failed deliveries up to the limit
 * and pickup at the office, the applicant's request for office pickup, escalation of a pending
 * retry, and the courier notice that completes only once the group message is sent (or the
 * operator records that the couriers were told another way).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import {
  approveSignal,
  confirmPrintSignal,
  courierNotifiedManuallySignal,
  deliveryFailedSignal,
  handoverUpdate,
  officeHandoverSignal,
  requestOfficePickupSignal,
  verifyDocumentsSignal,
  verifyPrintSignal,
  type ActionResult,
} from '../../workflows/messages.js';
import type { WhatsAppAdapter, OutgoingMessage } from '../../activities/adapters/whatsapp.js';
import type { CasePolicy } from '../../domain/policy.js';
import {
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

/** A gateway that can refuse the courier group (the only recipient ending in @g.us) and records what it sent. */
const gateway = {
  failGroup: false,
  sent: [] as OutgoingMessage[],
  refused: 0,
};
const fakeWhatsApp: WhatsAppAdapter = {
  provider: 'webhook',
  async send(m) {
    if (gateway.failGroup && m.recipient.endsWith('@g.us')) {
      gateway.refused++;
      throw new Error('gateway down (test)');
    }
    gateway.sent.push(m);
    return { provider: 'webhook', messageId: `m${gateway.sent.length}` };
  },
};

let env: TestWorkflowEnvironment;
let h: Harness;
let w: { stop(): Promise<void> };
const open: WorkflowHandle[] = [];
const MIN = 60_000;

beforeAll(async () => {
  env = await createTimeSkippingEnvWithSearchAttributes();
  h = await createHarness();
  (h.adapters as { whatsapp: WhatsAppAdapter }).whatsapp = fakeWhatsApp;
  await seedAllStaff(h.db);
  w = await startWorker(h, env.nativeConnection);
});
afterAll(async () => {
  await w?.stop();
  await env?.teardown();
  await h?.close();
});
afterEach(async () => {
  gateway.failGroup = false;
  while (open.length) await terminateWhenIdle(open.pop()!);
});

const caseRow = (reg: string) => h.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
const notifications = (reg: string) => h.db.selectFrom('notifications').selectAll().where('registration_number', '=', reg).orderBy('id').execute();
const events = (reg: string) => h.db.selectFrom('case_events').selectAll().where('registration_number', '=', reg).orderBy('id').execute();
const runs = (reg: string) => h.db.selectFrom('step_runs').selectAll().where('registration_number', '=', reg).orderBy('seq').execute();

async function start(policy: CasePolicy = testPolicy()) {
  const c = await seedCase(h.db);
  const handle = await startCase(env.client, caseInput(c, policy));
  open.push(handle);
  await waitForState(handle, (s) => s.currentStep === 'DOCUMENT_VERIFICATION' && s.seq >= 1, 'step 2 current');
  return { handle, reg: c.registrationNumber };
}

/** Approves steps 2–4 and confirms the print: the case reaches step 6. */
async function toCourierNotice(handle: WorkflowHandle, reg: string) {
  await addBlanks(h.db, 'KTP_EL', 1);
  const steps = [
    [verifyDocumentsSignal, staff.operator, 'PRINT_VERIFICATION'],
    [verifyPrintSignal, staff.subkoordinator, 'APPROVAL'],
    [approveSignal, staff.kabid, 'PRINTING'],
  ] as const;
  for (const [signal, actor, next] of steps) {
    const inputId = await saveInput(h.db, reg, 'decision', { decision: 'approve' }, actor);
    await handle.signal(signal, { actor, inputId, decision: 'approve' });
    await waitForState(handle, (s) => s.currentStep === next, next);
  }
  await waitForState(handle, (s) => s.waitingFor === 'PRINT_CONFIRMATION', 'printed');
  const inputId = await saveInput(h.db, reg, 'confirm-print', { result: 'ok' }, staff.operator);
  await handle.signal(confirmPrintSignal, { actor: staff.operator, inputId, result: 'ok' });
  await waitForState(handle, (s) => s.currentStep !== 'PRINTING', 'past printing');
}

async function toHandover(handle: WorkflowHandle, reg: string) {
  await toCourierNotice(handle, reg);
  return waitForState(handle, (s) => s.currentStep === 'HANDOVER' && s.waitingFor === 'COURIER', 'handover');
}

async function failDelivery(handle: WorkflowHandle, reg: string, reason: 'NOT_HOME' | 'WRONG_ADDRESS' | 'REFUSED', attempt: number) {
  const inputId = await saveInput(h.db, reg, 'delivery-failed', { reason, note: `percobaan ${attempt}` }, staff.ekspedisi);
  await handle.signal(deliveryFailedSignal, { actor: staff.ekspedisi, inputId, reason });
  // The attempt is counted before the next run is entered (an activity in between): wait until the
  // workflow has settled on either the next attempt's due time or the return to the office.
  return waitForState(handle, (s) => s.deliveryAttempts === attempt && (s.atOffice || s.nextDeliveryDueAt != null), `failed attempt ${attempt}`);
}

describe('failed delivery and pickup at the office', () => {
  it('three failed attempts (MAX_DELIVERY_ATTEMPTS) return the card to the office, the applicant is told each time, and the operator’s office-handover issues the receipt', async () => {
    const { handle, reg } = await start();
    await toHandover(handle, reg);

    const before = await env.currentTimeMs();
    let s = await failDelivery(handle, reg, 'NOT_HOME', 1);
    expect(s.currentStep).toBe('HANDOVER');
    expect(s.waitingFor).toBe('DELIVERY_RETRY');
    expect(s.atOffice).toBe(false);
    // Wall clock: the next attempt is due a day later plus the step's standard minute.
    expect(s.nextDeliveryDueAt! - before).toBeGreaterThanOrEqual(24 * 60 * MIN + MIN);
    expect(s.nextDeliveryDueAt! - before).toBeLessThan(24 * 60 * MIN + 2 * MIN);
    const told = await eventually(() => notifications(reg), (n) => n.some((x) => x.text.includes('belum dapat kami antar')), 'delivery-failed notice');
    const notice = told.find((x) => x.text.includes('belum dapat kami antar'))!;
    expect(notice.kind).toBe('APPLICANT');
    expect(notice.text).toContain('tidak ada orang di rumah');
    expect(notice.text).toContain('percobaan 2 dari 3');

    await failDelivery(handle, reg, 'WRONG_ADDRESS', 2);
    s = await failDelivery(handle, reg, 'REFUSED', 3);
    expect(s.waitingFor).toBe('OFFICE_PICKUP');
    expect(s.atOffice).toBe(true);
    expect(s.nextDeliveryDueAt).toBeUndefined();
    await eventually(() => notifications(reg), (n) => n.some((x) => x.text.includes('menunggu di kantor')), 'office pickup notice');
    const row = await eventually(() => caseRow(reg), (r) => r.waiting_for === 'OFFICE_PICKUP', 'row at office');
    expect(row.delivery_attempts).toBe(3);

    // The courier can no longer hand it over; the operator records the pickup at the office.
    const late = await saveInput(h.db, reg, 'handover', { receivedBy: 'Kurir', relationship: 'SELF' }, staff.ekspedisi);
    await expect(handle.executeUpdate(handoverUpdate, { args: [{ actor: staff.ekspedisi, inputId: late, relationship: 'SELF', oldCardCollected: null }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/kembali ke kantor/) } });
    const office = await saveInput(h.db, reg, 'office-handover', { receivedBy: 'Bambang Sutejo', relationship: 'FAMILY' }, staff.operator);
    await handle.signal(officeHandoverSignal, { actor: staff.operator, inputId: office, relationship: 'FAMILY', oldCardCollected: null });
    const result = (await handle.result()) as ActionResult;
    expect(result.status).toBe('COMPLETED');

    const receipt = await h.db.selectFrom('receipts').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ courier_username: 'op1', relationship: 'FAMILY' });
    const handovers = (await runs(reg)).filter((r) => r.step_key === 'HANDOVER');
    expect(handovers.map((r) => r.outcome)).toEqual(['DELIVERY_FAILED', 'DELIVERY_FAILED', 'DELIVERY_FAILED', 'DELIVERED']);
    expect(handovers[3]!.due_at).toBeNull(); // waiting at the office for the applicant runs no SLA
    const types = (await events(reg)).map((e) => e.type);
    expect(types.filter((t) => t === 'DELIVERY_FAILED')).toHaveLength(3);
    expect(types).toEqual(expect.arrayContaining(['RETURNED_TO_OFFICE', 'OFFICE_HANDOVER', 'COMPLETED', 'ARCHIVED']));
    await recordHistory(handle, 'delivery-failed-office-pickup');
  });

  it('the applicant’s request returns the card to the office at once', async () => {
    const { handle, reg } = await start();
    await toHandover(handle, reg);
    const inputId = await saveInput(h.db, reg, 'request-office-pickup', {});
    await handle.signal(requestOfficePickupSignal, { inputId });
    const s = await waitForState(handle, (x) => x.waitingFor === 'OFFICE_PICKUP', 'at office');
    expect(s.deliveryAttempts).toBe(0);
    const ev = await eventually(() => events(reg), (e) => e.some((x) => x.type === 'RETURNED_TO_OFFICE'), 'returned event');
    expect(ev.find((x) => x.type === 'RETURNED_TO_OFFICE')!.data).toMatchObject({ cause: 'APPLICANT_REQUEST' });
    await eventually(() => notifications(reg), (n) => n.some((x) => x.text.includes('menunggu di kantor')), 'office pickup notice');
    await recordHistory(handle, 'applicant-office-pickup');
  });

  it('a pending retry is due the next day and escalates to the courier’s supervisor only after that', async () => {
    const { handle, reg } = await start();
    await toHandover(handle, reg);
    const s = await failDelivery(handle, reg, 'NOT_HOME', 1);
    await env.sleep(12 * 60 * MIN);
    expect((await waitForState(handle, () => true, 'state')).escalationLevel).toBe(0);
    await env.sleep(s.nextDeliveryDueAt! - (await env.currentTimeMs()) + 1000);
    const late = await waitForState(handle, (x) => x.escalationLevel === 1, 'retry overdue');
    expect(late.steps.find((x) => x.key === 'HANDOVER')!.escalations).toMatchObject([{ level: 1, role: 'subkoordinator' }]);
    const esc = await eventually(
      () => h.db.selectFrom('escalations').selectAll().where('registration_number', '=', reg).execute(),
      (e) => e.length === 1,
      'escalation row',
    );
    expect(esc[0]).toMatchObject({ step_key: 'HANDOVER', level: 1, role: 'subkoordinator' });
  });
});

describe('courier notice that must arrive', () => {
  it('while the courier group cannot be reached step 6 stays current and escalates; once the gateway is back it completes with one message', async () => {
    const { handle, reg } = await start();
    gateway.failGroup = true;
    await toCourierNotice(handle, reg);
    let s = await waitForState(handle, (x) => x.currentStep === 'COURIER_NOTICE' && x.waitingFor === 'COURIER_MESSAGE', 'step 6 waiting');
    await env.sleep(60 * MIN);
    s = await waitForState(handle, (x) => x.escalationLevel >= 1, 'step 6 escalated');
    expect(s.currentStep).toBe('COURIER_NOTICE');
    expect(gateway.refused).toBeGreaterThan(1);
    const courierRows = (await notifications(reg)).filter((n) => n.kind === 'COURIER_GROUP');
    expect(courierRows).toHaveLength(1);
    expect(courierRows[0]!.status).toBe('FAILED');
    expect((await events(reg)).map((e) => e.type)).not.toContain('COURIER_NOTIFIED');
    expect((await caseRow(reg)).current_step).toBe('COURIER_NOTICE');

    gateway.failGroup = false;
    await env.sleep(16 * MIN);
    s = await waitForState(handle, (x) => x.currentStep === 'HANDOVER', 'handover after the gateway is back');
    expect(s.steps.find((x) => x.key === 'COURIER_NOTICE')!.state).toBe('done');
    const sent = await eventually(() => notifications(reg), (n) => n.some((x) => x.kind === 'COURIER_GROUP' && x.status === 'SENT'), 'courier row sent');
    expect(sent.filter((x) => x.kind === 'COURIER_GROUP')).toHaveLength(1);
    expect(gateway.sent.filter((m) => m.recipient.endsWith('@g.us') && m.text.includes(reg))).toHaveLength(1);
    const ev = await eventually(() => events(reg), (e) => e.some((x) => x.type === 'COURIER_NOTIFIED'), 'notified event');
    expect(ev.filter((x) => x.type === 'COURIER_NOTIFIED')).toHaveLength(1);
    const notice = (await runs(reg)).find((r) => r.step_key === 'COURIER_NOTICE')!;
    expect(notice.outcome).toBe('NOTIFIED');
    expect(notice.overdue).toBe(true);
    await recordHistory(handle, 'courier-notice-retry');
  });

  it('the operator records that the couriers were told another way: step 6 completes with that note, no message counted as sent', async () => {
    const { handle, reg } = await start();
    gateway.failGroup = true;
    await toCourierNotice(handle, reg);
    await waitForState(handle, (x) => x.currentStep === 'COURIER_NOTICE' && x.waitingFor === 'COURIER_MESSAGE', 'step 6 waiting');
    const inputId = await saveInput(h.db, reg, 'courier-notified-manually', { note: 'Ekspedisi ditelepon langsung oleh operator' }, staff.operator);
    await handle.signal(courierNotifiedManuallySignal, { actor: staff.operator, inputId });
    await waitForState(handle, (x) => x.currentStep === 'HANDOVER' && x.waitingFor === 'COURIER', 'handover');
    const ev = await eventually(() => events(reg), (e) => e.some((x) => x.type === 'COURIER_NOTIFIED_MANUALLY'), 'manual event');
    expect(ev.find((x) => x.type === 'COURIER_NOTIFIED_MANUALLY')).toMatchObject({ actor_username: 'op1', actor_role: 'operator' });
    expect(ev.map((x) => x.type)).not.toContain('COURIER_NOTIFIED');
    const notice = (await runs(reg)).find((r) => r.step_key === 'COURIER_NOTICE')!;
    expect(notice).toMatchObject({ outcome: 'NOTIFIED_MANUALLY', actor_username: 'op1' });
    const courierRows = (await notifications(reg)).filter((n) => n.kind === 'COURIER_GROUP');
    expect(courierRows.every((n) => n.status !== 'SENT')).toBe(true);
    await recordHistory(handle, 'courier-notified-manually');
  });
});
