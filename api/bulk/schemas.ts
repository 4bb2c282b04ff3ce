/** Schemas of bulk decisions (POST /api/bulk/decisions) and the signature preview. */
import { z } from 'zod';
import { CASE_STATUSES, DOCUMENT_TYPES, ROLES, STEP_KEYS } from '../../domain/sop.js';
import { REGISTRATION_NUMBER_RE } from '../../domain/citizen.js';
import { BULK_ACTIONS, BULK_MAX_CASES, BULK_OUTCOMES } from '../../domain/task-list.js';

const regNo = z.string({ error: 'Nomor registrasi harus berupa teks' }).regex(REGISTRATION_NUMBER_RE, { error: 'Nomor registrasi tidak valid (BP-YYYYMMDD-NNNNN)' });

export const bulkDecisionBodySchema = z
  .object({
    action: z.enum(BULK_ACTIONS, { error: 'Keputusan sekaligus hanya untuk verifikasi cetak (verify-print) dan persetujuan (approve)' }).meta({ title: 'Tindakan' }),
    registrationNumbers: z
      .array(regNo, { error: 'Pilih permohonan yang akan diputuskan' })
      .min(1, { error: 'Pilih paling sedikit satu permohonan' })
      .max(BULK_MAX_CASES, { error: `Paling banyak ${BULK_MAX_CASES} permohonan sekaligus` })
      .refine((a) => new Set(a).size === a.length, { error: 'Ada nomor registrasi yang dipilih dua kali' })
      .meta({ title: 'Permohonan', description: `1–${BULK_MAX_CASES} nomor registrasi` }),
    passphrase: z
      .string({ error: 'Frasa sandi harus berupa teks' })
      .max(200, { error: 'Frasa sandi terlalu panjang' })
      .optional()
      .meta({ title: 'Frasa sandi TTE', description: 'Wajib untuk persetujuan (approve): kata sandi akun Anda, diperiksa ulang sebelum menandatangani', writeOnly: true }),
  })
  .strict();

export const bulkDecisionResponseSchema = z
  .object({
    action: z.enum(BULK_ACTIONS),
    summary: z.object({ done: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
    summaryText: z.string().describe('"5 berhasil, 1 gagal"'),
    items: z.array(
      z.object({
        registrationNumber: z.string(),
        outcome: z.enum(BULK_OUTCOMES),
        message: z.string().describe('Plain Indonesian: what happened to this case'),
        status: z.enum(CASE_STATUSES).optional(),
        currentStep: z.enum(STEP_KEYS).optional(),
      }),
    ),
  })
  .meta({ id: 'BulkDecisionResult' });

export const approvalPreviewQuerySchema = z
  .object({
    registrationNumbers: z
      .string({ error: 'Isi nomor registrasi, dipisah koma' })
      .max(BULK_MAX_CASES * 20)
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(regNo).min(1, { error: 'Isi paling sedikit satu nomor registrasi' }).max(BULK_MAX_CASES, { error: `Paling banyak ${BULK_MAX_CASES} permohonan` }))
      .meta({ description: 'Nomor registrasi dipisah koma' }),
  })
  .strict();

export const approvalPreviewSchema = z
  .object({
    signer: z.object({ name: z.string(), role: z.enum(ROLES), roleLabel: z.string(), nip: z.string().nullable() }),
    items: z.array(
      z.object({
        registrationNumber: z.string(),
        found: z.boolean(),
        atApproval: z.boolean().describe('Whether the case waits for this approval now'),
        documentType: z.enum(DOCUMENT_TYPES).optional(),
        holderName: z.string().optional().describe('Only when the access policy lets the caller see it'),
        statement: z.string().optional().describe('What the signature states, in Indonesian'),
      }),
    ),
  })
  .meta({ id: 'ApprovalPreview' });
