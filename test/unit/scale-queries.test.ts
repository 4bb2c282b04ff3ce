/**
 * The queries made fast for years of cases (issue #16 item 4) stay correct: the SLA report's
 * per-step figures from the rollups equal the control room's query over every run (counts, shares,
 * late, whole-minute median and p90, open overdue at the period's end) on generated runs, including
 * cancellations, runs completed today, runs completed after a period ended while overdue, and a
 * completion that lands in an already cached closed range; keyset pages by row-value comparison
 * visit every case exactly once; a registration-number prefix matches literally (escaped
 * wildcards) and, for a year or month, as a submission-date range; a name search through the infix
 * index finds exactly the names that contain the query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import { listCases, searchCases, submissionRangeOfPrefix } from '../../db/repositories/cases.js';
import { histogramPercentiles, rollupSegments, stepSlaSummary } from '../../db/repositories/reports.js';
import { slaGroups } from '../../api/control/service.js';
import type { StepKey } from '../../domain/sop.js';
import { nameSearchKeys, normalizeForSearch } from '../../domain/search.js';
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
const MIN = 60_000;

/** Deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Both answers for Jakarta days [fromDay, toDay] as of `now`, per step, without the group column. */
async function both(fromDay: string, toDay: string, now: Date) {
  const from = new Date(`${fromDay}T00:00:00+07:00`);
  const to = new Date(Date.parse(`${toDay}T00:00:00+07:00`) + 86_400_000);
  const raw = await slaGroups(h.db, { from, to, now, by: 'step' });
  const rollup = await stepSlaSummary(h.db, fromDay, toDay, now);
  const norm = (rows: Array<{ stepKey: StepKey; count: number; withStandard: number; withinStandard: number; completedLate: number; medianMinutes: number | null; p90Minutes: number | null; openOverdue: number }>) =>
    Object.fromEntries(
      rows
        .map((r) => [r.stepKey, { count: r.count, withStandard: r.withStandard, withinStandard: r.withinStandard, completedLate: r.completedLate, medianMinutes: r.medianMinutes, p90Minutes: r.p90Minutes, openOverdue: r.openOverdue }] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  return { raw: norm(raw), rollup: norm(rollup) };
}

describe('SLA report from the rollups', () => {
  it('splits a range into whole months and the loose days around them', () => {
    expect(rollupSegments('2026-01-15', '2026-04-10')).toEqual({ months: ['2026-02-01', '2026-04-01'], days: [['2026-01-15', '2026-02-01'], ['2026-04-01', '2026-04-11']] });
    expect(rollupSegments('2026-03-01', '2026-03-31')).toEqual({ months: ['2026-03-01', '2026-04-01'], days: [] });
    expect(rollupSegments('2026-03-02', '2026-03-30')).toEqual({ months: null, days: [['2026-03-02', '2026-03-31']] });
  });

  it('takes percentiles from a histogram as percentile_cont(0.5) and percentile_disc(0.9) do', () => {
    expect(histogramPercentiles([])).toEqual({ median: null, p90: null });
    expect(histogramPercentiles([[7, 1]])).toEqual({ median: 7, p90: 7 });
    // 1, 2, 3, 4 → median 2.5; p90: rank ceil(3.6) = 4.
    expect(histogramPercentiles([[1, 1], [2, 1], [3, 1], [4, 1]])).toEqual({ median: 2.5, p90: 4 });
    // 10 runs: p90 is rank 9 (the first value whose cumulative share reaches 0.9); 11 runs: rank 10.
    expect(histogramPercentiles([[1, 9], [9, 1]])).toEqual({ median: 1, p90: 1 });
    expect(histogramPercentiles([[1, 9], [9, 2]])).toEqual({ median: 1, p90: 9 });
    expect(histogramPercentiles([[2, 2], [5, 2]])).toEqual({ median: 3.5, p90: 5 });
  });

  it('equals the query over every run on generated runs: months, loose days, today, past period ends, cancellations, a completion in a cached range, and open runs moved or deleted', async () => {
    const db = h.db;
    const now = at('2026-03-20T05:00:00Z'); // 12:00 WIB on 20 March 2026
    const rand = rng(20261204);
    const steps: Array<[StepKey, number | null]> = [['DOCUMENT_VERIFICATION', 5], ['PRINT_VERIFICATION', 1], ['APPROVAL', 1], ['HANDOVER', null]];
    const start = Date.parse('2026-01-01T00:00:00+07:00');
    const span = now.getTime() - start;
    let serial = 0;
    const rows = [];
    for (let i = 0; i < 160; i++) {
      const reg = `BP-20260101-${String(++serial).padStart(5, '0')}`;
      await insertTestCase(db, { registration_number: reg, subject_nik: `3315010190${String(100000 + serial)}`, status: 'COMPLETED', current_step: 'DONE' });
      for (let k = 0; k < steps.length; k++) {
        const [step, std] = steps[k]!;
        const started = new Date(start + Math.floor(rand() * span));
        const minutes = Math.round(rand() * (k === 3 ? 3000 : 40) * 100) / 100;
        const completed = new Date(started.getTime() + minutes * MIN * (1 + rand()));
        const open = rand() < 0.12 || completed.getTime() > now.getTime();
        const outcome = open ? null : rand() < 0.08 ? 'CANCELLED' : 'DONE';
        rows.push({
          registration_number: reg,
          step_key: step,
          seq: 2 + k,
          role: 'operator' as const,
          standard_minutes: std,
          started_at: started,
          due_at: std === null ? null : new Date(started.getTime() + std * MIN * 3),
          completed_at: open ? null : completed,
          counted_minutes: open ? null : minutes,
          outcome,
          actor_username: null,
        });
      }
    }
    // Half inserted completed (the trigger on insert), half completed by an UPDATE as the read model does.
    for (const [i, r] of rows.entries()) {
      if (i % 2 === 0 || r.completed_at === null) {
        await db.insertInto('step_runs').values(r).execute();
      } else {
        await db.insertInto('step_runs').values({ ...r, completed_at: null, counted_minutes: null, outcome: null }).execute();
        await db.updateTable('step_runs').set({ completed_at: r.completed_at, counted_minutes: r.counted_minutes, outcome: r.outcome }).where('registration_number', '=', r.registration_number).where('seq', '=', r.seq).execute();
      }
    }
    const check = async (fromDay: string, toDay: string, n = now) => {
      const { raw, rollup } = await both(fromDay, toDay, n);
      expect(rollup, `${fromDay}..${toDay}`).toEqual(raw);
      return rollup;
    };
    const whole = await check('2026-01-01', '2026-03-20'); // whole months + days through today
    expect(Object.values(whole).reduce((a, r) => a + r.count, 0)).toBeGreaterThan(300);
    expect(Object.values(whole).reduce((a, r) => a + r.openOverdue, 0)).toBeGreaterThan(10);
    expect(whole.DOCUMENT_VERIFICATION!.medianMinutes).not.toBeNull();
    const feb = await check('2026-02-01', '2026-02-28'); // a past month: open overdue at its end includes runs completed later
    expect(feb.HANDOVER?.openOverdue ?? 0).toBe(0); // no standard, never overdue
    await check('2026-01-15', '2026-02-10'); // loose days only
    await check('2026-03-20', '2026-03-20'); // today only
    await check('2026-03-01', '2026-03-31'); // a month that has not ended
    await check('2026-01-10', '2026-01-10'); // one past day
    // The runs a cancellation ended are out of both.
    const cancelled = await sql<{ n: number }>`select count(*)::int as n from step_runs where outcome = 'CANCELLED'`.execute(db);
    expect(cancelled.rows[0]!.n).toBeGreaterThan(0);

    // A run completing now (today) and a late completion stamped on a closed day of a range just
    // answered (cached): both show in the next answer.
    const before = await check('2026-01-01', '2026-03-20');
    const openRuns = await db.selectFrom('step_runs').select(['registration_number', 'seq', 'step_key']).where('completed_at', 'is', null).where('step_key', '=', 'DOCUMENT_VERIFICATION').limit(2).execute();
    expect(openRuns).toHaveLength(2);
    await db.updateTable('step_runs').set({ completed_at: at('2026-03-20T04:59:00Z'), counted_minutes: 2.5, outcome: 'DONE' }).where('registration_number', '=', openRuns[0]!.registration_number).where('seq', '=', openRuns[0]!.seq).execute();
    await db.updateTable('step_runs').set({ completed_at: at('2026-02-03T03:00:00Z'), counted_minutes: 44.5, outcome: 'DONE' }).where('registration_number', '=', openRuns[1]!.registration_number).where('seq', '=', openRuns[1]!.seq).execute();
    const after = await check('2026-01-01', '2026-03-20');
    expect(after.DOCUMENT_VERIFICATION!.count).toBe(before.DOCUMENT_VERIFICATION!.count + 2);
    // A retried completion (already completed) counts nothing twice.
    await db.updateTable('step_runs').set({ outcome: 'DONE' }).where('registration_number', '=', openRuns[0]!.registration_number).where('seq', '=', openRuns[0]!.seq).execute();
    expect((await check('2026-01-01', '2026-03-20')).DOCUMENT_VERIFICATION!.count).toBe(after.DOCUMENT_VERIFICATION!.count);
    // Open runs leave the open-due counts when completed, a changed due time moves them, a deleted run leaves.
    const moved = await db.selectFrom('step_runs').select(['id']).where('completed_at', 'is', null).where('due_at', 'is not', null).limit(2).execute();
    await db.updateTable('step_runs').set({ due_at: at('2026-03-20T04:00:00Z') }).where('id', '=', moved[0]!.id).execute();
    await db.deleteFrom('step_runs').where('id', '=', moved[1]!.id).execute();
    await check('2026-01-01', '2026-03-20');
    await check('2026-03-01', '2026-03-19');
    const counted = await sql<{ n: number }>`select (select coalesce(sum(runs), 0) from sla_open_due)::int - (select count(*) from step_runs where completed_at is null and due_at is not null)::int as n`.execute(db);
    expect(counted.rows[0]!.n).toBe(0);
    // The same ranges a day later (today moved on, yesterday now closed and cached).
    await check('2026-01-01', '2026-03-21', at('2026-03-21T05:00:00Z'));
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

  it('reads a registration prefix of 4-7 date digits as a range of Jakarta submission days', async () => {
    expect(submissionRangeOfPrefix('BP-2025')).toEqual({ from: at('2024-12-31T17:00:00Z'), to: at('2025-12-31T17:00:00Z') });
    expect(submissionRangeOfPrefix('BP-202502')).toEqual({ from: at('2025-01-31T17:00:00Z'), to: at('2025-02-28T17:00:00Z') });
    expect(submissionRangeOfPrefix('BP-2025022')).toEqual({ from: at('2025-02-19T17:00:00Z'), to: at('2025-02-28T17:00:00Z') });
    expect(submissionRangeOfPrefix('BP-20251')).toEqual({ from: at('2025-09-30T17:00:00Z'), to: at('2025-12-31T17:00:00Z') });
    expect(submissionRangeOfPrefix('BP-20251231')).toBeNull(); // a whole day: the LIKE alone
    expect(submissionRangeOfPrefix('BP-20251231-0')).toBeNull();
    expect(submissionRangeOfPrefix('BP-20')).toBeNull();
    expect(submissionRangeOfPrefix('BP-9999')).toBeNull();
    // Cases submitted at 23:30 WIB on 31 Dec 2025 (16:30 UTC) and 00:30 WIB on 1 Jan 2026: the year prefix splits them by the Jakarta date.
    const db = h.db;
    await insertTestCase(db, { registration_number: 'BP-20251231-00001', subject_nik: '3315010190400001', submitted_at: at('2025-12-31T16:30:00Z') });
    await insertTestCase(db, { registration_number: 'BP-20260101-90001', subject_nik: '3315010190400002', submitted_at: at('2025-12-31T17:30:00Z') });
    expect((await listCases(db, { q: 'BP-2025', limit: 50 })).map((r) => r.registration_number)).toEqual(['BP-20251231-00001']);
    expect((await searchCases(db, { kind: 'registration', prefix: 'BP-2025' }, 50)).map((r) => r.registration_number)).toEqual(['BP-20251231-00001']);
    expect((await listCases(db, { q: 'BP-202601', limit: 500 })).map((r) => r.registration_number)).toContain('BP-20260101-90001');
  });
});

describe('name search through the infix index', () => {
  it('keys a query by its inner words and by its edge words of three or more letters', () => {
    expect(nameSearchKeys('siti rahayu')).toEqual(['siti', 'rahayu']);
    expect(nameSearchKeys('i al ra')).toEqual(['al']);
    expect(nameSearchKeys('ab c')).toEqual([]);
    expect(nameSearchKeys('ayu')).toEqual(['ayu']);
  });

  it('finds exactly the cases whose normalised subject or contact name contains the query, by index or by scan', async () => {
    const db = h.db;
    const fixed = ['Nursiti Rahayuningsih', 'Siti Rahayu', 'Siti Al Rahayu', 'Ab Cd Ef', 'Ni Luh Ayu Kadek', "Muhammad Al-Fatih", 'Ayu', 'Bartholomeus Tjokro'];
    const syllables = ['si', 'ti', 'ra', 'ha', 'yu', 'nur', 'a', 'in', 'di', 'an', 'to', 'wi', 'ja', 'ya', 'ko', 'ma'];
    const rand = rng(16);
    const word = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
    const generated = Array.from({ length: 60 }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join(' '));
    const names = [...fixed, ...generated];
    for (let i = 0; i < names.length; i++) {
      await insertTestCase(db, {
        registration_number: `BP-20260702-${String(i + 1).padStart(5, '0')}`,
        subject_nik: `33150101910${String(40000 + i)}`,
        subject_name: names[i]!,
        contact_name: names[(i * 7 + 3) % names.length]!,
        submitted_at: new Date(Date.UTC(2026, 6, 2, 1, i)),
      });
    }
    const all = await db.selectFrom('cases').select(['registration_number', 'subject_name_search', 'contact_name_search']).execute();
    const queries = new Set(['siti rahayu', 'siti', 'iti rah', 'i al ra', 'ayu', 'ab c', 'b cd e', 'al fatih', 'yu ka', 'tholome']);
    for (const n of names) {
      const s = normalizeForSearch(n);
      for (let k = 0; k < 3; k++) {
        const from = Math.floor(rand() * s.length);
        const q = s.slice(from, from + 3 + Math.floor(rand() * 8)).trim();
        if (q.length >= 3 && !q.includes('  ')) queries.add(q);
      }
    }
    const expected = (q: string) => all.filter((r) => (r.subject_name_search ?? '').includes(q) || (r.contact_name_search ?? '').includes(q)).map((r) => r.registration_number).sort();
    const found = async (d: typeof db, q: string) => (await searchCases(d, { kind: 'name', normalized: q }, 10_000)).map((r) => r.registration_number).sort();
    expect(queries.size).toBeGreaterThan(100);
    for (const q of queries) expect(await found(db, q), q).toEqual(expected(q));
    // The same with sequential scans off, so the GIN expression indexes answer.
    await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select registration_number from cases where name_infixes(subject_name_search) @> ${sql.val(['siti', 'rahayu'])}::text[]`.execute(trx);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('cases_subject_name_infix');
      for (const q of queries) expect(await found(trx as unknown as typeof db, q), q).toEqual(expected(q));
    });
  });
});
