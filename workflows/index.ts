/** Everything the worker's workflow bundle exposes. */
export { caseWorkflow } from './case.js';
export { overdueDigestWorkflow, dailyRecapWorkflow } from './schedules.js';
