/**
 * The task list with filters, sort orders and claims (issue #14 item 2), and the claims
 * themselves. A claim counts only while the case is at the claimed step (`step_key`).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DocumentType, StepKey } from '../../domain/sop.js';
import type { TaskClaimFilter, TaskSort } from '../../domain/task-list.js';
import type { CaseListRow } from './cases.js';

type Db = Kysely<Database>;

export interface TaskQuery {
  steps: readonly StepKey[];
  /** Waiting states that make a case the role's task at any step. */
  also?: readonly string[];
  /** Waiting states that take a case out of the role's steps. */
  except?: readonly string[];
  step?: StepKey;
  district?: string;
  documentType?: DocumentType;
  overdue?: boolean;
  claim?: TaskClaimFilter;
  /** The viewer (for claim = mine / others). */
  username: string;
  sort: TaskSort;
  limit: number;
}

export type TaskRow = CaseListRow & { claim_username: string | null; claim_name: string | null; claimed_at: Date | null };

export async function queryTasks(db: Db, q: TaskQuery): Promise<TaskRow[]> {
  const also = [...(q.also ?? [])];
  const except = [...(q.except ?? [])];
  if (q.steps.length === 0 && also.length === 0) return [];
  let query = db
    .selectFrom('cases as c')
    // Only a live claim (the case is still at the claimed step) joins.
    .leftJoin('task_claims as t', (j) => j.onRef('t.registration_number', '=', 'c.registration_number').onRef('t.step_key', '=', 'c.current_step'))
    .leftJoin('staff as s', 's.username', 't.username')
    .select([
      'c.registration_number',
      'c.document_type',
      'c.reason',
      'c.status',
      'c.current_step',
      'c.subject_name',
      'c.district',
      'c.submitted_at',
      'c.step_started_at',
      'c.step_due_at',
      'c.overdue',
      'c.escalation_level',
      'c.waiting_for',
      'c.closed_at',
      'c.contact_name',
      't.username as claim_username',
      's.name as claim_name',
      't.claimed_at as claimed_at',
    ])
    .where('c.status', '=', 'IN_PROGRESS')
    .where((eb) =>
      eb.or([
        ...(q.steps.length
          ? [
              eb.and([
                eb('c.current_step', 'in', [...q.steps]),
                ...(except.length ? [eb.or([eb('c.waiting_for', 'is', null), eb('c.waiting_for', 'not in', except)])] : []),
              ]),
            ]
          : []),
        ...(also.length ? [eb('c.waiting_for', 'in', also)] : []),
      ]),
    );
  if (q.step) query = query.where('c.current_step', '=', q.step);
  if (q.district) query = query.where('c.district', '=', q.district);
  if (q.documentType) query = query.where('c.document_type', '=', q.documentType);
  if (q.overdue !== undefined) query = query.where('c.overdue', '=', q.overdue);
  if (q.claim === 'mine') query = query.where('t.username', '=', q.username);
  if (q.claim === 'free') query = query.where('t.username', 'is', null);
  if (q.claim === 'others') query = query.where('t.username', 'is not', null).where('t.username', '<>', q.username);
  switch (q.sort) {
    case 'urgency':
      query = query.orderBy('c.overdue', 'desc').orderBy(sql`c.step_due_at asc nulls last`).orderBy('c.submitted_at', 'asc');
      break;
    case 'due':
      query = query.orderBy(sql`c.step_due_at asc nulls last`).orderBy('c.submitted_at', 'asc');
      break;
    case 'oldest':
      query = query.orderBy('c.submitted_at', 'asc');
      break;
    case 'newest':
      query = query.orderBy('c.submitted_at', 'desc');
      break;
    case 'district':
      query = query.orderBy('c.district', 'asc').orderBy(sql`c.step_due_at asc nulls last`);
      break;
  }
  return query.orderBy('c.registration_number', 'asc').limit(q.limit).execute() as Promise<TaskRow[]>;
}

export interface ClaimRow {
  registrationNumber: string;
  stepKey: StepKey;
  username: string;
  name: string | null;
  claimedAt: Date;
}

/** The live claim on a case at `step`, if any. */
export async function liveClaim(db: Db, registrationNumber: string, step: StepKey): Promise<ClaimRow | null> {
  const r = await db
    .selectFrom('task_claims as t')
    .leftJoin('staff as s', 's.username', 't.username')
    .select(['t.registration_number', 't.step_key', 't.username', 's.name', 't.claimed_at'])
    .where('t.registration_number', '=', registrationNumber)
    .where('t.step_key', '=', step)
    .executeTakeFirst();
  return r ? { registrationNumber: r.registration_number, stepKey: r.step_key, username: r.username, name: r.name, claimedAt: new Date(r.claimed_at) } : null;
}

/** Live claims on these cases (keyed by registration number), for the bulk decision's check. */
export async function liveClaims(db: Db, cases: ReadonlyArray<{ registrationNumber: string; step: StepKey }>): Promise<Map<string, ClaimRow>> {
  if (cases.length === 0) return new Map();
  const rows = await db
    .selectFrom('task_claims as t')
    .leftJoin('staff as s', 's.username', 't.username')
    .select(['t.registration_number', 't.step_key', 't.username', 's.name', 't.claimed_at'])
    .where('t.registration_number', 'in', cases.map((c) => c.registrationNumber))
    .execute();
  const stepOf = new Map(cases.map((c) => [c.registrationNumber, c.step]));
  const out = new Map<string, ClaimRow>();
  for (const r of rows) {
    if (stepOf.get(r.registration_number) !== r.step_key) continue;
    out.set(r.registration_number, { registrationNumber: r.registration_number, stepKey: r.step_key, username: r.username, name: r.name, claimedAt: new Date(r.claimed_at) });
  }
  return out;
}

/**
 * Claims the case at `step` for `username`: succeeds when nobody holds a live claim, when the
 * caller already holds it, or with `takeOver`. Atomic (one upsert); returns the claim that holds
 * afterwards, so a caller that lost the race sees the winner.
 */
export async function claimTask(db: Db, o: { registrationNumber: string; step: StepKey; username: string; at: Date; takeOver: boolean }): Promise<ClaimRow> {
  await db
    .insertInto('task_claims')
    .values({ registration_number: o.registrationNumber, step_key: o.step, username: o.username, claimed_at: o.at })
    .onConflict((oc) =>
      oc.column('registration_number').doUpdateSet({ step_key: o.step, username: o.username, claimed_at: o.at }).where((eb) =>
        o.takeOver
          ? eb.lit(true)
          : eb.or([eb('task_claims.step_key', '<>', o.step), eb('task_claims.username', '=', o.username)]),
      ),
    )
    .execute();
  return (await liveClaim(db, o.registrationNumber, o.step))!;
}

/** Releases the caller's claim (or any live claim with `any`); true when one was released. */
export async function releaseTask(db: Db, o: { registrationNumber: string; step: StepKey; username: string; any?: boolean }): Promise<boolean> {
  let q = db.deleteFrom('task_claims').where('registration_number', '=', o.registrationNumber).where('step_key', '=', o.step);
  if (!o.any) q = q.where('username', '=', o.username);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
