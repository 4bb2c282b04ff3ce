/**
 * The queries made fast for years of cases (issue #16 item 4) stay correct: the SLA figures from
 * the rollups equal those computed from every run (counts, shares, whole-minute median and p90),
 * include the open overdue runs and follow a completion in the same transaction (trigger); keyset
 * pages by row-value comparison visit every case exactly once; a registration-number prefix
 * matches literally (escaped wildcards).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import { listCases, searchCases } from '../../db/repositories/cases.js';
import { median, percentile, rollupSegments, stepSlaSummary } from '../../db/repositories/reports.js';
import { createTestDatabase } from '../helpers/db.js';
import { insertTestCase } from '../helpers/cases.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const at = (iso: string) => new Date(iso);

describe('SLA rollups', () => {
  it('splits a range into whole months and the loose days around them', () => {
    expect(rollupSegments('2026-01-15', '2026-04-10')).toEqual({ months: ['2026-02-01', '2026-04-01'], days: [['2026-01-15', '2026-02-01'], ['2026-04-01', '2026-04-11']] });
    expect(rollupSegments('2026-03-01', '2026-03-31')).toEqual({ months: ['2026-03-01', '2026-04-01'], days: [] });
    expect(rollupSegments('2026-03-02', '2026-03-30')).toEqual({ months: null, days: [['2026-03-02', '2026-03-31']] });
  });

  it('reports from the rollups what every run gives (whole minutes), counts open overdue runs, and follows a completion at once', async () => {
    const db = h.db;
    // 40 cases across two months; DOCUMENT_VERIFICATION runs with minutes 0.5, 1.7, … completed
    // on Jakarta days in January and February 2026 (one completes at 23:30 WIB = 16:30 UTC on Jan 31).
    const minutes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const reg = `BP-20260110-${String(i + 1).padStart(5, '0')}`;
      await insertTestCase(db, { registration_number: reg, subject_nik: `33150101900${String(10000 + i)}`, status: 'COMPLETED', current_step: 'DONE' });
      const m = i * 1.7 + 0.5;
      const completed = i === 0 ? at('2026-01-31T16:30:00Z') : new Date(Date.UTC(2026, 0, 10 + i, 3, 0));
      await db.insertInto('step_runs').values({ registration_number: reg, step_key: 'DOCUMENT_VERIFICATION', seq: 2, role: 'operator', standard_minutes: 10, started_at: new Date(completed.getTime() - m * 60_000), due_at: null, completed_at: null, counted_minutes: null, outcome: null, actor_username: null }).execute();
      // Completed by an UPDATE, as the read model does.
      await db.updateTable('step_runs').set({ completed_at: completed, counted_minutes: m, outcome: 'DONE' }).where('registration_number', '=', reg).execute();
      minutes.push(m);
    }
    // Two open runs past due, one not yet due.
    const now = at('2026-03-15T03:00:00Z');
    for (const [i, due] of [[50, '2026-03-14T03:00:00Z'], [51, '2026-03-01T03:00:00Z'], [52, '2026-03-16T03:00:00Z']] as const) {
      const reg = `BP-20260301-${String(i).padStart(5, '0')}`;
      await insertTestCase(db, { registration_number: reg, subject_nik: `33150101900${String(20000 + i)}` });
      await db.insertInto('step_runs').values({ registration_number: reg, step_key: 'PRINT_VERIFICATION', seq: 3, role: 'subkoordinator', standard_minutes: 1, started_at: at('2026-03-01T01:00:00Z'), due_at: at(due), completed_at: null, counted_minutes: null, outcome: null, actor_username: null }).execute();
    }

    // Jan 31 23:30 WIB belongs to January; the whole range: months Jan+Feb from the monthly rollup.
    const expectFor = (ms: number[]) => {
      const whole = ms.map(Math.floor).sort((a, b) => a - b);
      return { count: ms.length, medianMinutes: median(whole), p90Minutes: percentile(whole, 90), withinStandard: ms.filter((m) => m <= 10).length, withStandard: ms.length };
    };
    const all = await stepSlaSummary(db, '2026-01-01', '2026-03-31', now);
    const dv = all.find((s) => s.stepKey === 'DOCUMENT_VERIFICATION')!;
    expect(dv).toMatchObject({ ...expectFor(minutes), openOverdue: 0 });
    expect(all.find((s) => s.stepKey === 'PRINT_VERIFICATION')).toMatchObject({ count: 0, openOverdue: 2 });

    // Loose days only (daily rollup): January 20 – February 5.
    const inRange = minutes.filter((_, i) => i === 0 || (10 + i >= 20 && 10 + i <= 36)); // i = 0: Jan 31
    const part = await stepSlaSummary(db, '2026-01-20', '2026-02-05', now);
    expect(part.find((s) => s.stepKey === 'DOCUMENT_VERIFICATION')).toMatchObject(expectFor(inRange));
    // January alone holds the run completed at 23:30 WIB on the 31st (UTC: still the 31st, 16:30).
    const jan = await stepSlaSummary(db, '2026-01-01', '2026-01-31', now);
    expect(jan.find((s) => s.stepKey === 'DOCUMENT_VERIFICATION')!.count).toBe(minutes.filter((_, i) => i === 0 || 10 + i <= 31).length);
    // A range ending before an open run's due time does not count it.
    const early = await stepSlaSummary(db, '2026-01-01', '2026-03-05', now);
    expect(early.find((s) => s.stepKey === 'PRINT_VERIFICATION')!.openOverdue).toBe(1);

    // Completing an open run shows in the next report (the trigger, same transaction).
    await db.updateTable('step_runs').set({ completed_at: at('2026-03-14T04:00:00Z'), counted_minutes: 3.2, outcome: 'DONE' }).where('registration_number', '=', 'BP-20260301-00050').execute();
    const afterDone = await stepSlaSummary(db, '2026-03-01', '2026-03-31', now);
    expect(afterDone.find((s) => s.stepKey === 'PRINT_VERIFICATION')).toMatchObject({ count: 1, medianMinutes: 3, p90Minutes: 3, withinStandard: 0, withStandard: 1, openOverdue: 1 });
    // A retried completion (already completed) counts nothing twice.
    await db.updateTable('step_runs').set({ outcome: 'DONE' }).where('registration_number', '=', 'BP-20260301-00050').execute();
    const rollup = await sql<{ n: number }>`select sum(runs)::int as n from sla_step_daily where step_key = 'PRINT_VERIFICATION'`.execute(db);
    expect(rollup.rows[0]!.n).toBe(1);
  });
});

describe('lists and prefix search', () => {
  it('keyset pages by (submitted_at, registration_number) visit every case once, ties included; a prefix matches literally', async () => {
    const db = h.db;
    const base = Date.UTC(2026, 5, 1, 2, 0);
    for (let i = 0; i < 23; i++) {
      // Pairs share a submission time: the registration number breaks the tie.
      await insertTestCase(db, { registration_number: `BP-20260601-${String(i + 1).padStart(5, '0')}`, subject_nik: `33150101900${String(30000 + i)}`, submitted_at: new Date(base + Math.floor(i / 2) * 60_000), status: 'IN_PROGRESS' });
    }
    const seen: string[] = [];
    let after: { submittedAt: Date; registrationNumber: string } | undefined;
    for (;;) {
      const page = await listCases(db, { q: 'BP-20260601', limit: 5, after });
      seen.push(...page.map((r) => r.registration_number));
      if (page.length < 5) break;
      const last = page[page.length - 1]!;
      after = { submittedAt: new Date(last.submitted_at), registrationNumber: last.registration_number };
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen).toEqual([...seen].sort().reverse());
    // "_" and "%" in a prefix are literal characters, not wildcards.
    expect(await listCases(db, { q: 'BP-2026060_', limit: 50 })).toEqual([]);
    expect((await searchCases(db, { kind: 'registration', prefix: 'BP-20260601-0001' }, 50)).map((r) => r.registration_number).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `BP-20260601-0001${i}`).filter((r) => Number(r.slice(-5)) <= 23).sort(),
    );
  });
});
