/**
 * The case workflow on a real dev server: Updates (validators, 409/403 failures, dedup by Update
 * ID), search attributes in visibility, and the Schedules made by ensureSchedules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  ACTION_FORBIDDEN,
  ACTION_REJECTED,
  applicantCancelUpdate,
  approveUpdate,
  caseStateQuery,
  confirmPrintUpdate,
  handoverUpdate,
  resubmitUpdate,
  verifyDocumentsUpdate,
  verifyPrintUpdate,
  type ActionResult,
} from '../../workflows/messages.js';
import { createDevServerEnv } from '../helpers/temporal.js';
import { DAILY_RECAP_SCHEDULE_ID, OVERDUE_DIGEST_SCHEDULE_ID, RETENTION_SCHEDULE_ID, ensureSchedules } from '../../worker/schedules.js';
import { isOfficeDay, jakartaDate, jakartaInstant } from '../../domain/calendar.js';
import type { RequestReason } from '../../domain/sop.js';
import type { CasePolicy } from '../../domain/policy.js';
import {
  addBlanks,
  caseInput,
  createHarness,
  eventually,
  recordHistory,
  saveInput,
  seedAllStaff,
  seedCase,
  staff,
  startCase,
  startWorker,
  testPolicy,
  waitForState,
  type Harness,
} from './support.js';

let env: TestWorkflowEnvironment;
let h: Harness;
let w: { stop(): Promise<void> };
const TQ = 'becak-pintar-devserver-test';

beforeAll(async () => {
  env = await createDevServerEnv();
  h = await createHarness();
  await seedAllStaff(h.db);
  w = await startWorker(h, env.nativeConnection, env.namespace ?? 'default', TQ);
});
afterAll(async () => {
  await w?.stop();
  await env?.teardown();
  await h?.close();
});

async function start(o: { reason?: RequestReason; policy?: CasePolicy } = {}) {
  const c = await seedCase(h.db, { reason: o.reason });
  const handle = await startCase(env.client, caseInput(c, o.policy ?? testPolicy()), TQ);
  await waitForState(handle, (s) => s.seq >= 1, 'started');
  return { handle, reg: c.registrationNumber };
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const e = await p.then(
    () => {
      throw new Error('expected the Update to fail');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (e as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const decision = async (reg: string, actor: (typeof staff)[keyof typeof staff], d: 'approve' | 'reject' = 'approve', reason?: string) => ({
  actor,
  inputId: await saveInput(h.db, reg, 'decision', { decision: d, ...(reason ? { reason } : {}) }, actor),
  decision: d,
});

describe('staff actions as Updates', () => {
  it('refuses an action of another step with ActionRejected and an Indonesian message, without changing the case', async () => {
    const { handle, reg } = await start();
    const f = await failureOf(handle.executeUpdate(verifyPrintUpdate, { args: [await decision(reg, staff.subkoordinator)] }));
    expect(f.type).toBe(ACTION_REJECTED);
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain('hanya dapat dilakukan pada langkah');
    expect(f.message).toContain('Verifikasi dokumen persyaratan');
    const f2 = await failureOf(handle.executeUpdate(confirmPrintUpdate, { args: [{ actor: staff.operator, inputId: await saveInput(h.db, reg, 'confirm-print', { result: 'ok' }), result: 'ok' }] }));
    expect(f2.type).toBe(ACTION_REJECTED);
    const s = await handle.query(caseStateQuery);
    expect(s).toMatchObject({ currentStep: 'DOCUMENT_VERIFICATION', seq: 1, status: 'IN_PROGRESS' });
    await handle.terminate();
  });

  it('refuses a role not allowed for the action with ActionForbidden', async () => {
    const { handle, reg } = await start();
    const f = await failureOf(handle.executeUpdate(verifyDocumentsUpdate, { args: [await decision(reg, staff.kabid)] }));
    expect(f.type).toBe(ACTION_FORBIDDEN);
    expect(f.message).toContain('tidak berwenang');
    const f2 = await failureOf(handle.executeUpdate(verifyDocumentsUpdate, { args: [await decision(reg, staff.admin)] }));
    expect(f2.type).toBe(ACTION_FORBIDDEN);
    await handle.terminate();
  });

  it('answers after the transition with the new step, and a repeated Update ID or inputId changes nothing twice', async () => {
    const { handle, reg } = await start();
    const args = await decision(reg, staff.operator);
    const r1 = await handle.executeUpdate(verifyDocumentsUpdate, { args: [args], updateId: 'verify-documents:1:abc' });
    expect(r1).toEqual({ registrationNumber: reg, status: 'IN_PROGRESS', currentStep: 'PRINT_VERIFICATION' });
    const seqAfter = (await handle.query(caseStateQuery)).seq;
    // Same Update ID: Temporal answers from the first execution.
    const r2 = await handle.executeUpdate(verifyDocumentsUpdate, { args: [args], updateId: 'verify-documents:1:abc' });
    expect(r2).toEqual(r1);
    // Same inputId under another Update ID (a client retry after a reload): no second transition.
    const r3 = await handle.executeUpdate(verifyDocumentsUpdate, { args: [args], updateId: 'verify-documents:1:other' });
    expect(r3.currentStep).toBe('PRINT_VERIFICATION');
    expect((await handle.query(caseStateQuery)).seq).toBe(seqAfter);
    const approvals = await eventually(
      () => h.db.selectFrom('case_events').select('type').where('registration_number', '=', reg).where('type', '=', 'APPROVED').execute(),
      (rows) => rows.length >= 1,
      'approval event',
    );
    expect(approvals).toHaveLength(1);
    await handle.terminate();
  });

  it('handover needs oldCardCollected for a DAMAGED card; the full path by Updates completes the case', async () => {
    await addBlanks(h.db, 'KTP_EL', 1);
    const { handle, reg } = await start({ reason: 'DAMAGED' });
    await handle.executeUpdate(verifyDocumentsUpdate, { args: [await decision(reg, staff.operator)] });
    await handle.executeUpdate(verifyPrintUpdate, { args: [await decision(reg, staff.subkoordinator)] });
    const afterApproval = await handle.executeUpdate(approveUpdate, { args: [await decision(reg, staff.kabid)] });
    expect(afterApproval.currentStep).toBe('PRINTING');
    await waitForState(handle, (s) => s.waitingFor === 'PRINT_CONFIRMATION', 'printed');
    const confirmed = await handle.executeUpdate(confirmPrintUpdate, { args: [{ actor: staff.operator, inputId: await saveInput(h.db, reg, 'confirm-print', { result: 'ok' }), result: 'ok' }] });
    expect(confirmed.currentStep).toBe('COURIER_NOTICE');
    await waitForState(handle, (s) => s.waitingFor === 'COURIER', 'handover');
    const body = { receivedBy: 'Penerima', relationship: 'SELF' };
    const missing = await failureOf(
      handle.executeUpdate(handoverUpdate, { args: [{ actor: staff.ekspedisi, inputId: await saveInput(h.db, reg, 'handover', body), relationship: 'SELF', oldCardCollected: null }] }),
    );
    expect(missing.type).toBe(ACTION_REJECTED);
    expect(missing.message).toContain('kartu lama ditarik');
    const done = await handle.executeUpdate(handoverUpdate, {
      args: [{ actor: staff.ekspedisi, inputId: await saveInput(h.db, reg, 'handover', { ...body, oldCardCollected: false }), relationship: 'SELF', oldCardCollected: false }],
    });
    expect(done).toEqual({ registrationNumber: reg, status: 'COMPLETED', currentStep: 'DONE' });
    expect(((await handle.result()) as ActionResult).status).toBe('COMPLETED');
    await recordHistory(handle, 'updates-full-path');
  });

  it('the applicant cancels while awaiting resubmission; a resubmission afterwards is refused', async () => {
    const { handle, reg } = await start();
    const rejected = await handle.executeUpdate(verifyDocumentsUpdate, { args: [await decision(reg, staff.operator, 'reject', 'Dokumen KK tidak sesuai data')] });
    expect(rejected.status).toBe('AWAITING_RESUBMISSION');
    const cancelled = await handle.executeUpdate(applicantCancelUpdate, { args: [{ inputId: await saveInput(h.db, reg, 'applicant-cancel', { reason: 'Tidak jadi mengajukan' }) }] });
    expect(cancelled.status).toBe('CANCELLED');
    expect(((await handle.result()) as ActionResult).status).toBe('CANCELLED');
    const row = await eventually(() => h.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow(), (r) => r.status === 'CANCELLED', 'row');
    expect(row.closed_at).not.toBeNull();
    await expect(handle.executeUpdate(resubmitUpdate, { args: [{ inputId: 'late' }] })).rejects.toThrow();
    await recordHistory(handle, 'applicant-cancel');
  });
});

describe('search attributes and visibility', () => {
  it('lists an overdue case with BecakOverdue = true AND BecakStep = "DOCUMENT_VERIFICATION"', async () => {
    const { handle, reg } = await start({ policy: testPolicy({ minutes: { DOCUMENT_VERIFICATION: 0.02 } }) });
    await waitForState(handle, (s) => s.escalationLevel >= 1, 'overdue', 30_000);
    const query = `BecakOverdue = true AND BecakStep = "DOCUMENT_VERIFICATION" AND WorkflowId = "${reg}"`;
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.includes(reg),
      'visibility',
      30_000,
    );
    expect(found).toEqual([reg]);
    const d = await handle.describe();
    expect(d.typedSearchAttributes.get({ name: 'BecakDistrict', type: 'KEYWORD' } as never)).toBe('Purwodadi');
    expect(await handle.query(caseStateQuery)).toMatchObject({ currentStep: 'DOCUMENT_VERIFICATION' });
    const details = await d.staticDetails();
    expect(await d.staticSummary()).toContain(reg);
    expect(details).toContain('Kecamatan: Purwodadi');
    await handle.terminate();
  });
});

describe('schedules', () => {
  it('ensureSchedules creates the digest and recap schedules in Asia/Jakarta and is idempotent', async () => {
    await ensureSchedules(env.client, h.config, TQ);
    await ensureSchedules(env.client, h.config, TQ);
    const digest = await env.client.schedule.getHandle(OVERDUE_DIGEST_SCHEDULE_ID).describe();
    const recap = await env.client.schedule.getHandle(DAILY_RECAP_SCHEDULE_ID).describe();
    expect(digest.spec.timezone).toBe('Asia/Jakarta');
    expect(recap.spec.timezone).toBe('Asia/Jakarta');
    expect(digest.action).toMatchObject({ type: 'startWorkflow', workflowType: 'overdueDigestWorkflow', taskQueue: TQ });
    expect(recap.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyRecapWorkflow', taskQueue: TQ });
    expect(recap.spec.calendars).toHaveLength(1);
    expect(recap.spec.calendars![0]).toMatchObject({ hour: [{ start: 0, end: 0 }], minute: [{ start: 5, end: 5 }] });
    const ids: string[] = [];
    for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
    expect(ids.filter((id) => id.startsWith('becak-pintar-')).sort()).toEqual([DAILY_RECAP_SCHEDULE_ID, OVERDUE_DIGEST_SCHEDULE_ID, RETENTION_SCHEDULE_ID]);
  });

  it('the daily recap workflow closes the previous day (an office day always; a weekend or holiday only if something was printed)', async () => {
    const today = jakartaDate(Date.now());
    const yesterday = jakartaDate(jakartaInstant(today) - 12 * 60 * 60 * 1000);
    const r = (await env.client.workflow.execute('dailyRecapWorkflow', { taskQueue: TQ, workflowId: `recap-test-${Date.now()}`, args: [{ holidays: [] }] })) as { skipped: boolean; date: string };
    expect(r.date).toBe(yesterday);
    if (isOfficeDay(yesterday, [])) expect(r.skipped).toBe(false);
    const row = await h.db.selectFrom('daily_recaps').selectAll().where('date', '=', yesterday).executeTakeFirst();
    expect(row !== undefined).toBe(!r.skipped);
    if (row) expect(row.closed_at).not.toBeNull();
  });
});
