/**
 * Request and response schemas of the HTTP API: the single source for validation, TypeScript
 * types and the OpenAPI document. Cross-field rules that need "today" live in validateSubmission.
 */
import { z } from 'zod';
import { PERSONAL_FIELDS } from '../domain/access-policy.js';
import { dataAccessSchema } from './access/data-access.js';
import {
  ATTACHMENT_KINDS,
  ATTACHMENT_KIND_LABELS,
  GROBOGAN_DISTRICTS,
  MAX_ATTACHMENTS,
  MAX_ATTACHMENT_BYTES,
  REGISTRATION_NUMBER_RE,
  ageInYears,
  base64DecodedSize,
  detectBase64ContentType,
  isBase64,
  normalizeDistrict,
  normalizeIndonesianMobile,
  parseIsoDate,
  requiredAttachmentKinds,
  stripBase64,
  type AttachmentContentType,
  type AttachmentKind,
} from '../domain/citizen.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy.js';
import { TEXT_LIMITS, applicationProblems, type ApplicationDraft } from '../domain/application-form.js';
import { indonesianErrors, zodIssuesToFieldErrors, type FieldError } from '../domain/actions.js';
import {
  ACTION_NAMES,
  CASE_STATUSES,
  DOCUMENT_KINDS,
  DOCUMENT_TYPES,
  REASON_MAX_LENGTH,
  REASON_MIN_LENGTH,
  REQUEST_REASONS,
  RELATIONSHIPS,
  ROLES,
  STEP_KEYS,
  WAITING_FOR_KEYS,
  DELIVERY_FAILURE_REASONS,
} from '../domain/sop.js';

const text = (title: string, max: number, min = 1) =>
  z
    .string({ error: `${title} harus diisi` })
    .trim()
    .min(min, { error: min > 1 ? `${title} minimal ${min} karakter` : `${title} harus diisi` })
    .max(max, { error: `${title} maksimal ${max} karakter` })
    .meta({ title });

/*
 * Patterns for the OpenAPI document only (`.meta({ pattern })` replaces the document's pattern,
 * not the validation): rules that `validateSubmission` and the routes check after the zod parse,
 * written as regular expressions so that clients and the API fuzzer can produce valid input. The
 * code stays the authority and keeps its specific messages; test/api/schemas.test.ts checks that
 * each pattern agrees with the rule it documents. What a pattern cannot say (a NIK's date part is
 * a real date and the birth date, eligibility by age, attachment size) stays in the descriptions.
 */
const PAIR_01_99 = '(?:0[1-9]|[1-9][0-9])';
/** `PPKKCC`: province 11–99, regency and district 01–99 (`regionProblem`). */
const REGION_PATTERN = `(?:1[1-9]|[2-9][0-9])${PAIR_01_99}${PAIR_01_99}`;
/** NIK `PPKKCC DDMMYY SSSS`: day 01–31 (women 41–71), month 01–12, serial 0001–9999 (`parseNik`). */
export const NIK_PATTERN =
  `^${REGION_PATTERN}(?:0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(?:0[1-9]|1[0-2])[0-9]{2}` +
  '(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})$';
/** KK number: a region, then 10 digits (`kkNumberProblem`; 16 equal digits are refused too). */
export const KK_NUMBER_PATTERN = `^${REGION_PATTERN}[0-9]{10}$`;
/** `YYYY-MM-DD` with year ≥ 1800, month 01–12, day 01–31 (`parseIsoDate`; the day must exist in its month). */
export const ISO_DATE_PATTERN = '^(?:1[89][0-9]{2}|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$';
/**
 * An Indonesian mobile number as `normalizeIndonesianMobile` reads it: `+62`, `62` or `0`, then
 * `8`, 1–9 and 7–10 more digits; spaces, dots, dashes and parentheses anywhere (the API also
 * ignores other whitespace).
 */
const SEP = '[ ().-]*';
const MOBILE_BODY = `${SEP}(?:\\+${SEP}6${SEP}2|6${SEP}2|0)${SEP}8${SEP}[1-9](?:${SEP}[0-9]){7,10}${SEP}`;
export const MOBILE_PATTERN = `^${MOBILE_BODY}$`;
/** Empty (no phone) or a mobile number. */
export const OPTIONAL_MOBILE_PATTERN = `^(?:${MOBILE_BODY})?$`;
/**
 * Canonical base64 (length a multiple of 4, `=` padding only at the end), optionally behind a
 * `data:…;base64,` prefix, whose first bytes are a JPEG (`FF D8 FF`), PNG (8-byte signature) or
 * PDF (`%PDF-`) signature (`validateAttachments`; the API also ignores whitespace).
 */
