/** Everything the worker's workflow bundle exposes. */
export { caseWorkflow } from './case.js';
export { overdueDigestWorkflow, dailyRecapWorkflow, retentionWorkflow } from './schedules.js';
export { outboxMessageWorkflow } from './notifications.js';
