/** The one Database interface: every table, as Kysely sees it. Mirrors db/migrations. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { BlankMovementKind } from '../domain/blanks.js';
import type { CaseStatus, DocumentKind, DocumentType, Relationship, RequestReason, Role, StepKey } from '../domain/sop.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, T | string, T | string>;

export interface CasesTable {
  registration_number: string;
  document_type: DocumentType;
  reason: RequestReason;
  status: CaseStatus;
  current_step: StepKey;
  /** Personal data: never copied into Temporal or logs. */
  subject_nik: string;
  subject_name: string;
  subject_birth_date: string; // YYYY-MM-DD
  subject_married: boolean;
  kk_number: string;
  contact_name: string;
  contact_phone: string; // E.164
  address: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  delivery_note: string | null;
  /** Set once the workflow start is confirmed; a sweeper starts workflows for rows left false. */
  workflow_started: Generated<boolean>;
  submitted_at: Timestamp;
  updated_at: Timestamp;
  step_started_at: Timestamp | null;
  step_due_at: Timestamp | null;
  overdue: Generated<boolean>;
  escalation_level: Generated<number>;
  waiting_for: string | null;
  /** Last transition seq applied to this row (read model is idempotent and monotonic). */
  state_seq: Generated<number>;
  rejection_step: StepKey | null;
  rejection_reason: string | null;
  rejected_at: Timestamp | null;
  resubmission_due_at: Timestamp | null;
  receipt_number: string | null;
  closed_at: Timestamp | null;
  /** Personal data: the names normalised for search (domain/search.ts), set by insertCase. */
  subject_name_search: ColumnType<string | null, string | null | undefined, string | null>;
  contact_name_search: ColumnType<string | null, string | null | undefined, string | null>;
  /** The privacy notice version the applicant consented to (null for cases before consent existed). */
  privacy_notice_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when the case's personal data was erased (retention or request). */
  personal_data_erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Failed delivery attempts (step 7). */
  delivery_attempts: Generated<number>;
}

/** One row per time a step became current (steps repeat after a resubmission or reprint). */
export interface StepRunsTable {
  id: Generated<number>;
  registration_number: string;
  step_key: StepKey;
  /** The workflow transition seq at which this run started; unique per case. */
  seq: number;
  role: Role | null;
  standard_minutes: number | null;
  started_at: Timestamp;
  due_at: Timestamp | null;
  completed_at: Timestamp | null;
  /** Counted (office or wall) minutes the run took, filled on completion. */
  counted_minutes: number | null;
  outcome: string | null;
  actor_username: string | null;
  overdue: Generated<boolean>;
}

export interface EscalationsTable {
  id: Generated<number>;
  registration_number: string;
  step_key: StepKey;
  step_seq: number;
  level: number;
  role: Role;
  at: Timestamp;
}

