import type { StandardMinutes } from './sop.js';

/** The rules a case runs under, fixed when it starts (no personal data). */
export interface CasePolicy {
  standardMinutes: StandardMinutes;
  slaClock: 'office' | 'wall';
  holidays: readonly string[];
  resubmissionDays: number;
  /** Failed deliveries before the card goes back to the office (absent in cases started before it existed: 3). */
  maxDeliveryAttempts?: number;
}
