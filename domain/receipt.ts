/** The receipt (tanda terima) number of a case: pure, so the workflow and the activities derive the same one. */
export function receiptNumberOf(registrationNumber: string): string {
  // One receipt per case: its number is derived from the registration number, so a retry reuses it.
  return `TT-${registrationNumber.replace(/^BP-/, '')}`;
}
