/**
 * How an applicant reaches a case: NIK + registration number, or the tracking link's token
 * (+ NIK for anything that changes the case). A NIK alone never finds a case. Wrong NIK and
 * unknown number answer the same 404; attempts are counted per case and failed matches per NIK
 * (DB-backed, so every API process shares them), on top of the per-address limiter.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaseRow } from '../../db/schema.js';
import { findCase } from '../../db/repositories/cases.js';
import { findCaseByTokenHash, hitCounter, peekCounter, trackingSnapshot, type TrackingCase, type TrackingSnapshot } from '../../db/repositories/tracking.js';
import { APPLICANT_ATTEMPTS_PER_CASE_PER_HOUR, ERASED_DETAIL, FAILED_ATTEMPTS_PER_NIK_PER_HOUR } from '../../domain/privacy.js';
import { TRACKING_TOKEN_PATTERN, trackingSealKey, trackingTokenHash } from '../../infra/tracking-tokens.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from '../context.js';

export const UNKNOWN_CASE = 'Permohonan tidak ditemukan. Periksa nomor registrasi dan NIK.';
export const UNKNOWN_TOKEN = 'Tautan lacak tidak dikenal. Buka tautan dari pesan WhatsApp terbaru kami, atau lacak dengan nomor registrasi dan NIK.';
const HOUR_MS = 60 * 60 * 1000;
/**
 * Tracking with NIK + number is polled (citizens, the benchmarks): only failed matches count
 * against the case, which is what bounds guessing a NIK for a known number.
 */
const FAILED_TRACKING_PER_CASE_PER_HOUR = 20;

export type ApplicantPurpose = 'track' | 'change';

