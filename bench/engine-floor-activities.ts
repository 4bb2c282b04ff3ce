/**
 * The engine-floor run's activities: the case workflow's own activity names and answers, with no
 * database, files, PDFs or messages behind them. What is left is what Temporal and the workflow
 * code cost for one case (its timers, upserts, local activities and markers), free of our API.
 */
import type { Activities } from '../activities/index.js';
import { receiptNumberOf } from '../domain/receipt.js';

type Used =
  | 'recordTransition'
  | 'recordAction'
  | 'notifyApplicant'
  | 'notifyEscalation'
  | 'renderApprovalDocument'
  | 'printCardAndRecord'
  | 'notifyCourierGroup'
  | 'renderReceiptDocument'
  | 'archiveAndRecord';

export function createEngineFloorActivities(): Pick<Activities, Used> {
  return {
    async recordTransition() {},
    async recordAction() {},
    async notifyApplicant() {},
    async notifyEscalation() {
      return { recipients: 0 };
    },
    async renderApprovalDocument() {},
    // Blanks never run out here: the print always succeeds, as in the bench's stocked service.
    async printCardAndRecord(o) {
      return { status: 'PRINTED', jobPath: `floor/${o.registrationNumber}/${o.attempt}` };
    },
    async notifyCourierGroup() {},
    async renderReceiptDocument() {},
    async archiveAndRecord(o) {
      return { path: `floor/${receiptNumberOf(o.registrationNumber)}.json`, sha256: '0'.repeat(64) };
    },
  };
}
