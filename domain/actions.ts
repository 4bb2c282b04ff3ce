/**
 * Bodies of the staff actions of SPEC §4, as zod schemas: the API validates with them, the
 * OpenAPI document and `/api/forms` are generated from them (titles and descriptions are the
 * console's Indonesian labels). Pure code.
 */
import { z } from 'zod';
import { ACTION_NAMES, DELIVERY_FAILURE_REASONS, RELATIONSHIPS, REASON_MAX_LENGTH, REASON_MIN_LENGTH, type ActionName, type RequestReason } from './sop.js';
import { MAX_REJECTION_REASON_CODES, REJECTION_REASON_CODES } from './verification.js';
import { MAX_ATTACHMENT_BYTES, base64DecodedSize, detectBase64ContentType, isBase64, stripBase64 } from './citizen.js';

const reasonText = z
  .string({ error: 'Alasan harus berupa teks' })
  .trim()
  .min(REASON_MIN_LENGTH, { error: `Alasan minimal ${REASON_MIN_LENGTH} karakter` })
  .max(REASON_MAX_LENGTH, { error: `Alasan maksimal ${REASON_MAX_LENGTH} karakter` });

const optionalNote = z
  .string({ error: 'Catatan harus berupa teks' })
  .trim()
  .max(REASON_MAX_LENGTH, { error: `Catatan maksimal ${REASON_MAX_LENGTH} karakter` })
  .optional()
  .meta({ title: 'Catatan', description: 'Opsional' });

const personName = (title: string) =>
  z
    .string({ error: `${title} harus diisi` })
    .trim()
    .min(2, { error: `${title} minimal 2 karakter` })
    .max(100, { error: `${title} maksimal 100 karakter` })
    .meta({ title });

