/**
 * The read model the API lists and reports from (cases, step_runs, escalations, case_events),
 * written by the workflow's record activity. Idempotent and monotonic: every write is keyed by
 * the workflow's transition seq, and the cases row only moves forward.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { CaseStatus, Role, StepKey } from '../../domain/sop.js';

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
}

export interface TransitionEvent {
  type: string;
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

async function rejectionReason(db: Db, inputId: string): Promise<string | null> {
  const row = await db.selectFrom('action_inputs').select('body').where('id', '=', inputId).executeTakeFirst();
  const body = (typeof row?.body === 'string' ? JSON.parse(row.body) : row?.body) as Record<string, unknown> | undefined;
  return typeof body?.reason === 'string' ? body.reason : null;
}

export async function applyTransition(db: Kysely<Database>, t: TransitionRecord): Promise<void> {
  const at = new Date(t.at);
  await db.transaction().execute(async (trx) => {
    const s = t.snapshot;
    const reason = s.rejection ? await rejectionReason(trx, s.rejection.inputId) : null;
    await trx
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
        rejection_reason: s.rejection ? reason : null,
        rejected_at: s.rejection ? new Date(s.rejection.at) : null,
        resubmission_due_at: s.resubmissionDueAt === null ? null : new Date(s.resubmissionDueAt),
        receipt_number: s.receiptNumber,
        closed_at: s.closedAt === null ? null : new Date(s.closedAt),
        state_seq: t.seq,
        updated_at: at,
      })
      .where('registration_number', '=', t.registrationNumber)
      // A late retry of an older transition must not roll the row back.
      .where('state_seq', '<', t.seq)
      .execute();

    if (t.completedRun) {
      const c = t.completedRun;
      await trx
        .updateTable('step_runs')
        .set({ completed_at: new Date(c.completedAt), counted_minutes: c.countedMinutes, outcome: c.outcome, actor_username: c.actorUsername })
        .where('registration_number', '=', t.registrationNumber)
        .where('seq', '=', c.runSeq)
        .where('completed_at', 'is', null)
        .execute();
    }
    if (t.startedRun) {
      const r = t.startedRun;
      await trx
        .insertInto('step_runs')
        .values({
          registration_number: t.registrationNumber,
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
        .execute();
    }
    if (t.overdueRun) {
      await trx
        .updateTable('step_runs')
        .set({ overdue: true })
        .where('registration_number', '=', t.registrationNumber)
        .where('seq', '=', t.overdueRun.runSeq)
        .execute();
    }
    if (t.escalation) {
      const e = t.escalation;
      await trx
        .insertInto('escalations')
        .values({ registration_number: t.registrationNumber, step_key: e.stepKey, step_seq: e.stepSeq, level: e.level, role: e.role, at: new Date(e.at) })
        .onConflict((oc) => oc.columns(['registration_number', 'step_seq', 'level']).doNothing())
        .execute();
    }
    if (t.events.length) {
      await trx
        .insertInto('case_events')
        .values(
          t.events.map((e, i) => ({
            registration_number: t.registrationNumber,
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
        .execute();
    }
  });
}

export async function listEvents(db: Db, registrationNumber: string) {
  return db.selectFrom('case_events').selectAll().where('registration_number', '=', registrationNumber).orderBy('id').execute();
}
