/** The applicant's case changes, shared by the registration-number routes and the token routes. */
import { randomUUID } from 'node:crypto';
import type { CaseRow } from '../../db/schema.js';
import { getAttachment, insertAttachments, latestRound } from '../../db/repositories/attachments.js';
import { updateCaseContact, type ContactChange, type ContactChangeEvent, type DeliveryFields } from '../../db/repositories/contact.js';
import { addressChangeAllowed, type DeliveryFact } from '../../domain/privacy.js';
import { normalizeDistrict, normalizeIndonesianMobile } from '../../domain/citizen.js';
import { GROBOGAN_DISTRICTS } from '../../domain/citizen.js';
import type { FieldError } from '../../domain/actions.js';
import type { ActionResult } from '../../workflows/messages.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from '../context.js';
import { derivedUuid, executeCaseAction } from '../case-actions.js';
import { storeAttachments } from '../submission.js';
import { validateAttachments, type AttachmentInput } from '../schemas.js';

export async function cancelAsApplicant(ctx: RouteContext, c: CaseRow, body: { nik: string; reason: string }): Promise<ActionResult> {
  return executeCaseAction({
    db: ctx.db,
    temporal: ctx.temporal,
    action: 'applicant-cancel',
    actor: null,
    identityBody: { nik: body.nik, reason: body.reason },
    storedBody: { reason: body.reason, by: 'applicant' },
    caseRow: c,
  });
}

export async function resubmitAsApplicant(
  ctx: RouteContext,
  c: CaseRow,
  body: { nik: string; attachments: AttachmentInput[]; note?: string | undefined },
): Promise<ActionResult> {
  const att = validateAttachments(body.attachments);
  if (att.errors.length > 0) throw ApiError.validation(att.errors);
  if (c.status !== 'AWAITING_RESUBMISSION') {
    throw new ApiError('conflict', 'Permohonan ini tidak sedang menunggu perbaikan berkas.');
  }
  const regNo = c.registration_number;
  return executeCaseAction({
    db: ctx.db,
    temporal: ctx.temporal,
    action: 'resubmit',
    actor: null,
    identityBody: { nik: body.nik, attachments: body.attachments, ...(body.note !== undefined ? { note: body.note } : {}) },
    storedBody: { note: body.note ?? null },
    caseRow: c,
    // Attachment ids derive from the input id: a retried request stores nothing twice.
    prepare: async ({ inputId }) => {
      const ids = att.valid.map((_, i) => derivedUuid(`${inputId}:attachment:${i}`));
      const existing = ids.length ? await getAttachment(ctx.db, regNo, ids[0]!) : null;
      const round = existing ? existing.round : (await latestRound(ctx.db, regNo)) + 1;
      if (!existing) {
        const rows = await storeAttachments(ctx.files, regNo, att.valid, round, ids);
        await insertAttachments(ctx.db, rows);
      }
      return { round, attachmentIds: ids, kinds: att.valid.map((a) => a.kind) };
    },
  });
}

/** Checks and normalizes a delivery address (district by name, note trimmed); 400 with field errors. */
export function validDelivery(d: { address: string; rt: string; rw: string; village: string; district: string; note?: string | undefined }, prefix = 'delivery'): DeliveryFields {
  const district = normalizeDistrict(d.district);
  if (!district) {
    throw ApiError.validation([{ path: `${prefix}.district`, message: `Kecamatan harus salah satu dari 19 kecamatan di Grobogan: ${GROBOGAN_DISTRICTS.join(', ')}` }]);
  }
  return { address: d.address, rt: d.rt, rw: d.rw, village: d.village, district, note: d.note ? d.note : null };
}

export function validPhone(phone: string, path = 'contactPhone'): string {
  const e164 = normalizeIndonesianMobile(phone);
  if (!e164) throw ApiError.validation([{ path, message: 'Nomor HP harus nomor seluler Indonesia (08…, +628… atau 628…)' } satisfies FieldError]);
  return e164;
}

const ADDRESS_REFUSED =
  'Alamat pengantaran tidak dapat diubah lagi: dokumen sudah dibawa kurir atau permohonan sudah ditutup. Bila pengantaran gagal, Anda dapat memperbaikinya lagi.';

export interface ContactChangeOutcome {
  registrationNumber: string;
  changed: boolean;
  district: string;
  /** The integrator refreshes the workflow's BecakDistrict search attribute through a signal when true. */
  districtChanged: boolean;
}

async function applyContactChange(
  ctx: RouteContext,
  c: CaseRow,
  change: ContactChange,
  event: ContactChangeEvent,
  guard: (c: CaseRow, fact: string | null) => string | null,
): Promise<ContactChangeOutcome> {
  const r = await updateCaseContact(ctx.db, c.registration_number, change, event, guard);
  if (!r.ok) {
    if ('notFound' in r) throw ApiError.notFound('Permohonan tidak ditemukan.');
    throw new ApiError('conflict', r.refusal);
  }
  if (r.districtAfter !== r.districtBefore) {
    // District is non-personal: it may be logged. The workflow's search attribute is refreshed by the integrator's signal.
    ctx.logger.info('delivery district changed', { registrationNumber: c.registration_number, from: r.districtBefore, to: r.districtAfter });
  }
  return { registrationNumber: c.registration_number, changed: r.changed, district: r.districtAfter, districtChanged: r.districtAfter !== r.districtBefore };
}

/** The applicant corrects the delivery address: before the courier picked the card up, or after a failed delivery. */
export async function changeAddressAsApplicant(ctx: RouteContext, c: CaseRow, delivery: DeliveryFields): Promise<ContactChangeOutcome> {
  return applyContactChange(
    ctx,
    c,
    { delivery },
    { type: 'ADDRESS_CORRECTED', key: randomUUID(), actorUsername: null, actorRole: 'applicant', reason: null, at: new Date(ctx.now()) },
    (row, fact) => (row.personal_data_erased_at || !addressChangeAllowed(row.status, row.current_step, fact as DeliveryFact) ? ADDRESS_REFUSED : null),
  );
}

/** The operator corrects the address or phone of an open case, with a reason. */
export async function correctContactAsOperator(
  ctx: RouteContext,
  c: CaseRow,
  change: ContactChange,
  actor: { username: string; role: string },
  reason: string,
): Promise<ContactChangeOutcome> {
  return applyContactChange(
    ctx,
    c,
    change,
    { type: 'CONTACT_CORRECTED', key: randomUUID(), actorUsername: actor.username, actorRole: actor.role, reason, at: new Date(ctx.now()) },
    (row) =>
      row.personal_data_erased_at || (row.status !== 'IN_PROGRESS' && row.status !== 'AWAITING_RESUBMISSION')
        ? 'Alamat dan nomor HP hanya dapat dikoreksi selama permohonan masih berjalan.'
        : null,
  );
}