const B64 = '[A-Za-z0-9+/]';
const B64_TAIL = `(?:${B64}{4})*(?:${B64}{2}==|${B64}{3}=)?`;
export const ATTACHMENT_BASE64_PATTERN =
  `^(?:data:[^,\\u0000]*;base64,)?(?:/9j/${B64_TAIL}|JVBE(?:Ri0=|Ri[0-3]${B64}${B64_TAIL})|iVBORw0KGg(?:o=|[o-r]${B64}${B64_TAIL}))$`;

export const nikSchema = z
  .string({ error: 'NIK harus diisi' })
  .trim()
  .regex(/^\d{16}$/, { error: 'NIK harus terdiri dari tepat 16 angka' })
  .meta({ title: 'NIK', description: 'Nomor Induk Kependudukan, 16 angka' });

export const registrationNumberSchema = z
  .string({ error: 'Nomor registrasi harus diisi' })
  .trim()
  .toUpperCase()
  .regex(REGISTRATION_NUMBER_RE, { error: 'Nomor registrasi berformat BP-YYYYMMDD-NNNNN' })
  .meta({ title: 'Nomor registrasi', description: 'BP-YYYYMMDD-NNNNN', examples: ['BP-20261123-00001'] });

export const reasonText = z
  .string({ error: 'Alasan harus diisi' })
  .trim()
  .min(REASON_MIN_LENGTH, { error: `Alasan minimal ${REASON_MIN_LENGTH} karakter` })
  .max(REASON_MAX_LENGTH, { error: `Alasan maksimal ${REASON_MAX_LENGTH} karakter` })
  .meta({ title: 'Alasan' });

export const attachmentInputSchema = z
  .object({
    kind: z.enum(ATTACHMENT_KINDS, { error: `Jenis lampiran harus salah satu dari ${ATTACHMENT_KINDS.join(', ')}` }).meta({
      title: 'Jenis lampiran',
      description: Object.entries(ATTACHMENT_KIND_LABELS).map(([k, v]) => `${k} = ${v}`).join('; '),
    }),
    fileName: text('Nama berkas', 200),
    contentType: z.string({ error: 'Jenis konten harus diisi' }).max(100).meta({
      title: 'Jenis konten',
      description: 'Keterangan dari klien; yang berlaku adalah jenis menurut isi berkas (JPEG, PNG atau PDF)',
    }),
    contentBase64: z.string({ error: 'Isi berkas (base64) harus diisi' }).min(1, { error: 'Isi berkas (base64) harus diisi' }).meta({
      title: 'Isi berkas',
      description: 'Base64; JPEG, PNG atau PDF; maksimal 2 MiB setelah didekode',
      contentEncoding: 'base64',
      pattern: ATTACHMENT_BASE64_PATTERN,
    }),
  })
  .strict()
  .meta({ id: 'AttachmentInput', title: 'Lampiran' });
export type AttachmentInput = z.infer<typeof attachmentInputSchema>;

export const attachmentsSchema = z
  .array(attachmentInputSchema, { error: 'Lampiran harus berupa daftar' })
  .max(MAX_ATTACHMENTS, { error: `Lampiran maksimal ${MAX_ATTACHMENTS} berkas` })
  .meta({ title: 'Lampiran', description: `Maksimal ${MAX_ATTACHMENTS} berkas, tiap berkas maksimal 2 MiB` });

/** `attachments` has at least one item of this kind (JSON Schema `contains`). */
const attachmentOfKind = (kind: AttachmentKind) => ({ contains: { type: 'object', properties: { kind: { const: kind } }, required: ['kind'] } });
/**
 * The required attachment kinds per document type and reason (`requiredAttachmentKinds`) as
 * `if`/`then` for the document. Taken at age 0, i.e. the kinds required at every age: a KIA's
 * `PHOTO` (from age 5) depends on the birth date and stays in the description.
 */
const requiredAttachmentRules = DOCUMENT_TYPES.flatMap((documentType) =>
  REQUEST_REASONS.map((reason) => ({
    if: { properties: { documentType: { const: documentType }, reason: { const: reason } }, required: ['documentType', 'reason'] },
    then: { properties: { attachments: { allOf: requiredAttachmentKinds(documentType, reason, 0).map(attachmentOfKind) } } },
  })),
);

