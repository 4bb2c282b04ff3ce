/**
 * The rules and labels the citizen's browser uses, from the same files the server uses. Bundled
 * once at server start (esbuild, in memory) and served as `/js/domain.js`.
 */
export * from './application-form.js';
export { formatIndonesianDate, formatIndonesianDateTime, formatIndonesianDateWithDay, indonesianDateTime } from './indonesian-date.js';
export { jakartaDateString, normalizeIndonesianMobile } from './citizen.js';
export { CITIZEN_STEP_LABELS, DOCUMENT_TYPE_LABELS, REQUEST_REASON_LABELS, CASE_STATUS_LABELS, SOP_STEPS } from './sop.js';
export { REJECTION_REASONS, MAX_REJECTION_REASON_CODES, DESK_STEPS, isDeskStep, rejectionReasonsFor, composeRejectionText, checklistFor } from './verification.js';
export { REASON_MIN_LENGTH, REASON_MAX_LENGTH } from './sop.js';
export { formatDuration, describeDue, formatNearTime, escalationText, SLA_CLOCK_LABELS, OFFICE_DAY_MINUTES } from './human-time.js';
export { createSlaClock } from './calendar.js';
export { deliveryLinks, addressLine } from './courier-route.js';
export { TASK_SORT_LABELS, TASK_CLAIM_FILTER_LABELS, BULK_OUTCOME_LABELS } from './task-list.js';
