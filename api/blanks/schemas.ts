/** Request and response schemas of the blank-stock ledger routes (`/api/blanks…`). */
import { z } from 'zod';
import { DOCUMENT_TYPES, DOCUMENT_TYPE_LABELS } from '../../domain/sop.js';
import { BLANK_MOVEMENT_KINDS } from '../../domain/blanks.js';
import { isoDate } from '../schemas.js';

// "KTP_EL = KTP-el, KIA = KIA": the console's form renderer shows these labels on the options, not the codes.
const documentType = z
  .enum(DOCUMENT_TYPES, { error: 'Jenis dokumen harus KTP_EL atau KIA' })
  .meta({ title: 'Jenis blangko', description: DOCUMENT_TYPES.map((t) => `${t} = ${DOCUMENT_TYPE_LABELS[t]}`).join(', ') });

export const blanksQuerySchema = z
  .object({
    documentType: documentType.optional(),
    limit: z.coerce.number({ error: 'Batas harus berupa angka' }).int().min(1, { error: 'Batas minimal 1' }).max(500, { error: 'Batas maksimal 500' }).default(50),
  })
  .strict();

export const blankMovementSchema = z
  .object({
    id: z.number().int(),
    documentType: z.enum(DOCUMENT_TYPES),
    kind: z.enum(BLANK_MOVEMENT_KINDS),
    kindLabel: z.string(),
    delta: z.number().int(),
    balanceAfter: z.number().int().nullable(),
    registrationNumber: z.string().nullable(),
    note: z.string().nullable().describe('Reason of a correction, reason of a damaged blank, note of an addition'),
    actorUsername: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'BlankMovement' });

export const blanksLedgerSchema = z
  .object({
    items: z.array(
      z.object({
        documentType: z.enum(DOCUMENT_TYPES),
        quantity: z.number().int(),
        updatedAt: z.string(),
        low: z.boolean().describe('Below the low-stock threshold'),
      }),
    ),
    lowStockThreshold: z.number().int(),
    movements: z.array(blankMovementSchema).describe('Most recent first'),
  })
  .meta({ id: 'BlankLedger' });

export const blanksAddedSchema = blanksLedgerSchema
  .extend({ resumed: z.number().int().describe('Cases waiting for blanks of this type that were told to try again') })
  .meta({ id: 'BlankStockAdded' });

export const adjustmentSchema = z
  .object({
    documentType,
    delta: z
      .number({ error: 'Selisih harus berupa angka' })
      .int({ error: 'Selisih harus bilangan bulat' })
      .min(-100_000, { error: 'Selisih minimal -100000' })
      .max(100_000, { error: 'Selisih maksimal 100000' })
      .refine((v) => v !== 0, { error: 'Selisih tidak boleh nol' })
      .meta({ title: 'Selisih (negatif bila stok fisik lebih sedikit)' }),
    reason: z
      .string({ error: 'Alasan wajib diisi' })
      .trim()
      .min(5, { error: 'Alasan minimal 5 karakter' })
      .max(500, { error: 'Alasan maksimal 500 karakter' })
      .meta({ title: 'Alasan koreksi (hasil stok opname)' }),
  })
  .strict()
  .meta({ id: 'BlankAdjustmentRequest', title: 'Koreksi stok blangko' });

export const adjustmentResponseSchema = blanksAddedSchema.extend({ movement: blankMovementSchema }).meta({ id: 'BlankAdjusted' });

export const damagedReportQuerySchema = z.object({ from: isoDate, to: isoDate }).strict();