/** A KIA needs the contact's declaration of being the child's parent or guardian. */
const guardianRule = {
  if: { properties: { documentType: { const: 'KIA' } }, required: ['documentType'] },
  then: { properties: { guardianDeclaration: { const: true } }, required: ['guardianDeclaration'] },
};

/**
 * The document's example of a submission (valid: test/api/schemas.test.ts). Province code 99 is
 * not in use, so the NIK and KK number are nobody's; the NIK's date part is the birth date.
 */
export const SUBMISSION_EXAMPLE = {
  documentType: 'KTP_EL',
  reason: 'NEW',
  subject: { nik: '9901011708840001', name: 'Budi Contoh', birthDate: '1984-08-17', married: false, kkNumber: '9901010101840002' },
  contact: { name: 'Budi Contoh', phone: '0812-0000-0000' },
  delivery: { address: 'Jl. Contoh No. 1', rt: '001', rw: '002', village: 'Kuripan', district: 'Purwodadi', note: 'Rumah pagar hijau' },
  attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0xLjQKJWNvbnRvaAo=' }],
  privacyConsent: true,
} as const;

export const submissionSchema = z
  .object({
    documentType: z.enum(DOCUMENT_TYPES, { error: 'Jenis dokumen harus KTP_EL atau KIA' }).meta({ title: 'Jenis dokumen' }),
    reason: z.enum(REQUEST_REASONS, { error: 'Alasan permohonan harus NEW, DAMAGED, LOST atau DATA_CHANGE' }).meta({
      title: 'Alasan permohonan',
      description: 'NEW = baru, DAMAGED = rusak, LOST = hilang, DATA_CHANGE = perubahan data',
    }),
    subject: z
      .object({
        nik: nikSchema.meta({
          title: 'NIK',
          description: 'Nomor Induk Kependudukan, 16 angka: PPKKCC DDMMYY SSSS (wilayah, tanggal lahir — perempuan +40 —, nomor urut)',
          pattern: NIK_PATTERN,
        }),
        name: text('Nama', TEXT_LIMITS['subject.name'][1], TEXT_LIMITS['subject.name'][0]),
        birthDate: z
          .string({ error: 'Tanggal lahir harus diisi' })
          .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Tanggal lahir berformat YYYY-MM-DD' })
          .meta({ title: 'Tanggal lahir', description: 'YYYY-MM-DD; harus sama dengan tanggal pada NIK', format: 'date', pattern: ISO_DATE_PATTERN }),
        married: z.boolean({ error: 'Status kawin harus ya/tidak' }).optional().meta({ title: 'Sudah/pernah kawin' }),
        kkNumber: z
          .string({ error: 'Nomor KK harus diisi' })
          .trim()
          .regex(/^\d{16}$/, { error: 'Nomor KK harus terdiri dari tepat 16 angka' })
          .meta({ title: 'Nomor KK', description: '16 angka: PPKKCC (wilayah) lalu 10 angka', pattern: KK_NUMBER_PATTERN }),
      })
      .strict()
      .meta({ title: 'Pemilik dokumen' }),
    contact: z
      .object({
        name: text('Nama kontak', TEXT_LIMITS['contact.name'][1], TEXT_LIMITS['contact.name'][0]),
        phone: z
          .string({ error: 'Nomor HP harus diisi' })
          .meta({ title: 'Nomor HP (WhatsApp)', description: '08…, +628… atau 628…', pattern: MOBILE_PATTERN }),
      })
      .strict()
      .meta({ title: 'Kontak' }),
    delivery: z
      .object({
        address: text('Alamat', TEXT_LIMITS['delivery.address'][1], TEXT_LIMITS['delivery.address'][0]),
        rt: z.string({ error: 'RT harus diisi' }).trim().regex(/^\d{1,3}$/, { error: 'RT berupa 1–3 angka' }).meta({ title: 'RT' }),
        rw: z.string({ error: 'RW harus diisi' }).trim().regex(/^\d{1,3}$/, { error: 'RW berupa 1–3 angka' }).meta({ title: 'RW' }),
        village: text('Desa/kelurahan', TEXT_LIMITS['delivery.village'][1], TEXT_LIMITS['delivery.village'][0]),
        district: z.string({ error: 'Kecamatan harus diisi' }).meta({ title: 'Kecamatan', enum: [...GROBOGAN_DISTRICTS] }),
        note: z.string().trim().max(TEXT_LIMITS['delivery.note'][1], { error: `Catatan maksimal ${TEXT_LIMITS['delivery.note'][1]} karakter` }).optional().meta({ title: 'Catatan untuk kurir' }),
      })
      .strict()
      .meta({ title: 'Alamat pengantaran' }),
    attachments: attachmentsSchema.meta({
      title: 'Lampiran',
      description:
        `Maksimal ${MAX_ATTACHMENTS} berkas, tiap berkas maksimal 2 MiB. Wajib: KK; OLD_CARD bila DAMAGED; POLICE_REPORT bila LOST; ` +
        'SUPPORTING_DOCUMENT bila DATA_CHANGE; untuk KIA juga BIRTH_CERTIFICATE, dan PHOTO bila anak berusia 5 tahun atau lebih',
    }),
    privacyConsent: z
      .literal(true, { error: 'Anda harus membaca dan menyetujui pemberitahuan pelindungan data pribadi sebelum mengajukan permohonan' })
      .meta({ title: 'Persetujuan pelindungan data pribadi', description: 'true: pemohon telah membaca pemberitahuan privasi (GET /api/privacy-notice)' }),
    guardianDeclaration: z
      .boolean({ error: 'Pernyataan orang tua/wali harus ya/tidak' })
      .optional()
      .meta({ title: 'Pernyataan orang tua/wali', description: 'Wajib true untuk KIA: kontak menyatakan sebagai orang tua atau wali anak' }),
  })
  .strict()
  .meta({ id: 'SubmissionRequest', title: 'Permohonan', allOf: [...requiredAttachmentRules, guardianRule], examples: [SUBMISSION_EXAMPLE] });
