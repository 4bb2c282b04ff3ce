/**
 * The activities of workflow patch one-record-per-action-v5 that record a transition together with
 * their own work: each run twice (as a retry would) leaves one side effect and one transition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities, type TransitionRecord } from '../../activities/index.js';
import { listEvents } from '../../db/repositories/read-model.js';
import { bodyOf } from '../../db/repositories/action-inputs.js';
import { silentLogger } from '../../infra/logger.js';
import { sha256Hex } from '../../infra/files.js';
import { receiptNumberOf } from '../../domain/receipt.js';
import { addBlanks, createHarness, saveInput, seedAllStaff, seedCase, type Harness } from '../workflow/support.js';

let h: Harness;
let acts: Activities;
beforeAll(async () => {
  h = await createHarness();
  await seedAllStaff(h.db);
  acts = createActivities({ db: h.db, files: h.files, adapters: h.adapters, config: h.config, logger: silentLogger });
});
afterAll(async () => {
  await h?.close();
});

const twice = async <T>(fn: () => Promise<T>): Promise<[T, T]> => [await fn(), await fn()];
const snapshot = (o: Partial<TransitionRecord['snapshot']> = {}): TransitionRecord['snapshot'] => ({
  status: 'IN_PROGRESS',
  currentStep: 'PRINTING',
  stepStartedAt: 1,
  stepDueAt: 2,
  overdue: false,
  escalationLevel: 0,
  waitingFor: null,
  rejection: null,
  resubmissionDueAt: null,
  receiptNumber: null,
  closedAt: null,
  ...o,
});
const eventTypes = async (reg: string) => (await listEvents(h.db, reg)).map((e) => e.type);
const caseRow = (reg: string) => h.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();

describe('one record per action (patch one-record-per-action-v5)', () => {
  it('printCardAndRecord applies the PRINTED record when a blank was taken, once, and never the NO_STOCK one', async () => {
    const c = await seedCase(h.db);
    await addBlanks(h.db, 'KTP_EL', 1);
    const at = Date.now();
    const printed: TransitionRecord = { registrationNumber: c.registrationNumber, seq: 1, at, snapshot: snapshot({ waitingFor: 'PRINT_CONFIRMATION' }), events: [{ type: 'PRINTED', stepKey: 'PRINTING', data: { attempt: 1 } }] };
    const noStock: TransitionRecord = { ...printed, snapshot: snapshot({ waitingFor: 'BLANK_STOCK' }), events: [{ type: 'WAITING_FOR_BLANKS', stepKey: 'PRINTING', data: { attempt: 1 } }] };
    const [a, b] = await twice(() => acts.printCardAndRecord({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', attempt: 1, at, printed, noStock }));
    expect(a.status).toBe('PRINTED');
    expect(b).toEqual(a);
    expect(await eventTypes(c.registrationNumber)).toEqual(['PRINTED']);
    expect(await caseRow(c.registrationNumber)).toMatchObject({ state_seq: 1, waiting_for: 'PRINT_CONFIRMATION' });
    const jobs = await h.db.selectFrom('print_jobs').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(jobs).toHaveLength(1);
  });

  it('printCardAndRecord with no blank left applies the WAITING_FOR_BLANKS record, or nothing when there is none', async () => {
    const c = await seedCase(h.db, { documentType: 'KIA' });
    const at = Date.now();
    const printed: TransitionRecord = { registrationNumber: c.registrationNumber, seq: 1, at, snapshot: snapshot({ waitingFor: 'PRINT_CONFIRMATION' }), events: [{ type: 'PRINTED', stepKey: 'PRINTING', data: { attempt: 1 } }] };
    const noStock: TransitionRecord = { ...printed, snapshot: snapshot({ waitingFor: 'BLANK_STOCK' }), events: [{ type: 'WAITING_FOR_BLANKS', stepKey: 'PRINTING', data: { attempt: 1 } }] };
    const args = { registrationNumber: c.registrationNumber, documentType: 'KIA' as const, attempt: 1, at, printed };
    expect((await acts.printCardAndRecord({ ...args, noStock })).status).toBe('NO_STOCK');
    expect((await acts.printCardAndRecord({ ...args, noStock: null })).status).toBe('NO_STOCK');
    expect(await eventTypes(c.registrationNumber)).toEqual(['WAITING_FOR_BLANKS']);
    expect(await caseRow(c.registrationNumber)).toMatchObject({ state_seq: 1, waiting_for: 'BLANK_STOCK' });
  });

  it('recordAction writes the receipt row and the transition in one run, twice leaving one of each', async () => {
    const c = await seedCase(h.db);
    const inputId = await saveInput(h.db, c.registrationNumber, 'handover', { receivedBy: 'Penerima', relationship: 'SELF' }, { username: 'kurir1', role: 'ekspedisi' });
    const number = receiptNumberOf(c.registrationNumber);
    const transition: TransitionRecord = {
      registrationNumber: c.registrationNumber,
      seq: 1,
      at: Date.now(),
      snapshot: snapshot({ status: 'COMPLETED', currentStep: 'DONE', receiptNumber: number }),
      events: [{ type: 'DELIVERED', stepKey: 'HANDOVER', data: { receiptNumber: number } }],
    };
    await twice(() => acts.recordAction({ transition, receipt: { registrationNumber: c.registrationNumber, courierUsername: 'kurir1', inputId, deliveredAt: Date.now() } }));
    const receipts = await h.db.selectFrom('receipts').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(receipts.map((r) => r.number)).toEqual([number]);
    expect(await eventTypes(c.registrationNumber)).toEqual(['DELIVERED']);
    expect(await caseRow(c.registrationNumber)).toMatchObject({ status: 'COMPLETED', receipt_number: number });
  });

  it('archiveAndRecord fills the ARCHIVED event with the manifest it wrote; the manifest lists the events before it', async () => {
    const c = await seedCase(h.db);
    await acts.recordTransition({ registrationNumber: c.registrationNumber, seq: 1, at: Date.now(), snapshot: snapshot(), events: [{ type: 'SUBMITTED', stepKey: 'SUBMISSION' }] });
    const transition: TransitionRecord = { registrationNumber: c.registrationNumber, seq: 2, at: Date.now(), snapshot: snapshot({ currentStep: 'DONE', status: 'COMPLETED' }), events: [{ type: 'ARCHIVED', stepKey: 'DONE', actorRole: 'system', data: {} }] };
    const [a, b] = await twice(() => acts.archiveAndRecord({ registrationNumber: c.registrationNumber, at: transition.at, transition }));
    expect(b).toEqual(a);
    const events = await listEvents(h.db, c.registrationNumber);
    expect(events.map((e) => e.type)).toEqual(['SUBMITTED', 'ARCHIVED']);
    expect(bodyOf(events[1]!.data)).toEqual({ manifest: a.path, sha256: a.sha256 });
    expect(a.sha256).toBe(sha256Hex(await h.files.read(a.path)));
    const manifest = JSON.parse((await h.files.read(a.path)).toString()) as { events: Array<{ type: string }> };
    expect(manifest.events.map((e) => e.type)).toEqual(['SUBMITTED']);
  });
});
