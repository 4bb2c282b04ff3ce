/** Schemas of the task list (GET /api/tasks). */
import { z } from 'zod';
import { DOCUMENT_TYPES, STEP_KEYS } from '../../domain/sop.js';
import { GROBOGAN_DISTRICTS } from '../../domain/citizen.js';
import { BULK_ACTIONS, TASK_CLAIM_FILTERS, TASK_SORTS } from '../../domain/task-list.js';
import { caseListItemSchema } from '../schemas.js';

const boolQuery = z.enum(['true', 'false'], { error: 'Nilai harus true atau false' }).transform((v) => v === 'true');

export const tasksQuerySchema = z
  .object({
    step: z.enum(STEP_KEYS, { error: 'Tahap tidak dikenal' }).optional().meta({ description: 'Hanya tahap ini' }),
    district: z.enum(GROBOGAN_DISTRICTS, { error: 'Kecamatan tidak dikenal' }).optional().meta({ description: 'Hanya kecamatan ini' }),
    documentType: z.enum(DOCUMENT_TYPES, { error: 'Jenis dokumen harus KTP_EL atau KIA' }).optional(),
    overdue: boolQuery.optional().meta({ description: 'true: hanya yang terlambat; false: hanya yang belum terlambat' }),
    claim: z.enum(TASK_CLAIM_FILTERS, { error: 'Filter penanganan tidak dikenal' }).default('all').meta({ description: 'mine: sedang saya tangani; free: belum ditangani; others: ditangani petugas lain' }),
    sort: z.enum(TASK_SORTS, { error: 'Urutan tidak dikenal' }).default('urgency').meta({ description: 'urgency (bawaan): terlambat dulu lalu batas waktu terdekat' }),
    limit: z.coerce.number({ error: 'Batas harus angka' }).int().min(1, { error: 'Batas minimal 1' }).max(500, { error: 'Batas maksimal 500' }).default(200),
  })
  .strict();

export const claimSchema = z
  .object({
    username: z.string(),
    name: z.string().describe("The holder's name (staff)"),
    claimedAt: z.string(),
    mine: z.boolean(),
    note: z.string().describe('"Sedang ditangani oleh …"'),
  })
  .meta({ id: 'TaskClaim' });

export const taskItemSchema = caseListItemSchema.extend({ claim: claimSchema.nullable() });

export const tasksResponseSchema = z
  .object({
    items: z.array(taskItemSchema),
    truncated: z.boolean().describe('More tasks match than `limit`'),
    bulkActions: z
      .array(z.object({ action: z.enum(BULK_ACTIONS), title: z.string(), step: z.enum(STEP_KEYS), verb: z.string(), needsPassphrase: z.boolean() }))
      .describe('Decisions the caller may take for several selected tasks at once (POST /api/bulk/decisions)'),
  })
  .meta({ id: 'TaskList' });