export type SubmissionInput = z.infer<typeof submissionSchema>;

/**
 * Fields holding U+0000 (NUL), by path. PostgreSQL stores NUL neither in text nor (as `\u0000`)
 * in jsonb, so such a value is invalid input (400), never something to send to the database.
 * Walks parsed input (iteratively: no recursion limit to reach).
 */
export function nulCharacterErrors(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) errors.push({ path, message: 'Isian tidak boleh berisi karakter NUL (\\u0000)' });
    } else if (node !== null && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
      for (const [key, child] of entries) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return errors.reverse();
}

export interface ValidAttachment {
  kind: AttachmentInput['kind'];
  fileName: string;
  contentType: AttachmentContentType;
  /** Canonical base64 (prefix and whitespace stripped). */
  base64: string;
}

/** Checks each attachment (content by magic bytes, size); field errors use `${prefix}.${i}.…`. */
export function validateAttachments(list: AttachmentInput[], prefix = 'attachments'): { errors: FieldError[]; valid: ValidAttachment[] } {
  const errors: FieldError[] = [];
  const valid: ValidAttachment[] = [];
  list.forEach((a, i) => {
    const b64 = stripBase64(a.contentBase64);
    if (!isBase64(b64)) {
      errors.push({ path: `${prefix}.${i}.contentBase64`, message: 'Isi berkas bukan base64 yang valid' });
      return;
    }
    if (base64DecodedSize(b64) > MAX_ATTACHMENT_BYTES) {
      errors.push({ path: `${prefix}.${i}.contentBase64`, message: 'Ukuran berkas maksimal 2 MiB' });
      return;
    }
    const type = detectBase64ContentType(b64);
    if (!type) {
      errors.push({ path: `${prefix}.${i}.contentBase64`, message: 'Berkas harus berupa JPEG, PNG atau PDF (diperiksa dari isinya)' });
      return;
    }
    valid.push({ kind: a.kind, fileName: a.fileName, contentType: type, base64: b64 });
  });
  return { errors, valid };
}

export interface ValidSubmission {
  input: SubmissionInput;
  phoneE164: string;
  district: string;
  attachments: ValidAttachment[];
  age: number;
}

/**
 * Every rule of SPEC §3, all at once; `today` is the Jakarta date `YYYY-MM-DD`. The form rules
 * are `domain/application-form.ts` (the same file the citizen's browser runs); the shape and
 * lengths are the zod schema; attachment contents are checked here.
 */
