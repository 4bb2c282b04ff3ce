/** In-memory token bucket per client IP for the public routes (one process; enough for one office). */
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

export interface RateLimiter {
  middleware: RequestHandler;
  /** Drops idle buckets (called periodically). */
  sweep(nowMs?: number): void;
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  const take = (key: string): number => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * refillPerMs);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / refillPerMs / 1000);
  };
  return {
    middleware: (req, _res, next) => {
      const retryAfter = take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      if (retryAfter > 0) {
        throw new ApiError('rate_limited', `Terlalu banyak permintaan. Coba lagi dalam ${retryAfter} detik.`, {
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
      next();
    },
    sweep(nowMs = now()) {
      for (const [k, b] of buckets) if (nowMs - b.at > 10 * 60_000) buckets.delete(k);
    },
  };
}
