/** Tracking tokens (hash + sealed copy) and the DB-backed attempt counters. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CaseRow, Database, StepRunsTable } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertTrackingToken(db: Db, registrationNumber: string, tokenHash: string, sealed: string): Promise<void> {
  await db
    .insertInto('tracking_tokens')
    .values({ registration_number: registrationNumber, token_hash: tokenHash, token_sealed: sealed })
    .onConflict((oc) => oc.column('registration_number').doNothing())
    .execute();
}

export async function trackingTokenRow(db: Db, registrationNumber: string) {
  return (await db.selectFrom('tracking_tokens').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst()) ?? null;
}

/** The case a token hash belongs to (also for an erased case: its hash stays as a tombstone). */
export async function findCaseByTokenHash(db: Db, tokenHash: string): Promise<CaseRow | null> {
  const row = await db.selectFrom('tracking_tokens').select('registration_number').where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row) return null;
  return (await db.selectFrom('cases').selectAll().where('registration_number', '=', row.registration_number).executeTakeFirst()) ?? null;
}

/**
 * One hit on a fixed-window counter: starts a new window when the current one is older than
 * `windowMs`. Atomic (one upsert); returns the count within the window, this hit included.
 */
export async function hitCounter(db: Db, key: string, windowMs: number, nowMs: number): Promise<{ count: number; windowStart: Date }> {
  const now = new Date(nowMs);
  const expired = new Date(nowMs - windowMs);
  const row = await db
    .insertInto('attempt_counters')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        window_start: sql`case when attempt_counters.window_start <= ${expired} then excluded.window_start else attempt_counters.window_start end`,
        count: sql`case when attempt_counters.window_start <= ${expired} then 1 else attempt_counters.count + 1 end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), windowStart: new Date(row.window_start) };
}

/** The count within the current window (0 when none or expired), without counting. */
export async function peekCounter(db: Db, key: string, windowMs: number, nowMs: number): Promise<number> {
  const row = await db.selectFrom('attempt_counters').select(['count', 'window_start']).where('key', '=', key).executeTakeFirst();
  if (!row || new Date(row.window_start).getTime() <= nowMs - windowMs) return 0;
  return Number(row.count);
}

/** Drops counters whose window ended long ago (housekeeping). */
export async function pruneCounters(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('attempt_counters').where('window_start', '<', olderThan).execute();
}

/** The columns of a case a tracking answer needs (timestamps as ISO strings: they arrive in JSON). */
export const TRACKING_CASE_COLUMNS = [
  'registration_number',
  'document_type',
  'status',
  'current_step',
  'waiting_for',
  'subject_nik',
  'submitted_at',
  'step_started_at',
  'step_due_at',
  'overdue',
  'rejection_step',
  'rejection_reason',
  'rejected_at',
  'resubmission_due_at',
  'receipt_number',
  'closed_at',
  'delivery_attempts',
  'personal_data_erased_at',
] as const satisfies ReadonlyArray<keyof CaseRow>;
type TrackingCaseColumn = (typeof TRACKING_CASE_COLUMNS)[number];
type AsJson<T> = T extends Date ? string : T;
export type TrackingCase = { [K in TrackingCaseColumn]: AsJson<CaseRow[K]> };

/** A step run as the tracking view reads it (timestamps as ISO strings). */
export interface TrackingRun {
  step_key: StepRunsTable['step_key'];
  seq: number;
  role: StepRunsTable['role'];
  standard_minutes: number | null;
  started_at: string;
  due_at: string | null;
  completed_at: string | null;
  counted_minutes: number | null;
  outcome: string | null;
  actor_username: string | null;
  overdue: boolean;
}

/** Everything one tracking answer needs, read in one statement (see `trackingSnapshot`). */
export interface TrackingSnapshot {
  /** The case, or null when the number (or token) is unknown. */
  case: TrackingCase | null;
  /** Current counts of the counters asked for (0 when absent or expired), in the order of `counterKeys`. */
  counters: number[];
  runs: TrackingRun[];
  /** The latest 200 access-log rows of the case, oldest first. */
  access: Array<{ role: string; kind: string; at: string; step_key: StepRunsTable['step_key'] | null }>;
  receipt: { number: string; delivered_at: string } | null;
}

/**
 * One tracking poll's reads in ONE statement returning ONE json value: the attempt counters to
 * check (peeked, not counted), the case's tracking columns (by number or by tracking-token hash),
 * its step runs, its access log (latest 200) and its receipt. Citizens and the benchmarks poll
 * tracking every few hundred ms; five round trips per poll, and PGlite decoding 38 columns of the
 * case field by field, were most of the embedded database's CPU (issue #17). The related rows are
 * read whatever the NIK; the caller checks the counters and the NIK before anything leaves the
 * process.
 */
export async function trackingSnapshot(
  db: Db,
  target: { registrationNumber: string } | { tokenHash: string },
  counterKeys: readonly string[],
  windowMs: number,
  nowMs: number,
): Promise<TrackingSnapshot> {
  const expired = new Date(nowMs - windowMs);
  const caseKey =
    'registrationNumber' in target
      ? sql`${target.registrationNumber}`
      : sql`(select t.registration_number from tracking_tokens t where t.token_hash = ${target.tokenHash})`;
  const counters = counterKeys.map((k) => sql`(select coalesce(max(ac.count), 0) from attempt_counters ac where ac.key = ${k} and ac.window_start > ${expired})`);
  const { rows } = await sql<{ snapshot: unknown }>`
    with c as (select ${sql.join(TRACKING_CASE_COLUMNS.map((col) => sql.ref(col)))} from cases where registration_number = ${caseKey})
    select json_build_object(
      'counters', json_build_array(${counters.length > 0 ? sql.join(counters) : sql``}),
      'case', (select row_to_json(c) from c),
      'runs', (select coalesce(json_agg(r order by r.seq), '[]'::json) from (
         select s.step_key, s.seq, s.role, s.standard_minutes, s.started_at, s.due_at, s.completed_at, s.counted_minutes, s.outcome, s.actor_username, s.overdue
         from step_runs s join c on s.registration_number = c.registration_number) r),
      'access', (select coalesce(json_agg(json_build_object('role', a.role, 'kind', a.kind, 'at', a.at, 'step_key', a.step_key) order by a.at, a.id), '[]'::json) from (
         select l.role, l.kind, l.at, l.step_key, l.id from access_log l join c on l.registration_number = c.registration_number
         order by l.at desc, l.id desc limit 200) a),
      'receipt', (select json_build_object('number', rc.number, 'delivered_at', rc.delivered_at) from receipts rc join c on rc.registration_number = c.registration_number)
    ) as snapshot
  `.execute(db);
  const snap = parseJson(rows[0]?.snapshot) as TrackingSnapshot;
  return { ...snap, counters: snap.counters.map(Number) };
}

/** json columns arrive parsed from `pg` and PGlite alike; a string is parsed here for safety. */
function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}
