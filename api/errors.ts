/**
 * One error type and one error middleware: every failure leaves as RFC 9457
 * `application/problem+json` with an Indonesian `detail`. Bad input is never a 5xx.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { FieldError } from '../domain/actions.js';
import type { Logger } from '../infra/logger.js';
import { MAX_JSON_BODY_BYTES } from '../domain/citizen.js';

/** "16,6 MiB": the body size limit as users read it. */
const MAX_JSON_BODY_LABEL = `${(Math.floor((MAX_JSON_BODY_BYTES / 1024 / 1024) * 10) / 10).toLocaleString('id-ID')} MiB`;

export const PROBLEM_BASE = 'https://becak-pintar.grobogan.go.id/problems/';

export const ERROR_CODES = {
  validation: { status: 400, title: 'Isian tidak valid' },
  malformed_json: { status: 400, title: 'Badan permintaan bukan JSON yang valid' },
  unauthorized: { status: 401, title: 'Perlu masuk (login)' },
  forbidden: { status: 403, title: 'Peran Anda tidak berwenang' },
  not_found: { status: 404, title: 'Tidak ditemukan' },
  conflict: { status: 409, title: 'Tidak dapat dilakukan pada keadaan saat ini' },
  duplicate_application: { status: 409, title: 'Masih ada permohonan yang berjalan' },
  gone: { status: 410, title: 'Data pribadi telah dihapus' },
  idempotency_conflict: { status: 422, title: 'Idempotency-Key sudah dipakai untuk permintaan lain' },
  too_large: { status: 413, title: 'Permintaan terlalu besar' },
  unsupported_media_type: { status: 415, title: 'Jenis konten tidak didukung' },
  rate_limited: { status: 429, title: 'Terlalu banyak permintaan' },
  internal: { status: 500, title: 'Kesalahan internal' },
  unavailable: { status: 503, title: 'Layanan sementara tidak tersedia' },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = ERROR_CODES[code].status;
  }
  static validation(errors: FieldError[], detail = 'Periksa kembali isian yang ditandai.'): ApiError {
    return new ApiError('validation', detail, { errors });
  }
  static notFound(detail = 'Data tidak ditemukan.'): ApiError {
    return new ApiError('not_found', detail);
  }
}

/** The problem+json body schema (also documented in OpenAPI). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    registrationNumber: z.string().optional(),
  })
  .meta({ id: 'Problem', title: 'Problem (RFC 9457)' });

export function sendProblem(res: Response, err: ApiError, instance?: string): void {
  const { errors, headers, ...rest } = err.extra;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res
    .status(err.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `${PROBLEM_BASE}${err.code.replace(/_/g, '-')}`,
        title: ERROR_CODES[err.code].title,
        status: err.status,
        detail: err.detail,
        ...(instance ? { instance } : {}),
        code: err.code,
        ...(errors ? { errors } : {}),
        ...rest,
      }),
    );
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P03', '08000', '08001', '08003', '08006']);

/** Whether an error means a dependency (database, Temporal) is unreachable. */
export function isDependencyDown(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const anyE = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof anyE.code === 'string' && CONNECTION_CODES.has(anyE.code)) return true;
    // gRPC UNAVAILABLE (14) / DEADLINE_EXCEEDED (4) from the Temporal client.
    if ((e instanceof ServiceError || (anyE as { details?: unknown }).details !== undefined) && (anyE.code === 14 || anyE.code === 4)) return true;
    if (e instanceof ServiceError && /UNAVAILABLE|DEADLINE_EXCEEDED|connect/i.test(String(anyE.message))) return true;
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (typeof anyE.message === 'string' && /Connection terminated|connection is closed|PGlite is closed|Client was closed|ECONNREFUSED|has already been destroyed|pool is closed|Cannot use a pool after/i.test(anyE.message)) return true;
    e = anyE.cause;
  }
  return false;
}

/**
 * Unknown addresses: a browser (Accept prefers HTML, a GET) gets the Indonesian 404 page; an API
 * client (JSON, problem+json, or no preference: `*\/*` picks the first) gets problem+json.
 */
export function notFoundHandler(htmlPage?: string): RequestHandler {
  return (req, res, next) => {
    const wantsHtml = htmlPage && (req.method === 'GET' || req.method === 'HEAD') && req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html';
    if (wantsHtml) {
      res.status(404);
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(htmlPage, (err) => {
        if (err && !res.headersSent) next(new ApiError('not_found', 'Halaman tidak ditemukan.'));
      });
      return;
    }
    next(new ApiError('not_found', `Alamat ${req.method} ${req.path} tidak dikenal.`));
  };
}

/** The one error middleware. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = err as { type?: string; status?: number; statusCode?: number };
    let problem: ApiError;
    if (err instanceof ApiError) problem = err;
    else if (e?.type === 'entity.too.large' || e?.status === 413) {
      problem = new ApiError('too_large', `Ukuran permintaan melebihi batas (maksimal ${MAX_JSON_BODY_LABEL}; tiap lampiran maksimal 2 MiB).`);
    } else if (e?.type === 'entity.parse.failed' || (err instanceof SyntaxError && e?.status === 400)) {
      problem = new ApiError('malformed_json', 'Badan permintaan bukan JSON yang valid.');
    } else if (e?.type === 'encoding.unsupported' || e?.status === 415) {
      problem = new ApiError('unsupported_media_type', 'Gunakan Content-Type application/json dengan UTF-8.');
    } else if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      problem = new ApiError('validation', 'Permintaan tidak dapat diproses.');
    } else if (isDependencyDown(err)) {
      logger.warn('dependency unavailable', { route: routeTemplate(req), error: errSummary(err) });
      problem = new ApiError('unavailable', 'Basis data atau mesin alur kerja sedang tidak dapat dihubungi. Coba lagi beberapa saat.', {
        headers: { 'Retry-After': '5' },
      });
    } else {
      logger.error('unhandled error', { route: routeTemplate(req), error: errSummary(err) });
      problem = new ApiError('internal', 'Terjadi kesalahan pada server. Silakan coba lagi.');
    }
    sendProblem(res, problem);
  };
}

function errSummary(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; message?: string; code?: unknown; stack?: string; cause?: { message?: string; code?: unknown } };
  return {
    errorName: e?.name,
    message: e?.message,
    code: e?.code,
    // Temporal's ServiceError says little itself; the gRPC cause says why.
    ...(e?.cause ? { cause: { message: e.cause.message, code: e.cause.code } } : {}),
    stack: e?.stack?.split('\n').slice(0, 6).join('\n'),
  };
}

/** The matched route template (`/api/applications/:regNo`) — never the raw path (it may carry ids). */
export function routeTemplate(req: { baseUrl?: string; route?: { path?: unknown } }): string {
  const p = req.route?.path;
  if (typeof p === 'string') return `${req.baseUrl ?? ''}${p}`;
  return 'unmatched';
}