/** Append-only: the timeline and audit log. */
export interface CaseEventsTable {
  id: Generated<number>;
  registration_number: string;
  /** Deterministic key (e.g. `${seq}:${type}`) so a retried activity appends nothing twice. */
  event_key: string;
  type: string;
  step_key: StepKey | null;
  actor_username: string | null;
  actor_role: string | null;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface AttachmentsTable {
  id: string; // uuid
  registration_number: string;
  kind: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_path: string;
  /** 0 for the submission, n for the n-th resubmission. */
  round: number;
  created_at: CreatedAt;
}

/** Full bodies of staff and applicant actions (free text, names): referenced from workflow messages by id. */
export interface ActionInputsTable {
  id: string; // uuid
  registration_number: string;
  action: string;
  actor_username: string | null;
  actor_role: string | null;
  body: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface StaffTable {
  username: string;
  name: string;
  role: Role;
  password_hash: string;
  /** Phone for WhatsApp escalations (E.164), optional. */
  phone: string | null;
  /** Nomor Induk Pegawai (18 digits), shown on and signed into approvals; null until the admin sets it. */
  nip: ColumnType<string | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  /** Tokens carry the version they were issued under; bumping it revokes them all. */
  token_version: Generated<number>;
  /** Set by a password reset and for the generated first admin: every route but the change answers 403. */
  must_change_password: Generated<boolean>;
  password_changed_at: Date | null;
}

/** Logged-out tokens (sha256 of the token id), kept until they would have expired anyway. */
export interface RevokedTokensTable {
  token_hash: string;
  username: string;
  expires_at: Date;
  revoked_at: CreatedAt;
}

/** Failed logins per username as typed (known or not), for the per-account lockout. */
/** rate-limiter-flexible's PostgreSQL store (public per-address limit shared by every API process). */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** Epoch milliseconds; null: never expires. */
  expire: number | null;
}

export interface LoginThrottleTable {
  username: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

/** Who is handling a case at a step ("sedang ditangani oleh …"); valid while the case is at `step_key`. */
export interface TaskClaimsTable {
  registration_number: string;
  step_key: StepKey;
  username: string;
  claimed_at: Date;
}

export interface BlankStockTable {
  document_type: DocumentType;
  quantity: number;
  updated_at: Timestamp;
}

export interface BlankMovementsTable {
  id: Generated<number>;
  document_type: DocumentType;
  /**
   * +n added, -1 consumed by a print, recorded damaged blanks carry delta 0 (already consumed),
   * ±n a stock-taking correction (note = its reason), OPENING the balance when the ledger began.
   * The deltas of a type sum to its `blank_stock.quantity`.
   */
  delta: number;
  kind: BlankMovementKind;
  registration_number: string | null;
  idempotency_key: string;
  note: string | null;
  actor_username: string | null;
  at: Timestamp;
  /** Stock of this type right after the movement (null for rows from before the ledger). */
  balance_after: number | null;
}
export type { BlankMovementKind };

export type NotificationKind = 'APPLICANT' | 'COURIER_GROUP' | 'ESCALATION' | 'DIGEST';
export interface NotificationsTable {
  id: Generated<number>;
  idempotency_key: string;
  kind: NotificationKind;
  registration_number: string | null;
  channel: string; // 'whatsapp'
  recipient: string; // E.164, group id or role; masked by the API
  text: string;
  /** NO_RECIPIENT: nobody could be reached (a role without any active staff phone): a problem, never "sent". */
  status: NotificationStatus;
  provider: string;
  provider_message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  /** When the outbox retrier tries a FAILED row next. */
  next_attempt_at: Timestamp | null;
  /** Until when a FAILED row is retried (WA_RETRY_HOURS from its creation or its last resend). */
  retry_until: Timestamp | null;
  /** A sender's short claim on the row: nobody else sends it meanwhile. */
  locked_until: Timestamp | null;
}
export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'FAILED', 'NO_RECIPIENT'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type { DocumentKind };
export interface DocumentsTable {
  id: Generated<number>;
  registration_number: string;
  kind: DocumentKind;
  /** Distinguishes reprints (label per attempt) — 1 when unique. */
  version: number;
  storage_path: string;
  content_type: string;
  sha256: string;
  size_bytes: number;
  created_at: CreatedAt;
}

export interface SignaturesTable {
  registration_number: string;
  signer_username: string;
  signer_name: string;
  signer_role: Role;
  document_type: DocumentType;
  signed_at: Timestamp;
  /**
   * Canonical JSON that was signed (no personal data beyond the registration number). Version 2
   * (`"v":2`) also covers the signer's NIP and the approval PDF's SHA-256; while that PDF is being
   * produced, `payload` and `signature` are '' (the row records who signed and when).
   */
  payload: string;
  signature: string; // base64
  key_id: string;
  /** Copies of the v2 payload's values, for display only (verification reads the payload). */
  signer_nip: ColumnType<string | null, string | null | undefined, string | null>;
  document_sha256: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReceiptsTable {
  number: string;
  registration_number: string;
  courier_username: string;
  received_by: string;
  relationship: Relationship;
  old_card_collected: boolean | null;
  note: string | null;
  photo_path: string | null;
  /** The recipient's signature drawn on screen (PNG, encrypted under receipts/); added by 2026_12_03_0400. */
  signature_path: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: Timestamp;
}

export interface PrintJobsTable {
  id: Generated<number>;
  registration_number: string;
  attempt: number;
  document_type: DocumentType;
  status: 'PRINTED' | 'CONFIRMED' | 'FAILED';
  job_path: string;
  failure_reason: string | null;
  printed_at: Timestamp;
  confirmed_at: Timestamp | null;
}

export interface DailyRecapsTable {
  date: string; // YYYY-MM-DD (Asia/Jakarta)
  printed_count: number;
  pdf_path: string;
  csv_path: string;
  created_at: CreatedAt;
  /** SHA-256 of the archived files; set when the recap is closed (rows from before: null). */
  pdf_sha256: string | null;
  csv_sha256: string | null;
  closed_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  key: string;
  scope: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: CreatedAt;
}

export interface RegistrationCountersTable {
  date: string; // YYYYMMDD
  last_value: number;
}

/** Append-only (a trigger refuses UPDATE and DELETE): every staff read of personal data (SPEC §9). */
export interface AccessLogTable {
  id: Generated<string>;
  at: Timestamp;
  username: string;
  role: Role;
  kind: 'case' | 'attachment' | 'document' | 'search';
  registration_number: string | null;
  /** The case's step when it was read (the citizen's view says what for). */
  step_key: StepKey | null;
  detail: string | null;
  client_address: string | null;
}

/** One per case: the tracking link's token, stored as its SHA-256 and sealed (AES-256-GCM) for composing messages. */
export interface TrackingTokensTable {
  registration_number: string;
  token_hash: string;
  token_sealed: string | null;
  created_at: CreatedAt;
}

/** Fixed-window attempt counters (per case, per NIK hash, per re-send): DB-backed, shared by processes. */
export interface AttemptCountersTable {
  key: string;
  window_start: Timestamp;
  count: number;
}

/** One row per erased case: started first, completed when the personal data is gone. */
export interface ErasureLogTable {
  id: Generated<number>;
  registration_number: string;
  trigger: 'RETENTION' | 'REQUEST';
  reason: string;
  actor_username: string | null;
  started_at: Timestamp;
  completed_at: Timestamp | null;
  files_deleted: Generated<number>;
}

/** SLA rollups (migration 2026_12_03_0700): completed step runs per Jakarta day or month, step and whole counted minute; a trigger on step_runs keeps them current. */
export interface SlaStepDailyTable {
  day: ColumnType<string, string, string>; // YYYY-MM-DD (Asia/Jakarta)
  step_key: StepKey;
  minutes: number;
  runs: number;
  within_standard: number;
  with_standard: number;
}
export interface SlaStepMonthlyTable {
  month: ColumnType<string, string, string>; // first day of the month, YYYY-MM-DD
  step_key: StepKey;
  minutes: number;
  runs: number;
  within_standard: number;
  with_standard: number;
}

/** Completed runs per Jakarta day and step (migration 2026_12_04_0100), cancellations left out; kept by the same trigger. */
export interface SlaStepDayTotalsTable {
  day: ColumnType<string, string, string>; // YYYY-MM-DD (Asia/Jakarta)
  step_key: StepKey;
  runs: number;
  within_standard: number;
  with_standard: number;
}

/** Open step runs with a due time per step and UTC day of the due time (migration 2026_12_04_0101); kept by a trigger. */
export interface SlaOpenDueTable {
  step_key: StepKey;
  due_day: ColumnType<string, string, string>; // YYYY-MM-DD (UTC)
  runs: number;
}

export interface Database {
  access_log: AccessLogTable;
  tracking_tokens: TrackingTokensTable;
  attempt_counters: AttemptCountersTable;
  erasure_log: ErasureLogTable;
  cases: CasesTable;
  step_runs: StepRunsTable;
  escalations: EscalationsTable;
  case_events: CaseEventsTable;
  attachments: AttachmentsTable;
  action_inputs: ActionInputsTable;
  staff: StaffTable;
  revoked_tokens: RevokedTokensTable;
  login_throttle: LoginThrottleTable;
  rate_limits: RateLimitsTable;
  blank_stock: BlankStockTable;
  blank_movements: BlankMovementsTable;
  notifications: NotificationsTable;
  documents: DocumentsTable;
  signatures: SignaturesTable;
  receipts: ReceiptsTable;
  print_jobs: PrintJobsTable;
  daily_recaps: DailyRecapsTable;
  idempotency_keys: IdempotencyKeysTable;
  registration_counters: RegistrationCountersTable;
  sla_step_daily: SlaStepDailyTable;
  sla_step_monthly: SlaStepMonthlyTable;
  sla_step_day_totals: SlaStepDayTotalsTable;
  sla_open_due: SlaOpenDueTable;
  task_claims: TaskClaimsTable;
}

export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type StaffRow = Selectable<StaffTable>;
export type NotificationRow = Selectable<NotificationsTable>;
