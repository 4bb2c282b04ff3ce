/**
 * Messages of the case workflow, shared by the workflow (handlers) and the API (client).
 * No personal data travels here: free text typed by staff (reasons, notes, names of the
 * recipient, photos) is stored by the API in `action_inputs` and referenced by `inputId`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseStatus, DeliveryFailureReason, DocumentType, Relationship, RequestReason, Role, StepKey, WaitingForKey } from '../domain/sop.js';
import type { CasePolicy } from '../domain/policy.js';

export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

export interface CaseWorkflowInput {
  registrationNumber: string;
  documentType: DocumentType;
  reason: RequestReason;
  /** Kecamatan of delivery: a region, not a person (also a search attribute). */
  district: string;
  /** Epoch ms of the submission (step 1 completion). */
  submittedAt: number;
  /** Rules in force when the case started; a case keeps them for its whole life. */
  policy: CasePolicy;
}

export interface Actor {
  username: string;
  role: Role;
}

/** Common to every staff action. */
export interface ActionBase {
  actor: Actor;
  /** Row id in `action_inputs` holding the action's full body (free text), written by the API first. */
  inputId: string;
  /**
   * Hash of actor + action + body (patch EXCEPTIONS_PATCH): an identical action retried right after
   * it was applied (nothing else happened to the case since) gets the first answer, not a 409.
   */
  digest?: string;
}

export interface DecisionArgs extends ActionBase {
  decision: 'approve' | 'reject';
}
export interface ConfirmPrintArgs extends ActionBase {
  result: 'ok' | 'failed';
}
export type PickupArgs = ActionBase;
export interface HandoverArgs extends ActionBase {
  relationship: Relationship;
  oldCardCollected: boolean | null;
}
export type CancelArgs = ActionBase;
/** Step 6: the operator told the couriers another way (note in action_inputs). */
export type CourierNotifiedManuallyArgs = ActionBase;
/** Step 7: a failed delivery attempt (the reason code is not personal; the note stays in action_inputs). */
export interface DeliveryFailedArgs extends ActionBase {
  reason: DeliveryFailureReason;
}
/** Step 7 at the office: same facts as a handover. */
export type OfficeHandoverArgs = HandoverArgs;
/** The applicant (authenticated by NIK in the API) asks to collect the card at the office. */
export interface OfficePickupRequestArgs {
  inputId: string;
}
/** Cancellation by the applicant (authenticated by NIK in the API). */
export interface ApplicantCancelArgs {
  inputId: string;
}
export interface ResubmissionArgs {
  /** Row id in `action_inputs` (note, list of new attachment ids). */
  inputId: string;
}

/** What every accepted action answers. */
export interface ActionResult {
  registrationNumber: string;
  status: CaseStatus;
  currentStep: StepKey;
}

export interface EscalationState {
  level: number;
  role: Role;
  /** epoch ms */
  at: number;
}

export interface StepState {
  key: StepKey;
  state: 'done' | 'current' | 'pending';
  startedAt?: number;
  completedAt?: number;
  dueAt?: number;
  overdue: boolean;
  escalations: EscalationState[];
}

/** Why a current step is not moving (shown in the console and tracking). */
export type WaitingFor = WaitingForKey | null;

export interface CaseState {
  registrationNumber: string;
  documentType: DocumentType;
  reason: RequestReason;
  district: string;
  status: CaseStatus;
  currentStep: StepKey;
  /** Increments at every transition; used by the API to derive Update IDs. */
  seq: number;
  waitingFor: WaitingFor;
  steps: StepState[];
  escalationLevel: number;
  rejection?: { step: StepKey; inputId: string; at: number };
  resubmissionDueAt?: number;
  printAttempts: number;
  pickedUp: boolean;
  receiptNumber?: string;
  /** Failed delivery attempts so far (step 7). */
  deliveryAttempts?: number;
  /** When the next delivery attempt is due (after a failed one). */
  nextDeliveryDueAt?: number;
  /** The card is back at the office, waiting for the applicant. */
  atOffice?: boolean;
}

export const verifyDocumentsUpdate = defineUpdate<ActionResult, [DecisionArgs]>('verifyDocuments');
export const verifyPrintUpdate = defineUpdate<ActionResult, [DecisionArgs]>('verifyPrint');
export const approveUpdate = defineUpdate<ActionResult, [DecisionArgs]>('approve');
export const confirmPrintUpdate = defineUpdate<ActionResult, [ConfirmPrintArgs]>('confirmPrint');
export const pickupUpdate = defineUpdate<ActionResult, [PickupArgs]>('pickup');
export const handoverUpdate = defineUpdate<ActionResult, [HandoverArgs]>('handover');
export const cancelUpdate = defineUpdate<ActionResult, [CancelArgs]>('cancel');
export const applicantCancelUpdate = defineUpdate<ActionResult, [ApplicantCancelArgs]>('applicantCancel');
export const resubmitUpdate = defineUpdate<ActionResult, [ResubmissionArgs]>('resubmit');
export const courierNotifiedManuallyUpdate = defineUpdate<ActionResult, [CourierNotifiedManuallyArgs]>('courierNotifiedManually');
export const deliveryFailedUpdate = defineUpdate<ActionResult, [DeliveryFailedArgs]>('deliveryFailed');
export const officeHandoverUpdate = defineUpdate<ActionResult, [OfficeHandoverArgs]>('officeHandover');
export const requestOfficePickupUpdate = defineUpdate<ActionResult, [OfficePickupRequestArgs]>('requestOfficePickup');

/** Fire-and-forget twins of the Updates, for clients that cannot wait. */
export const verifyDocumentsSignal = defineSignal<[DecisionArgs]>('verifyDocumentsSignal');
export const verifyPrintSignal = defineSignal<[DecisionArgs]>('verifyPrintSignal');
export const approveSignal = defineSignal<[DecisionArgs]>('approveSignal');
export const confirmPrintSignal = defineSignal<[ConfirmPrintArgs]>('confirmPrintSignal');
export const pickupSignal = defineSignal<[PickupArgs]>('pickupSignal');
export const handoverSignal = defineSignal<[HandoverArgs]>('handoverSignal');
export const cancelSignal = defineSignal<[CancelArgs]>('cancelSignal');
export const resubmitSignal = defineSignal<[ResubmissionArgs]>('resubmitSignal');
export const courierNotifiedManuallySignal = defineSignal<[CourierNotifiedManuallyArgs]>('courierNotifiedManuallySignal');
export const deliveryFailedSignal = defineSignal<[DeliveryFailedArgs]>('deliveryFailedSignal');
export const officeHandoverSignal = defineSignal<[OfficeHandoverArgs]>('officeHandoverSignal');
export const requestOfficePickupSignal = defineSignal<[OfficePickupRequestArgs]>('requestOfficePickupSignal');
/** Sent by the API when the courier-group message of this case was sent by a resend: step 6 completes. */
export const courierMessageSentSignal = defineSignal<[]>('courierMessageSent');
/** Sent by the API to cases waiting in PRINTING when blank stock of their type is added. */
export const blanksAddedSignal = defineSignal<[{ documentType: DocumentType }]>('blanksAdded');

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** Error types of `ApplicationFailure`s the API maps to HTTP answers. */
export const ACTION_REJECTED = 'ActionRejected'; // 409: not valid in the current state (message in Indonesian)
export const ACTION_FORBIDDEN = 'ActionForbidden'; // 403: role may not take this action
