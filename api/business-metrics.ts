/**
 * Business metrics on /metrics, read from the database when Prometheus scrapes (no counters to
 * keep in step): open cases by step and status, closed cases by status, overdue and escalated
 * open cases now, WhatsApp outbox by status, blank stock by document type; and the latency of
 * staff and applicant actions (the Update round trip) by action and outcome.
 */
import { Gauge, Histogram, type Registry } from 'prom-client';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { OPEN_STATUSES } from '../domain/sop.js';

/** Observed by api/case-actions.ts; registered in every app's registry (one process may build several apps in tests). */
export const caseActionDuration = new Histogram({
  name: 'becak_case_action_duration_seconds',
  help: 'Case action latency (store input, Update, answer) by action and outcome (ok, refused, error)',
  labelNames: ['action', 'outcome'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [],
});

export function registerBusinessMetrics(registry: Registry, db: Kysely<Database>): void {
  registry.registerMetric(caseActionDuration);
  const open = [...OPEN_STATUSES];
  new Gauge({
    name: 'becak_cases',
    help: 'Cases by step and status (closed cases under step "-")',
    labelNames: ['step', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db
        .selectFrom('cases')
        .select(['status', sql<string>`case when status in (${sql.join(open)}) then current_step else '-' end`.as('step'), (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy(['status', sql`2`])
        .execute();
      for (const r of rows) this.set({ step: r.step, status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'becak_cases_open_now',
    help: 'Open cases now: overdue (current step past its due time) and escalated (escalation level above 0)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const r = await db
        .selectFrom('cases')
        .where('status', 'in', open)
        .select([
          sql<string>`count(*) filter (where overdue)`.as('overdue'),
          sql<string>`count(*) filter (where escalation_level > 0)`.as('escalated'),
        ])
        .executeTakeFirstOrThrow();
      this.set({ kind: 'overdue' }, Number(r.overdue));
      this.set({ kind: 'escalated' }, Number(r.escalated));
    },
  });
  new Gauge({
    name: 'becak_outbox_messages',
    help: 'WhatsApp outbox messages by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.selectFrom('notifications').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'becak_blank_stock',
    help: 'Blank card stock by document type',
    labelNames: ['document_type'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.selectFrom('blank_stock').select(['document_type', 'quantity']).execute();
      for (const r of rows) this.set({ document_type: r.document_type }, r.quantity);
    },
  });
}
