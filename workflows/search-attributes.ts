/** Custom search attributes (SPEC §5) for supervisors in the Temporal Web UI. No personal data. */
import { defineSearchAttributeKey } from '@temporalio/common';

export const BecakStep = defineSearchAttributeKey('BecakStep', 'KEYWORD');
export const BecakStatus = defineSearchAttributeKey('BecakStatus', 'KEYWORD');
export const BecakOverdue = defineSearchAttributeKey('BecakOverdue', 'BOOL');
export const BecakEscalationLevel = defineSearchAttributeKey('BecakEscalationLevel', 'INT');
export const BecakDocumentType = defineSearchAttributeKey('BecakDocumentType', 'KEYWORD');
export const BecakDistrict = defineSearchAttributeKey('BecakDistrict', 'KEYWORD');
export const BecakStepDueAt = defineSearchAttributeKey('BecakStepDueAt', 'DATETIME');

export const SEARCH_ATTRIBUTES = [
  BecakStep,
  BecakStatus,
  BecakOverdue,
  BecakEscalationLevel,
  BecakDocumentType,
  BecakDistrict,
  BecakStepDueAt,
] as const;

/** `--search-attribute KEY=TYPE` values for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  const cliType = { KEYWORD: 'Keyword', BOOL: 'Bool', INT: 'Int', DATETIME: 'Datetime' } as const;
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${cliType[k.type as keyof typeof cliType]}`]);
}