/** Steps 2–4: approve, or reject with a reason (10–500 characters). */
export const decisionBodySchema = z
  .object({
    decision: z
      .enum(['approve', 'reject'], { error: 'Keputusan harus "approve" (setujui) atau "reject" (tolak)' })
      .meta({ title: 'Keputusan', description: 'approve = setujui, reject = tolak' }),
    reason: reasonText
      .optional()
      .meta({ title: 'Alasan', description: `Wajib bila ditolak (${REASON_MIN_LENGTH}–${REASON_MAX_LENGTH} karakter); disampaikan ke pemohon` }),
    // The office's standard reasons (domain/verification.ts) chosen for a rejection, stored with
    // the decision; the citizen reads `reason`, which the desk fills from their texts.
    reasonCodes: z
      .array(z.enum(REJECTION_REASON_CODES, { error: 'Alasan baku tidak dikenal' }))
      .max(MAX_REJECTION_REASON_CODES, { error: `Paling banyak ${MAX_REJECTION_REASON_CODES} alasan baku` })
      .optional()
      .meta({ title: 'Alasan baku', description: 'Kode alasan penolakan baku; hanya bila ditolak' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.decision === 'reject' && !body.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Alasan penolakan wajib diisi (10–500 karakter)' });
    }
    if (body.decision === 'approve' && body.reasonCodes?.length) {
      ctx.addIssue({ code: 'custom', path: ['reasonCodes'], message: 'Alasan baku hanya untuk penolakan' });
    }
  });
export type DecisionBody = z.infer<typeof decisionBodySchema>;

/**
 * Step 4: the kabid's decision. Approving puts the electronic signature (TTE) on the case, so the
 * account password is asked again as the signing passphrase (checked by the API, never stored).
 */
export const approveBodySchema = decisionBodySchema.safeExtend({
  passphrase: z
    .string({ error: 'Frasa sandi harus berupa teks' })
    .max(200, { error: 'Frasa sandi terlalu panjang' })
    .optional()
    .meta({ title: 'Frasa sandi TTE', description: 'Kata sandi akun Anda, diminta lagi sebelum menandatangani', writeOnly: true }),
});

/** Step 5: the operator confirms the physical print. */
export const confirmPrintBodySchema = z
  .object({
    result: z
      .enum(['ok', 'failed'], { error: 'Hasil cetak harus "ok" atau "failed"' })
      .meta({ title: 'Hasil cetak', description: 'ok = tercetak baik, failed = gagal (blangko rusak, dicetak ulang)' }),
    reason: reasonText.optional().meta({ title: 'Alasan', description: 'Wajib bila cetak gagal' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.result === 'failed' && !body.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Alasan kegagalan cetak wajib diisi (10–500 karakter)' });
    }
  });
export type ConfirmPrintBody = z.infer<typeof confirmPrintBodySchema>;

/** Step 7 (optional): the courier picks the card up at the office. */
export const pickupBodySchema = z
  .object({
    courierName: personName('Nama kurir'),
    note: optionalNote,
  })
  .strict();
export type PickupBody = z.infer<typeof pickupBodySchema>;

export const RELATIONSHIP_LABELS = { SELF: 'Yang bersangkutan', FAMILY: 'Keluarga', OTHER: 'Lainnya' } as const;

/** A JPEG or PNG photo in base64 (optional `data:` prefix), at most 2 MiB decoded. */
export const photoBase64Schema = z
  .string({ error: 'Foto harus berupa teks base64' })
  .superRefine((raw, ctx) => {
    const b64 = stripBase64(raw);
    if (!isBase64(b64) || b64.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Foto bukan base64 yang valid' });
      return;
    }
    if (base64DecodedSize(b64) > MAX_ATTACHMENT_BYTES) {
      ctx.addIssue({ code: 'custom', message: 'Foto paling besar 2 MB' });
      return;
    }
    const type = detectBase64ContentType(b64);
    if (type !== 'image/jpeg' && type !== 'image/png') ctx.addIssue({ code: 'custom', message: 'Foto harus berformat JPEG atau PNG' });
  })
  .meta({ title: 'Foto penyerahan', description: 'Opsional; foto JPEG atau PNG, paling besar 2 MB', contentEncoding: 'base64' });

/** The drawn signature is a small PNG (a 2x phone canvas is well under 100 KB). */
export const MAX_SIGNATURE_BYTES = 256 * 1024;

/** The recipient's signature drawn on the courier's screen: a PNG in base64 (optional `data:` prefix). */
export const signaturePngSchema = z
  .string({ error: 'Tanda tangan harus berupa gambar' })
  .superRefine((raw, ctx) => {
    const b64 = stripBase64(raw);
    if (!isBase64(b64) || b64.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Tanda tangan tidak terbaca; minta penerima menandatangani lagi' });
      return;
    }
    if (base64DecodedSize(b64) > MAX_SIGNATURE_BYTES) {
      ctx.addIssue({ code: 'custom', message: 'Gambar tanda tangan terlalu besar (paling besar 256 KB)' });
      return;
    }
    if (detectBase64ContentType(b64) !== 'image/png') ctx.addIssue({ code: 'custom', message: 'Tanda tangan harus berupa gambar PNG' });
  })
  .meta({
    title: 'Tanda tangan penerima',
    description: 'Digambar oleh penerima di layar ponsel kurir (PNG)',
    contentEncoding: 'base64',
    contentMediaType: 'image/png',
  });

/** Step 7: the courier hands the card over and a receipt is issued. */
export const handoverBodySchema = z
  .object({
    receivedBy: personName('Nama penerima'),
    relationship: z
      .enum(RELATIONSHIPS, { error: 'Hubungan penerima harus SELF, FAMILY atau OTHER' })
      .meta({ title: 'Hubungan dengan pemohon', description: 'SELF = yang bersangkutan, FAMILY = keluarga, OTHER = lainnya' }),
    oldCardCollected: z
      .boolean({ error: 'Isian kartu lama harus ya/tidak' })
      .optional()
      .meta({ title: 'Kartu lama ditarik', description: 'Wajib untuk permohonan karena rusak atau perubahan data' }),
    note: optionalNote,
    photoBase64: photoBase64Schema.optional(),
    signaturePng: signaturePngSchema.optional(),
  })
  .strict();
export type HandoverBody = z.infer<typeof handoverBodySchema>;

/** Whether a handover must state if the old card was collected (it must for DAMAGED and DATA_CHANGE). */
export function oldCardRequired(reason: RequestReason): boolean {
  return reason === 'DAMAGED' || reason === 'DATA_CHANGE';
}

/** Cancellation by kadis or admin. */
export const cancelBodySchema = z
  .object({
    reason: reasonText.meta({ title: 'Alasan pembatalan', description: `${REASON_MIN_LENGTH}–${REASON_MAX_LENGTH} karakter` }),
  })
  .strict();
export type CancelBody = z.infer<typeof cancelBodySchema>;

/** Step 7: a delivery attempt failed; the courier tries again on a later office day. */
export const deliveryFailedBodySchema = z
  .object({
    reason: z
      .enum(DELIVERY_FAILURE_REASONS, { error: 'Alasan harus NOT_HOME, WRONG_ADDRESS, REFUSED, UNREACHABLE atau OTHER' })
      .meta({
        title: 'Alasan gagal antar',
        description: 'NOT_HOME = tidak ada orang di rumah, WRONG_ADDRESS = alamat salah/tidak ditemukan, REFUSED = ditolak penerima, UNREACHABLE = lokasi tidak terjangkau, OTHER = lainnya',
      }),
    note: optionalNote,
  })
  .strict();
export type DeliveryFailedBody = z.infer<typeof deliveryFailedBodySchema>;

/** Step 6: the operator told the couriers another way (the group message did not go out). */
export const courierNotifiedManuallyBodySchema = z
  .object({
    note: reasonText.meta({ title: 'Keterangan', description: `Bagaimana ekspedisi diberi tahu (${REASON_MIN_LENGTH}–${REASON_MAX_LENGTH} karakter)` }),
  })
  .strict();
export type CourierNotifiedManuallyBody = z.infer<typeof courierNotifiedManuallyBodySchema>;

export const ACTION_BODY_SCHEMAS = {
  'verify-documents': decisionBodySchema,
  'verify-print': decisionBodySchema,
  approve: approveBodySchema,
  'confirm-print': confirmPrintBodySchema,
  pickup: pickupBodySchema,
  handover: handoverBodySchema,
  'courier-notified-manually': courierNotifiedManuallyBodySchema,
  'delivery-failed': deliveryFailedBodySchema,
  'office-handover': handoverBodySchema,
  cancel: cancelBodySchema,
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionBody<A extends ActionName> = z.infer<(typeof ACTION_BODY_SCHEMAS)[A]>;

export function isActionName(value: string): value is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(value);
}

export interface FieldError {
  /** JSON-pointer-like dotted path of the field (`reason`, `subject.nik`, `attachments.0.kind`). */
  path: string;
  message: string;
}

const zodIndonesian = z.locales.id().localeError;

/**
 * Plain Indonesian messages for issues our schemas don't word themselves: what to do, never
 * a type name ("diharapkan object, diterima undefined") or a format string.
 */
export const indonesianErrors: z.core.$ZodErrorMap = (issue) => {
  const i = issue as { code: string; input?: unknown; expected?: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint };
  switch (i.code) {
    case 'invalid_type':
      if (i.input === undefined || i.input === null) return 'Wajib diisi.';
      if (i.expected === 'string') return 'Harus berupa teks.';
      if (i.expected === 'number' || i.expected === 'int') return 'Harus berupa angka.';
      if (i.expected === 'boolean') return 'Pilih ya atau tidak.';
      if (i.expected === 'array') return 'Harus berupa daftar.';
      return 'Isian ini tidak dapat dibaca; periksa kembali.';
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'Wajib diisi.' : `Paling sedikit ${i.minimum} karakter.`;
      if (i.origin === 'array') return `Paling sedikit ${i.minimum}.`;
      return `Paling kecil ${i.minimum}.`;
    case 'too_big':
      if (i.origin === 'string') return `Paling banyak ${i.maximum} karakter.`;
      if (i.origin === 'array') return `Paling banyak ${i.maximum}.`;
      return `Paling besar ${i.maximum}.`;
    case 'invalid_value':
      return 'Pilih salah satu pilihan yang tersedia.';
    case 'invalid_format':
      return 'Penulisannya tidak sesuai; periksa kembali.';
    default: {
      const m = zodIndonesian(issue);
      return typeof m === 'string' ? m : m?.message;
    }
  }
};

/** Parses with Indonesian messages; returns the value or the field errors. */
export function parseIndonesian<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.infer<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(input, { error: indonesianErrors });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: zodIssuesToFieldErrors(result.error.issues) };
}

export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      return { path, message: `Isian tidak dikenal: ${i.keys.join(', ')}` };
    }
    return { path, message: i.message };
  });
}
