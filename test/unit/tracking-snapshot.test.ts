/**
 * The tracking poll's one statement (`trackingSnapshot`, issue #17) answers exactly what the
 * separate queries answered: the same tracking view (steps from the latest run of each step,
 * receipt), the same access log (latest 200 reads, oldest first), and the attempt counters peeked
 * within their window without counting; by registration number and by tracking-token hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import { TRACKING_CASE_COLUMNS, hitCounter, insertTrackingToken, peekCounter, trackingSnapshot } from '../../db/repositories/tracking.js';
import { appendAccessLog } from '../../db/repositories/access-log.js';
import { trackingView, trackingViewFromSnapshot } from '../../api/case-view.js';
import { dataAccessFor, dataAccessItems } from '../../api/access/data-access.js';
import { standardMinutesTable } from '../../domain/sop.js';
import { createTestDatabase } from '../helpers/db.js';
import { insertTestCase } from '../helpers/cases.js';
import { findCase } from '../../db/repositories/cases.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const HOUR = 3600_000;
const STANDARD = standardMinutesTable();
const REG = 'BP-20261201-00001';
const NIK = '3315015505900001';

describe('trackingSnapshot', () => {
  beforeAll(async () => {
    const db = h.db;
    const t0 = Date.parse('2026-12-01T01:00:00.123Z');
    await insertTestCase(db, {
      registration_number: REG,
      subject_nik: NIK,
      status: 'IN_PROGRESS',
      current_step: 'HANDOVER',
      waiting_for: 'COURIER',
      receipt_number: 'TT-0001',
      submitted_at: new Date(t0),
      step_started_at: new Date(t0 + 5 * HOUR),
      step_due_at: new Date(t0 + 30 * HOUR),
    });
    // Two runs of document verification (a rejection and a resubmission): the view shows the latest.
    const runs = [
      { step_key: 'DOCUMENT_VERIFICATION', seq: 1, role: 'operator', started_at: t0, due_at: t0 + 2 * HOUR, completed_at: t0 + HOUR, counted_minutes: 60, outcome: 'rejected', overdue: false },
      { step_key: 'DOCUMENT_VERIFICATION', seq: 3, role: 'operator', started_at: t0 + 2 * HOUR, due_at: t0 + 4 * HOUR, completed_at: t0 + 3 * HOUR + 456, counted_minutes: 60, outcome: 'approved', overdue: true },
      { step_key: 'PRINT_VERIFICATION', seq: 4, role: 'subkoordinator', started_at: t0 + 3 * HOUR, due_at: null, completed_at: t0 + 4 * HOUR, counted_minutes: null, outcome: 'approved', overdue: false },
      { step_key: 'HANDOVER', seq: 5, role: 'ekspedisi', started_at: t0 + 5 * HOUR, due_at: t0 + 30 * HOUR, completed_at: null, counted_minutes: null, outcome: null, overdue: false },
    ] as const;
    await db
      .insertInto('step_runs')
      .values(
        runs.map((r) => ({
          ...r,
          registration_number: REG,
          standard_minutes: 120,
          started_at: new Date(r.started_at),
          due_at: r.due_at === null ? null : new Date(r.due_at),
          completed_at: r.completed_at === null ? null : new Date(r.completed_at),
          actor_username: null,
        })),
      )
      .execute();
    // 205 reads, two at the same instant: the latest 200 in (at, id) order.
    await appendAccessLog(
      db,
      Array.from({ length: 205 }, (_, i) => ({
        at: new Date(t0 + Math.floor(i / 2) * 1000),
        username: `petugas${i % 3}`,
        role: i % 2 ? ('operator' as const) : ('kabid' as const),
        kind: i % 5 ? ('case' as const) : ('attachment' as const),
        registration_number: REG,
        step_key: i % 7 ? ('DOCUMENT_VERIFICATION' as const) : null,
        detail: null,
        client_address: null,
      })),
    );
    await db
      .insertInto('receipts')
      .values({ number: 'TT-0001', registration_number: REG, courier_username: 'ekspedisi1', received_by: 'Dewi Lestari', relationship: 'SELF', old_card_collected: null, note: null, photo_path: null, delivered_at: new Date(t0 + 29 * HOUR) })
      .execute();
    await insertTrackingToken(db, REG, 'a'.repeat(64), 'sealed');
  });

  it('by number: the same tracking view and access log as the separate queries (latest 200 reads, oldest first; receipt)', async () => {
    const db = h.db;
    const c = (await findCase(db, REG))!;
    const before = { ...(await trackingView(db, c, STANDARD)), dataAccess: await dataAccessFor(db, REG) };
    const snap = await trackingSnapshot(db, { registrationNumber: REG }, [], HOUR, Date.now());
    // The case's tracking columns, timestamps as ISO strings (JSON).
    const asJson = (v: unknown) => (v instanceof Date ? v.getTime() : v);
    expect(Object.fromEntries(TRACKING_CASE_COLUMNS.map((k) => [k, asJson(snap.case![k] && String(k).endsWith('_at') ? new Date(snap.case![k] as string) : snap.case![k])]))).toEqual(
      Object.fromEntries(TRACKING_CASE_COLUMNS.map((k) => [k, asJson(c[k])])),
    );
    expect(snap.access).toHaveLength(200);
    const after = { ...(await trackingViewFromSnapshot(db, snap.case!, snap.runs, snap.receipt, STANDARD)), dataAccess: dataAccessItems(snap.access) };
    expect(after).toEqual(before);
    expect(after.receipt?.number).toBe('TT-0001');
    expect(after.steps.find((s) => s.key === 'DOCUMENT_VERIFICATION')).toMatchObject({ state: 'done', overdue: true, completedAt: new Date(Date.parse('2026-12-01T01:00:00.123Z') + 3 * HOUR + 456).toISOString() });
  });

  it('by token hash: the same case and rows; an unknown hash or number finds no case', async () => {
    const db = h.db;
    const byNumber = await trackingSnapshot(db, { registrationNumber: REG }, [], HOUR, Date.now());
    const byToken = await trackingSnapshot(db, { tokenHash: 'a'.repeat(64) }, [], HOUR, Date.now());
    expect(byToken).toEqual(byNumber);
    expect((await trackingSnapshot(db, { tokenHash: 'b'.repeat(64) }, [], HOUR, Date.now())).case).toBeNull();
    const unknown = await trackingSnapshot(db, { registrationNumber: 'BP-20261201-09999' }, [], HOUR, Date.now());
    expect(unknown).toEqual({ case: null, counters: [], runs: [], access: [], receipt: null });
  });

  it('peeks the counters as peekCounter does (current window only, absent = 0) without counting, also when the case is unknown', async () => {
    const db = h.db;
    const now = Date.now();
    for (let i = 0; i < 3; i++) await hitCounter(db, 'snap:current', HOUR, now - 10_000);
    await hitCounter(db, 'snap:expired', HOUR, now - 2 * HOUR);
    const keys = ['snap:current', 'snap:expired', 'snap:absent'];
    const snap = await trackingSnapshot(db, { registrationNumber: 'BP-20261201-09999' }, keys, HOUR, now);
    expect(snap.case).toBeNull();
    expect(snap.counters).toEqual([3, 0, 0]);
    expect(await Promise.all(keys.map((k) => peekCounter(db, k, HOUR, now)))).toEqual([3, 0, 0]);
    expect((await trackingSnapshot(db, { registrationNumber: REG }, keys, HOUR, now)).counters).toEqual([3, 0, 0]);
  });
});