function limited(windowStart: Date, nowMs: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + HOUR_MS - nowMs) / 1000));
  return new ApiError('rate_limited', `Terlalu banyak percobaan untuk permohonan ini. Coba lagi dalam ${Math.ceil(retryAfter / 60)} menit.`, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

function caseLockedError(): ApiError {
  return new ApiError('rate_limited', 'Terlalu banyak percobaan yang gagal untuk permohonan ini. Coba lagi dalam 1 jam, atau buka tautan lacak dari pesan WhatsApp kami.', {
    headers: { 'Retry-After': '3600' },
  });
}

function nikLockedError(): ApiError {
  return new ApiError('rate_limited', 'Terlalu banyak percobaan yang gagal dengan NIK ini. Coba lagi dalam 1 jam, atau buka tautan lacak dari pesan WhatsApp kami.', {
    headers: { 'Retry-After': '3600' },
  });
}

/** The NIK counter's key: an HMAC (a plain hash of a 16-digit NIK could be reversed by trying them all). */
function nikKey(ctx: RouteContext, nik: string): string {
  return `nik:${createHmac('sha256', trackingSealKey(ctx.config)).update(nik).digest('base64url')}`;
}

/** Changes: every attempt counts against the case. Tracking: refused once the case's failed matches reach the limit. */
async function countCaseAttempt(ctx: RouteContext, registrationNumber: string, purpose: ApplicantPurpose, nowMs: number): Promise<void> {
  if (purpose === 'track') {
    if ((await peekCounter(ctx.db, `track-fail:${registrationNumber}`, HOUR_MS, nowMs)) >= FAILED_TRACKING_PER_CASE_PER_HOUR) throw caseLockedError();
    return;
  }
  const hit = await hitCounter(ctx.db, `change:${registrationNumber}`, HOUR_MS, nowMs);
  if (hit.count > APPLICANT_ATTEMPTS_PER_CASE_PER_HOUR) throw limited(hit.windowStart, nowMs);
}

async function refuseLockedNik(ctx: RouteContext, nik: string, nowMs: number): Promise<void> {
  if ((await peekCounter(ctx.db, nikKey(ctx, nik), HOUR_MS, nowMs)) >= FAILED_ATTEMPTS_PER_NIK_PER_HOUR) throw nikLockedError();
}

async function countFailedNik(ctx: RouteContext, nik: string, nowMs: number): Promise<void> {
  await hitCounter(ctx.db, nikKey(ctx, nik), HOUR_MS, nowMs);
}

function nikMatches(c: Pick<CaseRow, 'subject_nik'>, nik: string): boolean {
  const a = Buffer.from(c.subject_nik.padEnd(16, '\u0000'));
  const b = Buffer.from(nik.padEnd(16, '\u0000'));
  return c.subject_nik !== '' && a.length === b.length && timingSafeEqual(a, b);
}

export function erasedError(): ApiError {
  return new ApiError('gone', ERASED_DETAIL);
}

/** NIK + registration number. */
export async function applicantCaseByNumber(ctx: RouteContext, registrationNumber: string, nik: string, purpose: ApplicantPurpose): Promise<CaseRow> {
  const nowMs = ctx.now();
  await countCaseAttempt(ctx, registrationNumber, purpose, nowMs);
  await refuseLockedNik(ctx, nik, nowMs);
  const c = await findCase(ctx.db, registrationNumber);
  if (c?.personal_data_erased_at) throw erasedError();
  if (!c || !nikMatches(c, nik)) {
    await countFailedNik(ctx, nik, nowMs);
    if (purpose === 'track') await hitCounter(ctx.db, `track-fail:${registrationNumber}`, HOUR_MS, nowMs);
    throw ApiError.notFound(UNKNOWN_CASE);
  }
  return c;
}

/** A tracking answer's rows, the case checked: what `trackApplicantByNumber`/`trackByToken` return. */
export type TrackedCase = Omit<TrackingSnapshot, 'case' | 'counters'> & { case: TrackingCase };

/**
 * NIK + registration number for tracking (POST /api/tracking): the same checks, in the same order
 * and with the same answers, as `applicantCaseByNumber(…, 'track')`, but the two counter peeks,
 * the case and the rows of its tracking answer come from one statement. A failed match still
 * counts against the NIK and the case (two writes, only on failure).
 */
export async function trackApplicantByNumber(ctx: RouteContext, registrationNumber: string, nik: string): Promise<TrackedCase> {
  const nowMs = ctx.now();
  const key = nikKey(ctx, nik);
  const snap = await trackingSnapshot(ctx.db, { registrationNumber }, [`track-fail:${registrationNumber}`, key], HOUR_MS, nowMs);
  const [caseFailures, nikFailures] = snap.counters as [number, number];
  if (caseFailures >= FAILED_TRACKING_PER_CASE_PER_HOUR) throw caseLockedError();
  if (nikFailures >= FAILED_ATTEMPTS_PER_NIK_PER_HOUR) throw nikLockedError();
  const c = snap.case;
  if (c?.personal_data_erased_at) throw erasedError();
  if (!c || !nikMatches(c, nik)) {
    await countFailedNik(ctx, nik, nowMs);
    await hitCounter(ctx.db, `track-fail:${registrationNumber}`, HOUR_MS, nowMs);
    throw ApiError.notFound(UNKNOWN_CASE);
  }
  return { case: c, runs: snap.runs, access: snap.access, receipt: snap.receipt };
}

/** `caseByToken` with the rows of the tracking answer, in one statement (GET /api/tracking/{token}). */
export async function trackByToken(ctx: RouteContext, token: string): Promise<TrackedCase> {
  if (!TRACKING_TOKEN_PATTERN.test(token)) throw ApiError.notFound(UNKNOWN_TOKEN);
  const snap = await trackingSnapshot(ctx.db, { tokenHash: trackingTokenHash(token) }, [], HOUR_MS, ctx.now());
  const c = snap.case;
  if (!c) throw ApiError.notFound(UNKNOWN_TOKEN);
  if (c.personal_data_erased_at) throw erasedError();
  return { case: c, runs: snap.runs, access: snap.access, receipt: snap.receipt };
}

/** The case of a tracking token (no NIK: tracking only). Erased → 410. */
export async function caseByToken(ctx: RouteContext, token: string): Promise<CaseRow> {
  if (!TRACKING_TOKEN_PATTERN.test(token)) throw ApiError.notFound(UNKNOWN_TOKEN);
  const c = await findCaseByTokenHash(ctx.db, trackingTokenHash(token));
  if (!c) throw ApiError.notFound(UNKNOWN_TOKEN);
  if (c.personal_data_erased_at) throw erasedError();
  return c;
}

/** Token + NIK: for cancellation, resubmission and address correction. */
export async function applicantCaseByToken(ctx: RouteContext, token: string, nik: string): Promise<CaseRow> {
  const c = await caseByToken(ctx, token);
  const nowMs = ctx.now();
  await countCaseAttempt(ctx, c.registration_number, 'change', nowMs);
  await refuseLockedNik(ctx, nik, nowMs);
  if (!nikMatches(c, nik)) {
    await countFailedNik(ctx, nik, nowMs);
    throw ApiError.notFound('NIK tidak sesuai dengan permohonan pada tautan lacak ini.');
  }
  return c;
}
