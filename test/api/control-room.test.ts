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

describe('per kecamatan and per officer', () => {
  it('groups open overdue steps by kecamatan and finished steps by officer, and names the SLA clock', async () => {
    const day = jakartaDate(Date.now());
    const byDistrict = await call(h.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}&by=district`, { token: h.tokens.kadis });
    expect(byDistrict.status).toBe(200);
    expect(byDistrict.body.clock).toBe('office');
    expect(byDistrict.body.clockName).toBe('Jam kerja kantor');
    const dv = (d: string) => byDistrict.body.groups.find((g: { key: string; group: string }) => g.key === 'DOCUMENT_VERIFICATION' && g.group === d);
    expect(dv('Purwodadi')).toMatchObject({ openOverdue: 2, count: 0, withinStandardShare: 0 });
    expect(dv('Wirosari')).toMatchObject({ openOverdue: 1, count: 0 });
    expect(dv('Godong')).toMatchObject({ openOverdue: 0, count: 2, withinStandardShare: 1 });

    const byOfficer = await call(h.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}&by=officer`, { token: h.tokens.kadis });
    const rows = byOfficer.body.groups.filter((g: { key: string }) => g.key === 'DOCUMENT_VERIFICATION');
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ group: 'operator1', groupLabel: 'Petugas operator (Operator)', count: 2, medianMinutes: 3.5 }),
        expect.objectContaining({ group: 'role:operator', groupLabel: 'Belum diselesaikan (peran Operator)', openOverdue: 3 }),
      ]),
    );
    expect(rows.find((g: { group: string }) => g.group === 'kadis1')).toBeUndefined();
  });

  it('a period that ended before the steps fell due counts none of them as open and overdue', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/reports/sla?from=2026-01-05&to=2026-01-09', { token: h.tokens.kabid });
    expect(res.body.steps.find((s: { key: string }) => s.key === 'DOCUMENT_VERIFICATION')).toMatchObject({ count: 0, openOverdue: 0, withinStandardShare: null });
  });

  it('is refused to the operator (403) and answers an unknown grouping with an Indonesian 400', async () => {
    const day = jakartaDate(Date.now());
    expect((await call(h.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}`, { token: h.tokens.operator })).status).toBe(403);
    const bad = await call(h.baseUrl, 'GET', `/api/reports/sla?from=${day}&to=${day}&by=desa`, { token: h.tokens.kabid });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('Pengelompokan harus');
  });
});

describe('the board and its click-through', () => {
  it('counts open, overdue and escalated cases per step × kecamatan', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/control/board', { token: h.tokens.kadis });
    expect(res.status).toBe(200);
    const cell = (d: string) => res.body.cells.find((c: { step: string; district: string }) => c.step === 'DOCUMENT_VERIFICATION' && c.district === d);
    expect(cell('Purwodadi')).toMatchObject({ open: 2, overdue: 2, escalated: 1 });
    expect(cell('Wirosari')).toMatchObject({ open: 2, overdue: 1, escalated: 0 });
    expect(res.body.districts).toHaveLength(19);
  });

  it('lists the overdue cases of a cell, most late first, with lateness in words on the SLA clock and no personal data', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/control/cases?step=DOCUMENT_VERIFICATION&district=Purwodadi&filter=overdue', { token: h.tokens.kadis });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { registrationNumber: string }) => i.registrationNumber)).toEqual(['BP-20261201-00003', 'BP-20261201-00004']);
    expect(res.body.items[0].lateText).toMatch(/^terlambat /);
    expect(JSON.stringify(res.body)).not.toContain('Dewi Lestari');
  });

  it('pages with a keyset cursor without repeating or skipping a case', async () => {
    const first = await call(h.baseUrl, 'GET', '/api/control/cases?step=DOCUMENT_VERIFICATION&limit=2', { token: h.tokens.kabid });
    expect(first.body.items).toHaveLength(2);
    const second = await call(h.baseUrl, 'GET', `/api/control/cases?step=DOCUMENT_VERIFICATION&limit=2&cursor=${first.body.nextCursor}`, { token: h.tokens.kabid });
    const all = [...first.body.items, ...second.body.items].map((i: { registrationNumber: string }) => i.registrationNumber);
    expect(all).toEqual(['BP-20261201-00003', 'BP-20261201-00004', 'BP-20261201-00005', 'BP-20261201-00006']);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('Eskalasi untuk saya', () => {
  it('shows the kabid the case escalated to level 2 and the badge count 1; the kadis has none', async () => {
    const kabid = await call(h.baseUrl, 'GET', '/api/control/escalations', { token: h.tokens.kabid });
    expect(kabid.status).toBe(200);
    expect(kabid.body.items.map((i: { registrationNumber: string }) => i.registrationNumber)).toEqual(['BP-20261201-00004']);
    expect(kabid.body.items[0]).toMatchObject({ level: 2, escalatedStep: 'DOCUMENT_VERIFICATION' });
    expect((await call(h.baseUrl, 'GET', '/api/control/escalations/count', { token: h.tokens.kabid })).body.count).toBe(1);
    expect((await call(h.baseUrl, 'GET', '/api/control/escalations/count', { token: h.tokens.kadis })).body.count).toBe(0);
  });

  it('drops the escalation once the escalated step run is finished', async () => {
    await h.dbh.db.updateTable('step_runs').set({ completed_at: new Date(), counted_minutes: 25, outcome: 'APPROVED', actor_username: 'operator1' }).where('registration_number', '=', 'BP-20261201-00004').execute();
    expect((await call(h.baseUrl, 'GET', '/api/control/escalations/count', { token: h.tokens.subkoordinator })).body.count).toBe(0);
    expect((await call(h.baseUrl, 'GET', '/api/control/escalations/count', { token: h.tokens.kabid })).body.count).toBe(0);
  });
});