export function validateSubmission(body: unknown, today: string): { ok: true; value: ValidSubmission } | { ok: false; errors: FieldError[] } {
  const draft = (body && typeof body === 'object' ? body : {}) as ApplicationDraft;
  // Missing required attachments: one API error path ("attachments"), the kinds named in words.
  const ruleErrors: FieldError[] = applicationProblems(draft, today).map((e) => (/^attachments\.[A-Z_]+$/.test(e.path) ? { path: 'attachments', message: e.message } : e));
  const parsed = submissionSchema.safeParse(body, { error: indonesianErrors });
  if (!parsed.success) {
    // Shape errors and rule errors together (not in rounds); the rule's wording wins on a field.
    const byRule = new Set(ruleErrors.map((e) => e.path));
    const shape = zodIssuesToFieldErrors(parsed.error.issues).filter((e) => !byRule.has(e.path));
    return { ok: false, errors: [...ruleErrors, ...shape] };
  }
  const input = parsed.data;
  const errors: FieldError[] = [...nulCharacterErrors(input), ...ruleErrors];
  if (input.documentType === 'KIA' && input.guardianDeclaration !== true) {
    errors.push({ path: 'guardianDeclaration', message: 'Untuk KIA, kontak harus menyatakan sebagai orang tua atau wali anak yang dimohonkan' });
  }
  const att = validateAttachments(input.attachments);
  errors.push(...att.errors);
  if (errors.length > 0) return { ok: false, errors };
  const age = ageInYears(input.subject.birthDate, today);
  return { ok: true, value: { input, phoneE164: normalizeIndonesianMobile(input.contact.phone)!, district: normalizeDistrict(input.delivery.district)!, attachments: att.valid, age } };
}

export const submissionResponseSchema = z
  .object({
    registrationNumber: z.string(),
    status: z.enum(CASE_STATUSES),
    currentStep: z.enum(STEP_KEYS),
  })
  .meta({ id: 'CaseSummary' });

export const trackingRequestSchema = z
  .object({ registrationNumber: registrationNumberSchema, nik: nikSchema })
  .strict()
  .meta({ id: 'TrackingRequest', title: 'Lacak permohonan' });

const trackingStepSchema = z.object({
  key: z.enum(STEP_KEYS),
  title: z.string(),
  state: z.enum(['done', 'current', 'pending']),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
});
export const trackingResponseSchema = z
  .object({
    registrationNumber: z.string(),
    documentType: z.enum(DOCUMENT_TYPES),
    status: z.enum(CASE_STATUSES),
    currentStep: z.enum(STEP_KEYS),
    waitingFor: z.string().nullable(),
    submittedAt: z.string(),
    steps: z.array(trackingStepSchema),
    rejection: z.object({ step: z.enum(STEP_KEYS), reason: z.string(), at: z.string() }).optional(),
    resubmissionDueAt: z.string().optional(),
    receipt: z.object({ number: z.string(), deliveredAt: z.string() }).optional(),
    dataAccess: dataAccessSchema.describe('Which staff roles read this personal data, and when (SPEC §9)'),
    /** Failed delivery attempts so far (step 7). */
    deliveryAttempts: z.number().int(),
    cancellation: z
      .object({ by: z.enum(['applicant', 'office']), reason: z.string(), at: z.string() })
      .optional()
      .meta({ description: 'Bila dibatalkan: oleh pemohon atau kantor, dengan alasannya' }),
  })
  .meta({ id: 'Tracking' });

export const resubmissionSchema = z
  .object({
    nik: nikSchema,
    attachments: attachmentsSchema.min(1, { error: 'Sertakan minimal satu lampiran perbaikan' }),
    note: z.string().trim().max(REASON_MAX_LENGTH, { error: `Catatan maksimal ${REASON_MAX_LENGTH} karakter` }).optional().meta({ title: 'Catatan' }),
  })
  .strict()
  .meta({ id: 'ResubmissionRequest', title: 'Perbaikan berkas' });

export const applicantCancellationSchema = z
  .object({ nik: nikSchema, reason: reasonText })
  .strict()
  .meta({ id: 'ApplicantCancellationRequest', title: 'Pembatalan oleh pemohon' });

/** Every value but `registrationNumber`, `valid` and `holderName` comes from the verified signed payload; all null when not valid. */
export const verifyResponseSchema = z
  .object({
    registrationNumber: z.string(),
    valid: z.boolean(),
    payloadVersion: z.union([z.literal(1), z.literal(2)]).nullable(),
    signer: z.object({ name: z.string(), role: z.enum(ROLES), nip: z.string().nullable() }).nullable(),
    signedAt: z.string().nullable(),
    documentType: z.enum(DOCUMENT_TYPES).nullable(),
    /** The signed document (payload v2): the approval letter and the SHA-256 of its PDF as issued. */
    document: z.object({ kind: z.literal('approval'), title: z.string(), sha256: z.string() }).nullable(),
    documentSha256: z.string().nullable(),
    /** The card holder's name, masked (initials), from the case (not part of the signed payload). */
    holderName: z.string().nullable(),
    keyId: z.string().nullable(),
  })
  .meta({ id: 'SignatureVerification' });

