/**
 * Per-client-address rate limit for the public routes, through `rate-limiter-flexible`.
 *
 * Store: with `shared` (PostgreSQL, set by `createApp` when DATABASE_URL is set or
 * RATE_LIMIT_STORE=database) the counters live in the `rate_limits` table, so every API process
 * spends the same budget; otherwise (embedded PGlite: one process) in this process's memory. The
 * database store goes through Kysely (one pool, PostgreSQL or PGlite alike), and falls back to a
 * memory limiter of the same size while the database does not answer, so an outage never turns a
 * public request into a 500 because of the limiter.
 */
import type { RequestHandler } from 'express';
import { CompiledQuery, type Kysely } from 'kysely';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Database } from '../db/schema.js';
import { ApiError } from './errors.js';

export interface RateLimiter {
  middleware: RequestHandler;
  /** Kept for callers that sweep periodically: the library expires its own keys. */
  sweep(nowMs?: number): void;
}

export interface SharedStore {
  db: Kysely<Database>;
  /** Distinguishes limiters sharing the table (e.g. `public`, `token`). */
  keyPrefix: string;
}

/** A `pg`-client look-alike over Kysely, for rate-limiter-flexible's PostgreSQL store. */
export function kyselyQueryClient(db: Kysely<Database>) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const res = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      const rowCount = res.numAffectedRows !== undefined ? Number(res.numAffectedRows) : res.rows.length;
      return { rows: res.rows, rowCount: res.rows.length > 0 ? res.rows.length : rowCount };
    },
  };
}

/** Builds the limiter object itself (also used by the shared-limit test). */
export function createLimiterBackend(perMinute: number, shared?: SharedStore): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: shared?.keyPrefix ?? 'public' });
  if (!shared) return memory;
  return new RateLimiterPostgres({
    storeClient: kyselyQueryClient(shared.db),
    storeType: 'client',
    tableName: 'rate_limits',
    tableCreated: true, // migration 2026_12_03_0600_rate_limits
    clearExpiredByTimeout: true,
    keyPrefix: shared.keyPrefix,
    points: perMinute,
    duration: 60,
    insuranceLimiter: memory,
  });
}

export function createRateLimiter(perMinute: number, _now: () => number = Date.now, shared?: SharedStore): RateLimiter {
  const backend = createLimiterBackend(perMinute, shared);
  return {
    middleware: async (req, _res, next) => {
      const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      try {
        await backend.consume(key, 1);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new ApiError('rate_limited', `Terlalu banyak permintaan. Coba lagi dalam ${retryAfter} detik.`, {
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
      next();
    },
    sweep() {
      /* the library expires keys itself (memory: timers; PostgreSQL: clearExpiredByTimeout) */
    },
  };
}

/**
 * Where a limiter keeps its counters: the database when RATE_LIMIT_STORE=database, or by default
 * when DATABASE_URL is set (PostgreSQL: several API processes); memory otherwise (PGlite: one process).
 */
export function sharedStoreFor(
  config: { DATABASE_URL?: string | undefined; RATE_LIMIT_STORE?: 'memory' | 'database' | undefined },
  db: Kysely<Database>,
  keyPrefix: string,
): SharedStore | undefined {
  const store = config.RATE_LIMIT_STORE ?? (config.DATABASE_URL ? 'database' : 'memory');
  return store === 'database' ? { db, keyPrefix } : undefined;
}
