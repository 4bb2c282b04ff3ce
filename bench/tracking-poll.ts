/**
 * `npm run bench:tracking-poll [-- --polls 2000]`: the database side of one tracking poll
 * (POST /api/tracking), CPU per poll of this process, in one process and on one database, so the
 * figure does not depend on the machine's load the way the lifecycle benchmark's does (there, the
 * slower the service, the more it is polled).
 *
 * Compares the five queries a poll used to run (two attempt-counter peeks, the case, its step
 * runs, its access log) with the one statement it runs now (`trackingSnapshot`), on a case as the
 * benchmark's polls see it mid-way (5 step runs, 12 access-log reads, 2,000 other cases around
 * it). PGlite in memory by default; `DATABASE_URL=postgres://…/<empty db>` for PostgreSQL (then
 * the server's CPU is not in the figure: only this process's, the client side).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { findCase } from '../db/repositories/cases.js';
import { peekCounter, trackingSnapshot } from '../db/repositories/tracking.js';
import { appendAccessLog } from '../db/repositories/access-log.js';
import { trackingView, trackingViewFromSnapshot } from '../api/case-view.js';
import { dataAccessFor, dataAccessItems } from '../api/access/data-access.js';
import { standardMinutesTable } from '../domain/sop.js';
import { insertTestCase } from '../test/helpers/cases.js';

const { values } = parseArgs({ options: { polls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } } });
const POLLS = Number(values.polls);
const ROUNDS = Number(values.rounds);
const HOUR = 3600_000;
const STANDARD = standardMinutesTable();

const handle = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, poolMax: 4 } : {});
const db = handle.db;
await migrateToLatest(db);
const regs: string[] = [];
for (let i = 0; i < 2000; i++) {
  const r = `BP-2026${String(1 + (i % 12)).padStart(2, '0')}${String(10 + (i % 18))}-${String(i).padStart(5, '0')}`;
  regs.push(r);
  await insertTestCase(db, { registration_number: r, subject_nik: `33150155059${String(10000 + i)}`, current_step: 'APPROVAL' });
}
const target = regs[1000]!;
const t0 = Date.now() - 4 * HOUR;
await db
  .insertInto('step_runs')
  .values(
    (['DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL'] as const).map((step_key, i) => ({
      registration_number: target,
      step_key,
      seq: i + 1,
      role: 'operator' as const,
      standard_minutes: 120,
      started_at: new Date(t0 + i * HOUR),
      due_at: new Date(t0 + (i + 2) * HOUR),
      completed_at: i < 2 ? new Date(t0 + (i + 1) * HOUR) : null,
      counted_minutes: i < 2 ? 60 : null,
      outcome: i < 2 ? 'approved' : null,
      actor_username: null,
    })),
  )
  .execute();
await appendAccessLog(
  db,
  Array.from({ length: 12 }, (_, i) => ({
    at: new Date(t0 + i * 600_000),
    username: 'petugas',
    role: 'operator' as const,
    kind: 'case' as const,
    registration_number: target,
    step_key: 'DOCUMENT_VERIFICATION' as const,
    detail: null,
    client_address: null,
  })),
);
const keys = [`track-fail:${target}`, 'nik:bench-hmac-of-the-nik'];

async function separate(): Promise<unknown> {
  const now = Date.now();
  await peekCounter(db, keys[0]!, HOUR, now);
  await peekCounter(db, keys[1]!, HOUR, now);
  const c = (await findCase(db, target))!;
  const [view, dataAccess] = await Promise.all([trackingView(db, c, STANDARD), dataAccessFor(db, target)]);
  return { ...view, dataAccess };
}

async function oneStatement(): Promise<unknown> {
  const s = await trackingSnapshot(db, { registrationNumber: target }, keys, HOUR, Date.now());
  return { ...(await trackingViewFromSnapshot(db, s.case!, s.runs, s.receipt, STANDARD)), dataAccess: dataAccessItems(s.access) };
}

if (JSON.stringify(await separate()) !== JSON.stringify(await oneStatement())) throw new Error('the two paths answer differently');

async function measure(fn: () => Promise<unknown>): Promise<{ cpuMsPerPoll: number; wallMsPerPoll: number }> {
  for (let i = 0; i < 50; i++) await fn();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < POLLS; i++) await fn();
  const c = process.cpuUsage(c0);
  return { cpuMsPerPoll: (c.user + c.system) / 1000 / POLLS, wallMsPerPoll: (performance.now() - w0) / POLLS };
}

const out: Record<string, Array<{ cpuMsPerPoll: number; wallMsPerPoll: number }>> = { separate: [], oneStatement: [] };
for (let r = 0; r < ROUNDS; r++) {
  out.separate!.push(await measure(separate));
  out.oneStatement!.push(await measure(oneStatement));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = Object.fromEntries(
  Object.entries(out).map(([k, v]) => [k, { cpuMsPerPoll: +median(v.map((x) => x.cpuMsPerPoll)).toFixed(3), wallMsPerPoll: +median(v.map((x) => x.wallMsPerPoll)).toFixed(3) }]),
);
console.log(JSON.stringify({ database: handle.kind, polls: POLLS, rounds: ROUNDS, ...summary }));
await handle.close();