export const sopResponseSchema = z
  .object({
    steps: z.array(
      z.object({
        number: z.number().int(),
        key: z.enum(STEP_KEYS),
        title: z.string(),
        actor: z.string(),
        role: z.enum(ROLES).nullable(),
        standardMinutes: z.number().nullable(),
        defaultStandardMinutes: z.number().nullable(),
        output: z.string(),
      }),
    ),
    slaClock: z.enum(['office', 'wall']),
    resubmissionDays: z.number(),
    actions: z.array(z.object({ name: z.enum(ACTION_NAMES), title: z.string(), roles: z.array(z.enum(ROLES)), steps: z.array(z.enum(STEP_KEYS)) })),
    roleLabels: z.record(z.enum(ROLES), z.string()),
    supervisorRoles: z.array(z.enum(ROLES)).describe('Roles that receive escalations and digests and read reports'),
    documentTypeLabels: z.record(z.enum(DOCUMENT_TYPES), z.string()),
    reasonLabels: z.record(z.enum(REQUEST_REASONS), z.string()),
    statusLabels: z.record(z.enum(CASE_STATUSES), z.string()),
    waitingLabels: z.record(z.enum(WAITING_FOR_KEYS), z.string()).describe('Why a current step is not moving'),
    relationshipLabels: z.record(z.enum(RELATIONSHIPS), z.string()),
    attachmentLabels: z.record(z.enum(ATTACHMENT_KINDS), z.string()),
    documentKindLabels: z.record(z.enum(DOCUMENT_KINDS), z.string()),
    eventLabels: z.record(z.string(), z.string()).describe('Labels of the timeline event types'),
  })
  .meta({ id: 'Sop' });

export const loginSchema = z
  .object({
    username: z.string({ error: 'Nama pengguna harus diisi' }).trim().toLowerCase().min(1, { error: 'Nama pengguna harus diisi' }).max(64),
    password: z.string({ error: 'Kata sandi harus diisi' }).min(1, { error: 'Kata sandi harus diisi' }).max(200),
  })
  .strict()
  .meta({ id: 'LoginRequest' });

export const staffUserSchema = z.object({ username: z.string(), name: z.string(), role: z.enum(ROLES) });
export const loginResponseSchema = z
  .object({
    token: z.string().optional().describe('The bearer token; absent when the request asked for a cookie session (X-Session: cookie)'),
    csrfToken: z.string().optional().describe('Cookie sessions only: send it as X-CSRF-Token on every request that changes something'),
    expiresAt: z.string(),
    user: staffUserSchema,
    mustChangePassword: z.boolean().describe('true: the account must choose a new password (POST /api/auth/password) before any other route answers'),
  })
  .meta({ id: 'LoginResponse' });

