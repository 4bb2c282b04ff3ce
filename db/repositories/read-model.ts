/**
 * The read model the API lists and reports from (cases, step_runs, escalations, case_events),
 * written by the workflow's record activity. Idempotent and monotonic: every write is keyed by
 * the workflow's transition seq, and the cases row only moves forward.
 */
import { sql, type Kysely, type QueryCreator, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { CaseEventType, CaseStatus, Role, StepKey } from '../../domain/sop.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A snapshot of the case after a transition: no personal data, only facts the workflow owns. */
export interface CaseSnapshot {
  status: CaseStatus;
  currentStep: StepKey;
  stepStartedAt: number | null;
  stepDueAt: number | null;
  overdue: boolean;
  escalationLevel: number;
  waitingFor: string | null;
  rejection: { step: StepKey; inputId: string; at: number } | null;
  resubmissionDueAt: number | null;
  receiptNumber: string | null;
  closedAt: number | null;
  /** Failed delivery attempts (absent before patch exceptions-v3). */
  deliveryAttempts?: number;
}

export interface TransitionEvent {
  type: CaseEventType;
  stepKey: StepKey | null;
  actorUsername?: string | null;
  actorRole?: string | null;
  data?: Record<string, unknown>;
}

export interface TransitionRecord {
  registrationNumber: string;
  seq: number;
  at: number;
  snapshot: CaseSnapshot;
  /** A step run that ended with this transition (identified by the seq that started it). */
  completedRun?: { runSeq: number; completedAt: number; countedMinutes: number | null; outcome: string; actorUsername: string | null };
  startedRun?: { runSeq: number; stepKey: StepKey; role: Role | null; standardMinutes: number | null; startedAt: number; dueAt: number | null };
  overdueRun?: { runSeq: number };
  escalation?: { stepKey: StepKey; stepSeq: number; level: number; role: Role; at: number };
  events: TransitionEvent[];
}

/**
 * One statement (data-modifying CTEs), so one round trip and atomic without BEGIN/COMMIT: this runs
 * inside the workflow task of every staff action, on its critical path.
 */
export async function applyTransition(db: Kysely<Database>, t: TransitionRecord): Promise<void> {
  const at = new Date(t.at);
  const s = t.snapshot;
  const reg = t.registrationNumber;
  // Loosely typed while the CTE list is assembled; every part below is a typed Kysely query.
  let q: QueryCreator<any> = db;
  q = q.with('case_row', (d) =>
    (d as Kysely<Database>)
      .updateTable('cases')
      .set({
        status: s.status,
        current_step: s.currentStep,
        step_started_at: s.stepStartedAt === null ? null : new Date(s.stepStartedAt),
        step_due_at: s.stepDueAt === null ? null : new Date(s.stepDueAt),
        overdue: s.overdue,
        escalation_level: s.escalationLevel,
        waiting_for: s.waitingFor,
        rejection_step: s.rejection?.step ?? null,
        // The reason stays in action_inputs (it may name people); the read model shows it to staff.
        rejection_reason: s.rejection ? sql<string | null>`(select body->>'reason' from action_inputs where id = ${s.rejection.inputId})` : null,
        rejected_at: s.rejection ? new Date(s.rejection.at) : null,
        resubmission_due_at: s.resubmissionDueAt === null ? null : new Date(s.resubmissionDueAt),
        receipt_number: s.receiptNumber,
        closed_at: s.closedAt === null ? null : new Date(s.closedAt),
        ...(s.deliveryAttempts !== undefined ? { delivery_attempts: s.deliveryAttempts } : {}),
        state_seq: t.seq,
        updated_at: at,
      })
      .where('registration_number', '=', reg)
      // A late retry of an older transition must not roll the row back.
      .where('state_seq', '<', t.seq)
      .returning('registration_number'),
  );
  // Two CTEs must not modify the same row: an overdue mark on the run that completes goes into the completing update.
  const overdueOnCompleted = t.overdueRun !== undefined && t.completedRun?.runSeq === t.overdueRun.runSeq;
  if (t.completedRun) {
    const c = t.completedRun;
    q = q.with('completed_run', (d) =>
      (d as Kysely<Database>)
        .updateTable('step_runs')
        .set({ completed_at: new Date(c.completedAt), counted_minutes: c.countedMinutes, outcome: c.outcome, actor_username: c.actorUsername, ...(overdueOnCompleted ? { overdue: true } : {}) })
        .where('registration_number', '=', reg)
        .where('seq', '=', c.runSeq)
        .where('completed_at', 'is', null)
        .returning('seq'),
    );
  }
  if (t.startedRun) {
    const r = t.startedRun;
    q = q.with('started_run', (d) =>
      (d as Kysely<Database>)
        .insertInto('step_runs')
        .values({
          registration_number: reg,
          step_key: r.stepKey,
          seq: r.runSeq,
          role: r.role,
          standard_minutes: r.standardMinutes,
          started_at: new Date(r.startedAt),
          due_at: r.dueAt === null ? null : new Date(r.dueAt),
          completed_at: null,
          counted_minutes: null,
          outcome: null,
          actor_username: null,
        })
        .onConflict((oc) => oc.columns(['registration_number', 'seq']).doNothing())
        .returning('seq'),
    );
  }
  if (t.overdueRun && !overdueOnCompleted) {
    const runSeq = t.overdueRun.runSeq;
    q = q.with('overdue_run', (d) =>
      (d as Kysely<Database>).updateTable('step_runs').set({ overdue: true }).where('registration_number', '=', reg).where('seq', '=', runSeq).returning('seq'),
    );
  }
  if (t.escalation) {
    const e = t.escalation;
    q = q.with('escalation', (d) =>
      (d as Kysely<Database>)
        .insertInto('escalations')
        .values({ registration_number: reg, step_key: e.stepKey, step_seq: e.stepSeq, level: e.level, role: e.role, at: new Date(e.at) })
        .onConflict((oc) => oc.columns(['registration_number', 'step_seq', 'level']).doNothing())
        .returning('level'),
    );
  }
  if (t.events.length) {
    q = q.with('events', (d) =>
      (d as Kysely<Database>)
        .insertInto('case_events')
        .values(
          t.events.map((e, i) => ({
            registration_number: reg,
            event_key: `${t.seq}:${i}:${e.type}`,
            type: e.type,
            step_key: e.stepKey,
            actor_username: e.actorUsername ?? null,
            actor_role: e.actorRole ?? null,
            data: JSON.stringify(e.data ?? {}),
            at,
          })),
        )
        .onConflict((oc) => oc.columns(['registration_number', 'event_key']).doNothing())
        .returning('id'),
    );
  }
  await q.selectNoFrom(sql<number>`1`.as('done')).execute();
}

export async function listEvents(db: Db, registrationNumber: string) {
  return db.selectFrom('case_events').selectAll().where('registration_number', '=', registrationNumber).orderBy('id').execute();
}
