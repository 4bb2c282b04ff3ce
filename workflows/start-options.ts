/** Start options of a case workflow (pure: used by the API and the sweeper). No personal data. */
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { DOCUMENT_TYPE_LABELS, REQUEST_REASON_LABELS, TASK_QUEUE } from '../domain/sop.js';
import type { CaseWorkflowInput } from './messages.js';
import { BecakDistrict, BecakDocumentType, BecakEscalationLevel, BecakOverdue, BecakStatus, BecakStep } from './search-attributes.js';

/** Memo key: which submission a workflow belongs to (checked when a start finds the ID taken). */
export const CASE_MEMO_SUBMITTED_AT = 'submittedAt';

/** The console's page of a case (the Web UI's workflow details link back to it). */
export function consoleCaseUrl(publicBaseUrl: string, registrationNumber: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/#/kasus/${encodeURIComponent(registrationNumber)}`;
}

/**
 * `links.publicBaseUrl`: the console's address; the workflow's summary and details (shown first in
 * the Temporal Web UI, in Indonesian) then carry the link to the case in the console.
 */
export function caseWorkflowStartOptions(input: CaseWorkflowInput, links: { publicBaseUrl?: string } = {}) {
  const doc = DOCUMENT_TYPE_LABELS[input.documentType];
  const consoleLink = links.publicBaseUrl ? consoleCaseUrl(links.publicBaseUrl, input.registrationNumber) : null;
  return {
    workflowId: input.registrationNumber,
    taskQueue: TASK_QUEUE,
    args: [input] as [CaseWorkflowInput],
    // A registration number names one case forever: never start a second run under it.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { [CASE_MEMO_SUBMITTED_AT]: input.submittedAt },
    typedSearchAttributes: [
      { key: BecakStep, value: 'DOCUMENT_VERIFICATION' },
      { key: BecakStatus, value: 'IN_PROGRESS' },
      { key: BecakOverdue, value: false },
      { key: BecakEscalationLevel, value: 0 },
      { key: BecakDocumentType, value: input.documentType },
      { key: BecakDistrict, value: input.district },
    ],
    staticSummary: `${doc} ${input.registrationNumber} — Kec. ${input.district}${consoleLink ? ` — konsol: ${consoleLink}` : ''}`,
    staticDetails: [
      `**Permohonan ${input.registrationNumber}**`,
      '',
      `- Dokumen: ${doc}`,
      `- Alasan: ${REQUEST_REASON_LABELS[input.reason]}`,
      `- Kecamatan: ${input.district}`,
      `- Jam SLA: ${input.policy.slaClock === 'office' ? 'jam kerja kantor' : 'waktu berjalan'}`,
      `- Batas perbaikan berkas: ${input.policy.resubmissionDays} hari`,
      ...(consoleLink ? ['', `[Buka permohonan ini di konsol Becak Pintar](${consoleLink})`] : []),
    ].join('\n'),
  };
}
