/**
 * The database store of the public rate limit (rate-limiter-flexible's PostgreSQL store through our
 * Kysely adapter) on the test database (PGlite, or PostgreSQL under TEST_DATABASE_URL): two
 * limiters on one database spend one budget, and a database that stops answering falls back to the
 * memory limiter instead of failing the request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createLimiterBackend } from '../../api/rate-limit.js';
import { createTestDatabase } from '../helpers/db.js';
import type { DatabaseHandle } from '../../db/connect.js';

let handle: DatabaseHandle | undefined;
afterEach(async () => {
  await handle?.close().catch(() => undefined);
  handle = undefined;
});

const outcome = (p: Promise<unknown>) => p.then(() => 'ok' as const, (e: unknown) => (e instanceof RateLimiterRes ? ('limited' as const) : Promise.reject(e)));

describe('rate limit database store', () => {
  it('two limiters on one database (two API processes) share one budget per address', async () => {
    handle = await createTestDatabase();
    const a = createLimiterBackend(3, { db: handle.db, keyPrefix: 'public' });
    const b = createLimiterBackend(3, { db: handle.db, keyPrefix: 'public' });
    const results = [];
    for (const l of [a, b, a, b]) results.push(await outcome(l.consume('203.0.113.5', 1)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'limited']);
    // Another address has its own budget; the row is in the shared table.
    expect(await outcome(b.consume('203.0.113.6', 1))).toBe('ok');
    const row = await handle.db.selectFrom('rate_limits').select(['points']).where('key', '=', 'public:203.0.113.5').executeTakeFirstOrThrow();
    expect(Number(row.points)).toBe(4);
  });

  it('a database that does not answer: the memory limiter decides, no error reaches the request', async () => {
    handle = await createTestDatabase();
    const limiter = createLimiterBackend(2, { db: handle.db, keyPrefix: 'public' });
    await handle.close();
    handle = undefined;
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await outcome(limiter.consume('203.0.113.7', 1)));
    expect(results).toEqual(['ok', 'ok', 'limited']);
  });
});
