/** The case rows (written at submission by the API, kept current by the workflow's activities) and their read model. */
import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type Transaction } from 'kysely';
import type {
  CaseEventsTable,
  CaseRow,
  Database,
  DocumentsTable,
  EscalationsTable,
  NewCase,
  ReceiptsTable,
  SignaturesTable,
  StepRunsTable,
} from '../schema.js';
import { nameSearchKeys, normalizeForSearch } from '../../domain/search.js';
import { OPEN_STATUSES, type CaseStatus, type DocumentType, type StepKey } from '../../domain/sop.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertCase(db: Db, row: NewCase): Promise<void> {
  await db
    .insertInto('cases')
    .values({ ...row, subject_name_search: normalizeForSearch(row.subject_name), contact_name_search: normalizeForSearch(row.contact_name) })
    .execute();
}

export async function findCase(db: Db, registrationNumber: string): Promise<CaseRow | null> {
  return (await db.selectFrom('cases').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst()) ?? null;
}

/** The open (IN_PROGRESS or AWAITING_RESUBMISSION) case of a subject for a document type. */
export async function findOpenCase(db: Db, nik: string, documentType: DocumentType): Promise<CaseRow | null> {
  return (
    (await db
      .selectFrom('cases')
      .selectAll()
      .where('subject_nik', '=', nik)
      .where('document_type', '=', documentType)
      .where('status', 'in', OPEN_STATUSES)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Marks the row of this submission started. Keyed by the submission time as well: a start decided
 * on an earlier read (a sweeper pass that listed the row before it was replaced by another
 * submission under the same number) must not mark the new row, whose workflow it never checked.
 */
export async function markWorkflowStarted(db: Db, registrationNumber: string, submittedAt: Date): Promise<boolean> {
  const r = await db
    .updateTable('cases')
    .set({ workflow_started: true })
    .where('registration_number', '=', registrationNumber)
    // To the millisecond, as the caller read it (a JS Date), whatever precision the column holds.
    .where(sql<Date>`date_trunc('milliseconds', submitted_at)`, '=', submittedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Case rows whose workflow start is not confirmed, oldest first (only non-personal columns). */
export async function listUnstartedCases(db: Db, olderThan: Date, limit = 50) {
  return db
    .selectFrom('cases')
    .select(['registration_number', 'document_type', 'reason', 'district', 'submitted_at'])
    .where('workflow_started', '=', false)
    .where('submitted_at', '<', olderThan)
    .orderBy('submitted_at')
    .limit(limit)
    .execute();
}

export async function casesWaitingForBlanks(db: Db, documentType: DocumentType): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('registration_number')
    .where('waiting_for', '=', 'BLANK_STOCK')
    .where('document_type', '=', documentType)
    .where('status', '=', 'IN_PROGRESS')
    .execute();
  return rows.map((r) => r.registration_number);
}

export interface CaseListFilter {
  status?: CaseStatus;
  step?: StepKey;
  overdue?: boolean;
  q?: string;
  limit: number;
  /** Keyset position: the last row of the previous page. */
  after?: { submittedAt: Date; registrationNumber: string };
}

const LIST_COLUMNS = [
  'registration_number',
  'document_type',
  'reason',
  'status',
  'current_step',
  'subject_name',
  'district',
  'submitted_at',
  'step_started_at',
  'step_due_at',
  'overdue',
  'escalation_level',
  'waiting_for',
  // For the access policy (api/access): when the case closed, and the recipient's name.
  'closed_at',
  'contact_name',
] as const;
export type CaseListRow = Pick<CaseRow, (typeof LIST_COLUMNS)[number]>;

/**
 * The submission times a registration-number prefix of 4 to 7 date digits (`BP-2025`, `BP-202511`,
 * `BP-2025113`) stands for: a number is `BP-<Jakarta date of submission>-<seq>`, given in the same
 * transaction and from the same instant as `submitted_at` (api/submission.ts), so the prefix is a
 * date range. The lists add it to the LIKE: then a prefix that matches half the table is one range
 * of the submission-time index in list order, not a sort of every match. A whole day or more
 * (8 digits) is left to the LIKE alone: a day's numbers are few (~1,400 at 1 M cases) and test
 * fixtures may number a case apart from its submission time. Null when no range applies.
 */
export function submissionRangeOfPrefix(prefix: string): { from: Date; to: Date } | null {
  const m = /^BP-(\d{4,7})$/.exec(prefix);
  if (!m) return null;
  const digits = m[1]!;
  const upperDigits = String(Number(digits) + 1).padStart(digits.length, '0');
  if (upperDigits.length > digits.length) return null; // BP-9999…: no upper bound worth a range
  // The first valid date at or after an 8-digit string (month or day 00 → 01; past the end → next month/year).
  const firstDateFrom = (s: string): Date => {
    let y = Number(s.slice(0, 4));
    let mo = Number(s.slice(4, 6));
    let d = Number(s.slice(6, 8));
    if (mo === 0) [mo, d] = [1, 1];
    if (mo > 12) [y, mo, d] = [y + 1, 1, 1];
    if (d === 0) d = 1;
    if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) [mo, d] = [mo + 1, 1];
    return new Date(Date.UTC(y, mo - 1, d) - 7 * 3_600_000); // 00:00 WIB (UTC+7 all year)
  };
  return { from: firstDateFrom(digits.padEnd(8, '0')), to: firstDateFrom(upperDigits.padEnd(8, '0')) };
}

/**
 * Cases whose registration number starts with `prefix` (literally: `%` and `_` are not wildcards).
 * A year or month prefix is also a submission-date range; a whole day (`BP-YYYYMMDD`) goes through
 * the (day, submitted_at, registration_number) index, newest first, so a page reads its 50 rows and
 * not the day's ~1,400 scattered ones (230-450 ms when they were not cached, bench/README.md).
 */
function whereRegistrationPrefix<Q extends SelectQueryBuilder<Database, 'cases', any>>(query: Q, prefix: string): Q {
  const day = /^BP-\d{8}-?$/.test(prefix) ? prefix.slice(0, 11) : null;
  let q = query;
  if (day) q = q.where(sql<string>`left(registration_number, 11)`, '=', day) as Q;
  if (!day || prefix.length > 11) q = q.where('registration_number', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as Q;
  const range = submissionRangeOfPrefix(prefix);
  if (range) q = q.where('submitted_at', '>=', range.from).where('submitted_at', '<', range.to) as Q;
  return q;
}

/** Newest first, keyset pagination on (submitted_at, registration_number). */
export async function listCases(db: Db, f: CaseListFilter): Promise<CaseListRow[]> {
  let query = db.selectFrom('cases').select(LIST_COLUMNS);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.step) query = query.where('current_step', '=', f.step);
  if (f.overdue !== undefined) query = query.where('overdue', '=', f.overdue);
  if (f.q) {
    // Registration-number prefixes only: a NIK or a name is searched with POST /api/applications/search.
    query = whereRegistrationPrefix(query, f.q.trim().toUpperCase());
  }
  if (f.after) {
    const { submittedAt, registrationNumber } = f.after;
    // A row-value comparison: the planner turns it into one range of the (…, submitted_at,
    // registration_number) index, where the equivalent OR form filtered every newer row.
    query = query.where((eb) => eb(eb.refTuple('submitted_at', 'registration_number'), '<', eb.tuple(submittedAt, registrationNumber)));
  }
  return query.orderBy('submitted_at', 'desc').orderBy('registration_number', 'desc').limit(f.limit).execute();
}

/** In-progress cases at the given steps, most urgent first: overdue, then earliest due. */
export async function listTasks(
  db: Db,
  steps: readonly StepKey[],
  limit = 200,
  waiting: { also?: readonly string[]; except?: readonly string[] } = {},
): Promise<CaseListRow[]> {
  const also = [...(waiting.also ?? [])];
  const except = [...(waiting.except ?? [])];
  if (steps.length === 0 && also.length === 0) return [];
  return db
    .selectFrom('cases')
    .select(LIST_COLUMNS)
    .where('status', '=', 'IN_PROGRESS')
    .where((eb) =>
      eb.or([
        ...(steps.length
          ? [eb.and([eb('current_step', 'in', [...steps]), ...(except.length ? [eb.or([eb('waiting_for', 'is', null), eb('waiting_for', 'not in', except)])] : [])])]
          : []),
        ...(also.length ? [eb('waiting_for', 'in', also)] : []),
      ]),
    )
    .orderBy('overdue', 'desc')
    .orderBy(sql`step_due_at asc nulls last`)
    .orderBy('submitted_at', 'asc')
    .limit(limit)
    .execute();
}

export async function stepRunsOf(db: Db, registrationNumber: string): Promise<Selectable<StepRunsTable>[]> {
  return db.selectFrom('step_runs').selectAll().where('registration_number', '=', registrationNumber).orderBy('seq').execute();
}

export async function escalationsOf(db: Db, registrationNumber: string): Promise<Selectable<EscalationsTable>[]> {
  return db.selectFrom('escalations').selectAll().where('registration_number', '=', registrationNumber).orderBy('at').orderBy('level').execute();
}

export async function eventsOf(db: Db, registrationNumber: string): Promise<Selectable<CaseEventsTable>[]> {
  return db.selectFrom('case_events').selectAll().where('registration_number', '=', registrationNumber).orderBy('at').orderBy('id').execute();
}

export async function documentsOf(db: Db, registrationNumber: string): Promise<Selectable<DocumentsTable>[]> {
  return db.selectFrom('documents').selectAll().where('registration_number', '=', registrationNumber).orderBy('kind').orderBy('version').execute();
}

/** The latest version of a produced document. */
export async function latestDocument(db: Db, registrationNumber: string, kind: string): Promise<Selectable<DocumentsTable> | null> {
  return (
    (await db
      .selectFrom('documents')
      .selectAll()
      .where('registration_number', '=', registrationNumber)
      .where('kind', '=', kind as Selectable<DocumentsTable>['kind'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

export async function signatureOf(db: Db, registrationNumber: string): Promise<Selectable<SignaturesTable> | null> {
  return (await db.selectFrom('signatures').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst()) ?? null;
}

export async function receiptOf(db: Db, registrationNumber: string): Promise<Selectable<ReceiptsTable> | null> {
  return (await db.selectFrom('receipts').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst()) ?? null;
}

/** Staff search candidates (newest first), with which name matched; the access layer filters them by policy. */
export async function searchCases(
  db: Db,
  q: { kind: 'nik'; nik: string } | { kind: 'registration'; prefix: string } | { kind: 'name'; normalized: string },
  limit: number,
): Promise<Array<CaseListRow & { subject_match: boolean; contact_match: boolean }>> {
  let query = db.selectFrom('cases').select(LIST_COLUMNS).select(['subject_name_search', 'contact_name_search']);
  if (q.kind === 'nik') query = query.where('subject_nik', '=', q.nik);
  else if (q.kind === 'registration') {
    query = whereRegistrationPrefix(query, q.prefix);
  }
  else {
    // normalizeForSearch leaves letters, digits and single spaces: nothing to escape for LIKE.
    const pattern = `%${q.normalized}%`;
    const keys = nameSearchKeys(q.normalized);
    if (keys.length > 0) {
      // The index prefilter per column (a necessary condition of that column's LIKE), kept apart
      // from the LIKEs so the heap rows are checked by LIKE alone, not by name_infixes() again.
      const arr = sql`${sql.val(keys)}::text[]`;
      query = query.where(sql<boolean>`(name_infixes(subject_name_search) @> ${arr} or name_infixes(contact_name_search) @> ${arr})`);
    }
    query = query.where((eb) => eb.or([eb('subject_name_search', 'like', pattern), eb('contact_name_search', 'like', pattern)]));
  }
  const rows = await query.orderBy('submitted_at', 'desc').orderBy('registration_number', 'desc').limit(limit).execute();
  return rows.map(({ subject_name_search, contact_name_search, ...r }) => ({
    ...r,
    subject_match: q.kind === 'name' ? (subject_name_search ?? '').includes(q.normalized) : q.kind === 'nik',
    contact_match: q.kind === 'name' ? (contact_name_search ?? '').includes(q.normalized) : false,
  }));
}
