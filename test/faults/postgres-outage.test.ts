import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveWithChaos, startSplitStack, until, type SplitStack } from './helpers/stacks.js';
import { checkInvariants } from './helpers/invariants.js';
import { sleep } from '../../bench/lib/http.js';

const CASES = 40;
const OUTAGE_MS = 20_000;

describe('PostgreSQL stopped for 20 s mid-run', () => {
  let stack: SplitStack;
  beforeAll(async () => {
    stack = await startSplitStack();
  });
  afterAll(async () => {
    await stack?.shutdown();
  });

  it('answers 503 problem+json during the outage, then completes every case with no side effect duplicated', async () => {
    const during: Array<{ path: string; status: number; contentType: string }> = [];
    const run = await driveWithChaos(stack.baseUrl, { cases: CASES, concurrency: 8, retryForMs: 180_000 }, async (progress) => {
      await until(() => progress.done || progress.submitted >= CASES / 3, 600_000);
      if (progress.done) return;
      stack.pg.stop();
      const end = Date.now() + OUTAGE_MS;
      await sleep(2_000);
      // Probe while the database is down: readiness and a public database-backed endpoint.
      for (const [method, path, body] of [
        ['GET', '/readyz', undefined],
        ['POST', '/api/tracking', { registrationNumber: 'BP-20260101-00001', nik: '3315014101900001' }],
      ] as const) {
        const res = await fetch(stack.baseUrl + path, {
          method,
          headers: body ? { 'content-type': 'application/json' } : {},
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        during.push({ path, status: res.status, contentType: res.headers.get('content-type') ?? '' });
      }
      await sleep(Math.max(0, end - Date.now()));
      stack.pg.start();
    });
    expect(during.map((d) => d.status)).toEqual([503, 503]);
    expect(during.find((d) => d.path === '/api/tracking')?.contentType).toContain('application/problem+json');

    const failures = run.results.filter((r) => !r.ok).map((r) => `#${r.index} ${r.registrationNumber ?? ''}: ${r.error}`);
    expect(failures).toEqual([]);
    const handle = await stack.openDb();
    try {
      const report = await checkInvariants(handle.db, run.registrationNumbers, CASES);
      expect(report.problems).toEqual([]);
    } finally {
      await handle.close();
    }
    expect(stack.unexpectedExits).toEqual([]);
    console.info(`PostgreSQL outage: driver saw ${run.api.stats.problem503} problem+json 503s; retried ${JSON.stringify(run.api.stats.retriedStatuses)}`);
  });
});
