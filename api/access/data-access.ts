/**
 * The citizen's view of the access log: which staff roles read their data, and when (SPEC §4
 * tracking answers, §9). Role, never the staff member's name. Used by POST /api/tracking and by
 * the token route (GET /api/tracking/{token}).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { ACCESS_KINDS, ACCESS_KIND_LABELS, ACCESS_PURPOSE_LABELS, type AccessKind } from '../../domain/access-policy.js';
import { ROLES, ROLE_LABELS, STEP_KEYS, type Role, type StepKey } from '../../domain/sop.js';
import { accessLogOfCase } from '../../db/repositories/access-log.js';

export const dataAccessItemSchema = z
  .object({
    role: z.enum(ROLES),
    roleLabel: z.string().describe('The role in Indonesian, e.g. "Operator"'),
    kind: z.enum(ACCESS_KINDS).describe('case, attachment, document or search'),
    kindLabel: z.string(),
    at: z.string(),
    step: z.enum(STEP_KEYS).nullable().describe('The case step when it was read'),
    purpose: z.string().nullable().describe('What for, in Indonesian, from the step: e.g. "verifikasi dokumen"'),
  })
  .meta({ id: 'DataAccess' });
export const dataAccessSchema = z.array(dataAccessItemSchema);
export type DataAccessItem = z.infer<typeof dataAccessItemSchema>;

/** Which staff roles read this case's personal data, oldest first (the latest 200 reads). */
export async function dataAccessFor(db: Kysely<Database>, registrationNumber: string): Promise<DataAccessItem[]> {
  return dataAccessItems(await accessLogOfCase(db, registrationNumber));
}

/** Access-log rows (oldest first) as the citizen sees them. */
export function dataAccessItems(rows: ReadonlyArray<{ role: string; kind: string; at: Date | string; step_key: StepKey | null }>): DataAccessItem[] {
  return rows.map((r) => ({
    role: r.role as Role,
    roleLabel: ROLE_LABELS[r.role as Role] ?? r.role,
    kind: r.kind as AccessKind,
    kindLabel: ACCESS_KIND_LABELS[r.kind as AccessKind] ?? r.kind,
    at: new Date(r.at).toISOString(),
    step: r.step_key ?? null,
    purpose: r.step_key ? ACCESS_PURPOSE_LABELS[r.step_key] : null,
  }));
}