export const staffCreateSchema = z
  .object({
    username: z
      .string({ error: 'Nama pengguna harus diisi' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{3,32}$/, { error: 'Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah, tanda hubung' })
      .meta({ title: 'Nama pengguna' }),
    name: text('Nama', 100, 2),
    role: z.enum(ROLES, { error: `Peran harus salah satu dari ${ROLES.join(', ')}` }).meta({ title: 'Peran' }),
    password: z
      .string({ error: 'Kata sandi harus diisi' })
      .min(PASSWORD_MIN_LENGTH, { error: `Kata sandi minimal ${PASSWORD_MIN_LENGTH} karakter` })
      .max(PASSWORD_MAX_LENGTH, { error: `Kata sandi maksimal ${PASSWORD_MAX_LENGTH} karakter` })
      .meta({ title: 'Kata sandi', description: 'Minimal 12 karakter, bukan kata sandi umum, tidak memuat nama pengguna atau nama' }),
    phone: z
      .string()
      .optional()
      .meta({ title: 'Nomor HP (untuk eskalasi)', description: 'Opsional; 08…, +628… atau 628…', pattern: OPTIONAL_MOBILE_PATTERN }),
  })
  .strict()
  .meta({ id: 'StaffCreateRequest' });

export const blanksAddSchema = z
  .object({
    documentType: z.enum(DOCUMENT_TYPES, { error: 'Jenis dokumen harus KTP_EL atau KIA' }).meta({ title: 'Jenis blangko' }),
    quantity: z
      .number({ error: 'Jumlah harus berupa angka' })
      .int({ error: 'Jumlah harus bilangan bulat' })
      .min(1, { error: 'Jumlah minimal 1' })
      .max(100_000, { error: 'Jumlah maksimal 100000' })
      .meta({ title: 'Jumlah' }),
    note: z.string().trim().max(TEXT_LIMITS['delivery.note'][1], { error: `Catatan maksimal ${TEXT_LIMITS['delivery.note'][1]} karakter` }).optional().meta({ title: 'Catatan' }),
  })
  .strict()
  .meta({ id: 'BlanksAddRequest' });

const boolQuery = z
  .enum(['true', 'false'], { error: 'Nilai harus true atau false' })
  .transform((v) => v === 'true');

export const listQuerySchema = z
  .object({
    status: z.enum(CASE_STATUSES, { error: `Status harus salah satu dari ${CASE_STATUSES.join(', ')}` }).optional(),
    step: z.enum(STEP_KEYS, { error: `Tahap harus salah satu dari ${STEP_KEYS.join(', ')}` }).optional(),
    overdue: boolQuery.optional(),
    q: z.string().trim().max(40).optional().meta({ description: 'Awalan nomor registrasi saja; NIK di URL ditolak (400): gunakan POST /api/applications/search' }),
    limit: z.coerce.number({ error: 'Batas harus angka' }).int().min(1, { error: 'Batas minimal 1' }).max(200, { error: 'Batas maksimal 200' }).default(50),
    cursor: z.string().max(200).optional().meta({ description: 'nextCursor dari halaman sebelumnya (nilai tertutup, tidak disusun sendiri)' }),
  })
  .strict();

export const caseListItemSchema = z.object({
  registrationNumber: z.string(),
  documentType: z.enum(DOCUMENT_TYPES),
  reason: z.enum(REQUEST_REASONS).optional().describe('Only for roles that may see it (SPEC §9)'),
  status: z.enum(CASE_STATUSES),
  currentStep: z.enum(STEP_KEYS),
  subjectName: z.string().optional().describe("The subject's name, only for roles that may see it (SPEC §9)"),
  recipientName: z.string().optional().describe('The contact (recipient) name, only for roles that may see it (the courier at handover)'),
  personalData: z.boolean().describe('Whether this item shows any personal data to the caller'),
  district: z.string(),
  submittedAt: z.string(),
  stepStartedAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  waitingFor: z.string().nullable(),
});
export const caseListSchema = z.object({ items: z.array(caseListItemSchema), nextCursor: z.string().nullable() }).meta({ id: 'CaseList' });

const isoString = z.string();
export const caseDetailSchema = z
  .object({
    registrationNumber: z.string(),
    documentType: z.enum(DOCUMENT_TYPES),
    reason: z.enum(REQUEST_REASONS).optional(),
    status: z.enum(CASE_STATUSES),
    currentStep: z.enum(STEP_KEYS),
    waitingFor: z.string().nullable(),
    overdue: z.boolean(),
    escalationLevel: z.number().int(),
    submittedAt: isoString,
    closedAt: isoString.nullable(),
    deliveryAttempts: z.number().int(),
    deliveryFailures: z.array(
      z.object({ attempt: z.number().int(), reason: z.enum(DELIVERY_FAILURE_REASONS), reasonLabel: z.string(), courier: z.string().nullable(), at: isoString }),
    ),
    // Personal data: each field only when the caller's role may see it for this case (SPEC §9).
    subject: z
      .object({ nik: z.string(), name: z.string(), birthDate: z.string(), married: z.boolean(), kkNumber: z.string(), age: z.number().int().nullable() })
      .partial()
      .optional(),
    contact: z.object({ name: z.string(), phone: z.string() }).partial().optional(),
    delivery: z
      .object({ address: z.string(), rt: z.string(), rw: z.string(), village: z.string(), note: z.string().nullable() })
      .partial()
      .extend({ district: z.string() }),
    attachments: z
      .array(
        z.object({ id: z.string(), kind: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number(), sha256: z.string(), round: z.number(), createdAt: isoString, url: z.string() }),
      )
      .optional(),
    steps: z.array(
      z.object({
        key: z.enum(STEP_KEYS),
        title: z.string(),
        role: z.string().nullable(),
        standardMinutes: z.number().nullable(),
        state: z.enum(['done', 'current', 'pending']),
        startedAt: isoString.nullable(),
        completedAt: isoString.nullable(),
        dueAt: isoString.nullable(),
        overdue: z.boolean(),
        countedMinutes: z.number().nullable().optional().describe('Menit terhitung pada jam SLA untuk tahap yang selesai'),
        escalations: z.array(z.object({ level: z.number().int(), role: z.string(), at: isoString })),
      }),
    ),
    timeline: z.array(
      z.object({
        type: z.string(),
        label: z.string(),
        step: z.string().nullable(),
        stepTitle: z.string().nullable(),
        actor: z.object({ username: z.string(), role: z.string().nullable(), name: z.string().nullable() }).nullable(),
        actorLabel: z.string().describe('"Pemohon", "Sistem", or the officer\'s name and role'),
        text: z.string().describe('Plain Indonesian, no personal data'),
        personalText: z
          .object({
            reason: z.string().optional(),
            note: z.string().optional(),
            courierName: z.string().optional(),
            receivedBy: z.string().optional(),
            text: z.string().optional(),
            before: z.record(z.string(), z.unknown()).optional(),
            after: z.record(z.string(), z.unknown()).optional(),
          })
          .nullable()
          .describe('Free text behind the event (reasons, notes, names): may hold personal data, stripped per role by the access policy'),
        data: z.record(z.string(), z.unknown()),
        at: isoString,
      }),
    ),
    rejection: z.object({ step: z.string(), reason: z.string().nullable(), at: isoString.nullable() }).nullable(),
    resubmissionDueAt: isoString.nullable(),
    documents: z.array(z.object({ kind: z.string(), version: z.number(), contentType: z.string(), sha256: z.string(), sizeBytes: z.number(), createdAt: isoString, url: z.string() })),
    signature: z.object({ signerName: z.string(), signerRole: z.string(), signedAt: isoString, keyId: z.string() }).nullable(),
    receipt: z
      .object({
        number: z.string(),
        receivedBy: z.string().optional(),
        relationship: z.string(),
        oldCardCollected: z.boolean().nullable(),
        deliveredAt: isoString,
        courier: z.string(),
        photoUrl: z.string().nullable().optional().describe('The handover photo, when taken and the caller may see it'),
        signatureUrl: z.string().nullable().optional().describe("The recipient's signature drawn on screen, when drawn and the caller may see it"),
      })
      .nullable(),
    access: z
      .object({
        personalData: z.boolean(),
        fields: z.array(z.enum(PERSONAL_FIELDS)).describe('The personal fields shown to the caller'),
        note: z.string().describe('In Indonesian: what the caller may see'),
      })
      .describe('What the access policy (SPEC §9) lets the caller see of this case'),
  })
  .meta({ id: 'CaseDetail' });

export const tasksResponseSchema = z.object({ items: z.array(caseListItemSchema) }).meta({ id: 'Tasks' });

export const notificationsQuerySchema = z
  .object({
    registrationNumber: registrationNumberSchema.optional(),
    kind: z.enum(['APPLICANT', 'COURIER_GROUP', 'ESCALATION', 'DIGEST']).optional(),
    status: z.enum(['PENDING', 'SENT', 'FAILED', 'NO_RECIPIENT']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export const notificationsResponseSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        kind: z.enum(['APPLICANT', 'COURIER_GROUP', 'ESCALATION', 'DIGEST']),
        registrationNumber: z.string().nullable(),
        channel: z.string(),
        recipient: z.string().describe('Masked'),
        text: z.string().describe("An applicant message's text only for roles that may read the case's notes (SPEC §9); otherwise a fixed sentence"),
        textHidden: z.boolean(),
        status: z.enum(['PENDING', 'SENT', 'FAILED', 'NO_RECIPIENT']),
        attempts: z.number().int(),
        /** Why a message is FAILED or NO_RECIPIENT (shown to the admin as a problem). */
        problem: z.string().nullable().optional(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'Notifications' });

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Tanggal berformat YYYY-MM-DD' })
  .refine((v) => parseIsoDate(v) !== null, { error: 'Tanggal tidak valid' })
  .meta({ format: 'date', pattern: ISO_DATE_PATTERN });
export const recapQuerySchema = z.object({ date: isoDate, format: z.enum(['pdf', 'csv']).default('pdf') }).strict();

export const actionResponseSchema = submissionResponseSchema;

export const formsResponseSchema = z
  .object({
    items: z.array(
      z.object({
        action: z.enum(ACTION_NAMES),
        title: z.string(),
        roles: z.array(z.enum(ROLES)),
        steps: z.array(z.enum(STEP_KEYS)),
        whileAwaitingResubmission: z.boolean(),
        schema: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'Forms' });

export const healthResponseSchema = z.object({ status: z.string() });
export const readyResponseSchema = z.object({ status: z.string(), database: z.string(), temporal: z.string() });
