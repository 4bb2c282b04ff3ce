/**
 * What a fault must never do, checked from the database after the run: lose a case, or run a
 * side effect twice. Returns the list of violations (empty when all hold).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

export interface InvariantReport {
  problems: string[];
  cases: number;
  printAttempts: number;
  failedPrints: number;
}

function countBy(rows: Array<{ registration_number: string | null; n: number | string | bigint }>): Map<string, number> {
  return new Map(rows.map((r) => [r.registration_number ?? '', Number(r.n)]));
}

/**
 * `registrationNumbers`: every number the API handed out during the run.
 * `expectedTotal`: how many cases the database should hold in all (a retried submission must not
 * have created a second one).
 */
export async function checkInvariants(db: Kysely<Database>, registrationNumbers: string[], expectedTotal?: number): Promise<InvariantReport> {
  const problems: string[] = [];
  const regs = [...new Set(registrationNumbers)];
  if (regs.length !== registrationNumbers.length) problems.push(`the API handed out ${registrationNumbers.length - regs.length} registration number(s) twice`);
  if (regs.length === 0) return { problems: ['no case was submitted'], cases: 0, printAttempts: 0, failedPrints: 0 };

  const cases = await db.selectFrom('cases').select(['registration_number', 'status', 'current_step']).where('registration_number', 'in', regs).execute();
  const found = new Map(cases.map((c) => [c.registration_number, c]));
  for (const r of regs) {
    const c = found.get(r);
    if (!c) problems.push(`${r}: case lost (no row)`);
    else if (c.status !== 'COMPLETED') problems.push(`${r}: ${c.status} at ${c.current_step}, not COMPLETED`);
  }
  if (expectedTotal !== undefined) {
    const { n } = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(n) !== expectedTotal) problems.push(`database holds ${n} cases, expected ${expectedTotal} (duplicated or lost submissions)`);
  }

  const jobs = await db
    .selectFrom('print_jobs')
    .select(['registration_number', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(*) filter (where status = 'FAILED')`.as('failed')])
    .where('registration_number', 'in', regs)
    .groupBy('registration_number')
    .execute();
  const jobCount = new Map(jobs.map((j) => [j.registration_number, Number(j.n)]));
  const failedCount = new Map(jobs.map((j) => [j.registration_number, Number(j.failed)]));
  const movement = (kind: 'CONSUME' | 'DAMAGED') =>
    db
      .selectFrom('blank_movements')
      .select(['registration_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', kind)
      .where('registration_number', 'in', regs)
      .groupBy('registration_number')
      .execute()
      .then(countBy);
  const consumed = await movement('CONSUME');
  const damaged = await movement('DAMAGED');
  const courier = countBy(
    await db
      .selectFrom('notifications')
      .select(['registration_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', 'COURIER_GROUP')
      .where('registration_number', 'in', regs)
      .groupBy('registration_number')
      .execute(),
  );
  const receipts = countBy(
    await db
      .selectFrom('receipts')
      .select(['registration_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('registration_number', 'in', regs)
      .groupBy('registration_number')
      .execute(),
  );

  let printAttempts = 0;
  let failedPrints = 0;
  for (const r of regs) {
    const attempts = jobCount.get(r) ?? 0;
    const failed = failedCount.get(r) ?? 0;
    printAttempts += attempts;
    failedPrints += failed;
    if (attempts - failed !== 1) problems.push(`${r}: ${attempts - failed} good print job(s), expected exactly 1 (${attempts} attempts, ${failed} failed)`);
    if ((consumed.get(r) ?? 0) !== attempts) problems.push(`${r}: ${consumed.get(r) ?? 0} blank(s) consumed for ${attempts} print attempt(s)`);
    if ((damaged.get(r) ?? 0) !== failed) problems.push(`${r}: ${damaged.get(r) ?? 0} damaged blank record(s) for ${failed} failed print(s)`);
    if ((courier.get(r) ?? 0) !== 1) problems.push(`${r}: ${courier.get(r) ?? 0} COURIER_GROUP notification(s), expected 1`);
    if ((receipts.get(r) ?? 0) !== 1) problems.push(`${r}: ${receipts.get(r) ?? 0} receipt(s), expected 1`);
  }

  // Stock on hand must equal the sum of its movements (no lost or doubled decrement).
  const stock = await db.selectFrom('blank_stock').select(['document_type', 'quantity']).execute();
  const sums = await db
    .selectFrom('blank_movements')
    .select(['document_type', (eb) => eb.fn.sum<number>('delta').as('total')])
    .groupBy('document_type')
    .execute();
  const sumBy = new Map(sums.map((s) => [s.document_type, Number(s.total)]));
  for (const s of stock) {
    if (Number(s.quantity) !== (sumBy.get(s.document_type) ?? 0)) {
      problems.push(`blank stock ${s.document_type}: ${s.quantity} on hand but movements sum to ${sumBy.get(s.document_type) ?? 0}`);
    }
  }
  return { problems, cases: regs.length, printAttempts, failedPrints };
}
