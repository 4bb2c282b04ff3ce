/** Schemas of task claims (POST /api/claims/{regNo}, …/release). */
import { z } from 'zod';
import { claimSchema } from '../tasks/schemas.js';

export const claimBodySchema = z
  .object({
    takeOver: z
      .boolean({ error: 'Isian ambil alih harus ya/tidak' })
      .optional()
      .meta({ title: 'Ambil alih', description: 'true: ambil alih tugas yang sedang ditangani petugas lain (peran yang sama)' }),
  })
  .strict();

export const claimResponseSchema = z
  .object({
    registrationNumber: z.string(),
    claim: claimSchema.nullable(),
    /** Who held it before a take-over. */
    takenOverFrom: z.string().nullable().optional(),
  })
  .meta({ id: 'ClaimAnswer' });
