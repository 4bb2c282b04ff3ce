/**
 * A single outbox message sent outside a case workflow (e.g. the registration number re-sent after
 * a duplicate submission): the workflow carries only the notification id; the activity reads the
 * recipient and text from the outbox row and retries the provider.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 30 },
});

export interface OutboxMessageInput {
  notificationId: number;
}

export async function outboxMessageWorkflow(input: OutboxMessageInput): Promise<void> {
  await acts.sendNotification({ notificationId: input.notificationId });
}
