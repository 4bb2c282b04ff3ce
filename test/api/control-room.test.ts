/**
 * The supervisors' control room against a seeded read model (no workflow): the SLA report counts
 * steps that are still open and overdue (the dashboard no longer shows 100 % while cases are late),
 * per step, kecamatan and officer, on the named SLA clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { insertTestCase } from '../helpers/cases.js';
import { jakartaDate } from '../../domain/calendar.js';
import type { StepKey } from '../../domain/sop.js';

const noTemporal = { workflow: { getHandle: () => { throw new Error('Temporal must not be called in this test'); } } } as unknown as Client;

let h: ApiHarness;
let nikSerial = 100;
const MIN = 60_000;

/** An open case whose current step run started `startedAgoMin` ago and was due `dueAgoMin` ago. */
async function openCase(reg: string, o: { step?: StepKey; district?: string; dueAgoMin: number; escalationLevel?: number }) {
  const now = Date.now();
  const step = o.step ?? 'DOCUMENT_VERIFICATION';
  const overdue = o.dueAgoMin > 0;
  await insertTestCase(h.dbh.db, {
    registration_number: reg,
    subject_nik: `33150115059${String(++nikSerial).padStart(5, '0')}`,
    current_step: step,
    district: o.district ?? 'Purwodadi',
    step_started_at: new Date(now - (o.dueAgoMin + 5) * MIN),
    step_due_at: new Date(now - o.dueAgoMin * MIN),
  });
  await h.dbh.db.updateTable('cases').set({ overdue, escalation_level: o.escalationLevel ?? 0 }).where('registration_number', '=', reg).execute();
  await h.dbh.db
    .insertInto('step_runs')
    .values({ registration_number: reg, step_key: step, seq: 2, role: 'operator', standard_minutes: 5, started_at: new Date(now - (o.dueAgoMin + 5) * MIN), due_at: new Date(now - o.dueAgoMin * MIN), completed_at: null, counted_minutes: null, outcome: null, actor_username: null, overdue })
    .execute();
  for (let level = 1; level <= (o.escalationLevel ?? 0); level++) {
    const role = (['subkoordinator', 'kabid', 'kadis'] as const)[level - 1]!;
    await h.dbh.db.insertInto('escalations').values({ registration_number: reg, step_key: step, step_seq: 2, level, role, at: new Date(now - (o.dueAgoMin - level) * MIN) }).execute();
  }
}

/** A case whose DOCUMENT_VERIFICATION run completed a moment ago after `minutes` counted minutes. */
async function completedRun(reg: string, o: { minutes: number; actor: string; outcome?: string; district?: string }) {
  const now = Date.now();
  await insertTestCase(h.dbh.db, { registration_number: reg, subject_nik: `33150115059${String(++nikSerial).padStart(5, '0')}`, current_step: 'PRINT_VERIFICATION', district: o.district ?? 'Godong' });
  await h.dbh.db
    .insertInto('step_runs')
    .values({ registration_number: reg, step_key: 'DOCUMENT_VERIFICATION', seq: 2, role: 'operator', standard_minutes: 5, started_at: new Date(now - o.minutes * MIN - 2000), due_at: new Date(now + 60 * MIN), completed_at: new Date(now - 1000), counted_minutes: o.minutes, outcome: o.outcome ?? 'APPROVED', actor_username: o.actor })
    .execute();
}

beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
  // Two steps finished within the standard today, one cancelled run (not the officer's work) …
  await completedRun('BP-20261201-00001', { minutes: 3, actor: 'operator1' });
  await completedRun('BP-20261201-00002', { minutes: 4, actor: 'operator1' });
  await completedRun('BP-20261201-00009', { minutes: 1, actor: 'kadis1', outcome: 'CANCELLED' });
  // … and three cases still open at step 2, overdue now (one escalated to the kabid, level 2).
  await openCase('BP-20261201-00003', { dueAgoMin: 30, district: 'Purwodadi' });
  await openCase('BP-20261201-00004', { dueAgoMin: 20, district: 'Purwodadi', escalationLevel: 2 });
  await openCase('BP-20261201-00005', { dueAgoMin: 10, district: 'Wirosari' });
  // A case at step 2 that is not late yet.
  await openCase('BP-20261201-00006', { dueAgoMin: -30, district: 'Wirosari' });
});
afterAll(async () => {
  await h?.close();
});

describe('the SLA report behind the dashboard', () => {
  it('with 3 overdue open cases does not show 100 % within standard for their step, and counts them as open and overdue', async () => {
    const day = jakartaDate(Date.now());
    const res = await call(h.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}`, { token: h.tokens.kabid });
    expect(res.status).toBe(200);
    const dv = res.body.steps.find((s: { key: string }) => s.key === 'DOCUMENT_VERIFICATION');
    expect(dv.count).toBe(2); // the cancelled run is not a completed verification
    expect(dv.openOverdue).toBe(3);
    // 2 on time out of 2 finished + 3 open and late.
    expect(dv.withinStandardShare).toBe(0.4);
    expect(dv.withinStandardShare).not.toBe(1);
  });
});
