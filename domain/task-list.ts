/**
 * The task list of a working day (issue #14 item 2), as pure rules: which cases are a role's
 * tasks, the sort orders, who may claim a task, which decisions may be taken in bulk and what
 * the kabid's signature states. The API (`api/tasks`, `api/claims`, `api/bulk`) and the console
 * (through `/js/domain.js`) use these; never re-type them.
 */
import {
  ACTION_RULES,
  DOCUMENT_TYPE_LABELS,
  REQUEST_REASON_LABELS,
  ROLE_LABELS,
  SOP_STEPS,
  TASK_WAITING_EXCLUDED,
  TASK_WAITING_EXTRA,
  type ActionName,
  type CaseStatus,
  type DocumentType,
  type RequestReason,
  type Role,
  type StepKey,
} from './sop.js';

/** Sort orders of the task list. `urgency`: overdue first, then the nearest due time (the default). */
export const TASK_SORTS = ['urgency', 'due', 'oldest', 'newest', 'district'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const TASK_SORT_LABELS: Readonly<Record<TaskSort, string>> = {
  urgency: 'Paling mendesak dulu',
  due: 'Batas waktu terdekat',
  oldest: 'Pengajuan terlama',
  newest: 'Pengajuan terbaru',
  district: 'Kecamatan (A–Z)',
};

/** Claim filter of the task list. */
export const TASK_CLAIM_FILTERS = ['all', 'mine', 'free', 'others'] as const;
export type TaskClaimFilter = (typeof TASK_CLAIM_FILTERS)[number];
export const TASK_CLAIM_FILTER_LABELS: Readonly<Record<TaskClaimFilter, string>> = {
  all: 'Semua',
  mine: 'Sedang saya tangani',
  free: 'Belum ditangani siapa pun',
  others: 'Ditangani petugas lain',
};

/** The steps whose tasks belong to a role (the steps it acts in). */
export function taskStepsOf(role: Role): StepKey[] {
  return SOP_STEPS.filter((s) => s.actor === role).map((s) => s.key);
}

/** Whether an open case is one of the role's tasks (the same rule as the task list's query). */
export function isTaskOf(role: Role, c: { status: CaseStatus; currentStep: StepKey; waitingFor: string | null }): boolean {
  if (c.status !== 'IN_PROGRESS') return false;
  if (c.waitingFor && (TASK_WAITING_EXTRA[role] ?? []).includes(c.waitingFor as never)) return true;
  if (!taskStepsOf(role).includes(c.currentStep)) return false;
  return !(c.waitingFor && (TASK_WAITING_EXCLUDED[role] ?? []).includes(c.waitingFor as never));
}

/** A claim is live while the case is still at the claimed step (a decision moves it on). */
export function claimIsLive(claim: { stepKey: StepKey }, c: { status: CaseStatus; currentStep: StepKey }): boolean {
  return c.status === 'IN_PROGRESS' && c.currentStep === claim.stepKey;
}

/** "Sedang ditangani oleh Siti" */
export function claimNote(holderName: string): string {
  return `Sedang ditangani oleh ${holderName}`;
}

/** Decisions that may be taken for several cases at once: the one-minute steps 3 and 4 (approval only). */
export const BULK_ACTIONS = ['verify-print', 'approve'] as const satisfies readonly ActionName[];
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** The most cases one bulk decision may carry. */
export const BULK_MAX_CASES = 50;
/** Actions that put the signer's electronic signature (TTE) on the case: the password is asked again as the passphrase. */
export const PASSPHRASE_ACTIONS: readonly ActionName[] = ['approve'];

export interface BulkActionInfo {
  action: BulkAction;
  title: string;
  step: StepKey;
  /** What the confirm button says. */
  verb: string;
  needsPassphrase: boolean;
}

const BULK_VERBS: Readonly<Record<BulkAction, string>> = {
  'verify-print': 'Setujui verifikasi cetak',
  approve: 'Setujui dan tandatangani (TTE)',
};

/** The bulk decisions a role may take (the console offers these on the task list). */
export function bulkActionsOf(role: Role): BulkActionInfo[] {
  return BULK_ACTIONS.filter((a) => ACTION_RULES[a].roles.includes(role)).map((a) => ({
    action: a,
    title: ACTION_RULES[a].title,
    step: ACTION_RULES[a].steps[0]!,
    verb: BULK_VERBS[a],
    needsPassphrase: PASSPHRASE_ACTIONS.includes(a),
  }));
}

/** Outcome of one case in a bulk decision. */
export const BULK_OUTCOMES = ['done', 'skipped', 'failed'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];
export const BULK_OUTCOME_LABELS: Readonly<Record<BulkOutcome, string>> = { done: 'Berhasil', skipped: 'Dilewati', failed: 'Gagal' };

/** "5 berhasil, 1 dilewati, 1 gagal" */
export function bulkSummaryText(counts: Readonly<Record<BulkOutcome, number>>): string {
  const parts = [`${counts.done} berhasil`];
  if (counts.skipped) parts.push(`${counts.skipped} dilewati`);
  if (counts.failed) parts.push(`${counts.failed} gagal`);
  return parts.join(', ');
}

/** What the kabid's electronic signature states for one case: shown before signing, the same facts the approval letter prints. */
export interface ApprovalStatementInput {
  registrationNumber: string;
  documentType: DocumentType;
  /** Null when the viewer may not see it (the statement leaves it out). */
  reason: RequestReason | null;
  holderName: string | null;
  holderNikMasked: string | null;
  signer: { name: string; role: Role; nip: string | null };
}

export function approvalStatement(p: ApprovalStatementInput): string {
  const holder = p.holderName ? ` atas nama ${p.holderName}${p.holderNikMasked ? ` (NIK ${p.holderNikMasked})` : ''}` : '';
  const nip = p.signer.nip ? `, NIP ${p.signer.nip}` : '';
  return (
    `Saya, ${p.signer.name} (${ROLE_LABELS[p.signer.role]}${nip}), menyetujui pencetakan ${DOCUMENT_TYPE_LABELS[p.documentType]}${holder}, ` +
    `nomor registrasi ${p.registrationNumber}${p.reason ? `, alasan permohonan: ${REQUEST_REASON_LABELS[p.reason].toLowerCase()}` : ''}, ` +
    'dan membubuhkan tanda tangan elektronik pada surat persetujuan.'
  );
}
