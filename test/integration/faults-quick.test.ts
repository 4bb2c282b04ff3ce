/**
 * The quick fault check inside `npm test` (the full suite is `npm run test:faults`): the worker
 * process SIGKILLed and restarted while 5 cases run, then PostgreSQL stopped for a moment to see
 * the API answer 503 problem+json instead of failing or hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveWithChaos, startSplitStack, until, type SplitStack } from '../faults/helpers/stacks.js';
import { checkInvariants } from '../faults/helpers/invariants.js';
import { postgresBinDir } from '../faults/helpers/postgres.js';
import { sleep, waitForHttp } from '../../bench/lib/http.js';

const CASES = 5;

describe.skipIf(!postgresBinDir())('quick faults (separate API and worker processes on a throwaway PostgreSQL)', () => {
  let stack: SplitStack;
  beforeAll(async () => {
    stack = await startSplitStack();
  });
  afterAll(async () => {
    await stack?.shutdown();
  });

  it('a worker SIGKILLed mid-run and restarted loses no case and duplicates no print, blank, courier message or receipt', async () => {
    let killed = false;
    const run = await driveWithChaos(stack.baseUrl, { cases: CASES, concurrency: CASES, failPrintEvery: 5 }, async (progress) => {
      await until(() => progress.done || progress.submitted >= CASES, 120_000);
      await stack.workerReady();
      await sleep(1_500);
      if (progress.done) return;
      await stack.killWorker();
      killed = true;
      await sleep(500);
      stack.startWorker();
    });
    expect(killed).toBe(true);
    expect(run.results.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    const handle = await stack.openDb();
    try {
      const report = await checkInvariants(handle.db, run.registrationNumbers, CASES);
      expect(report.problems).toEqual([]);
      expect(report.failedPrints).toBe(1);
    } finally {
      await handle.close();
    }
    // ≈30 s normally; a kill that lands on a running activity waits for its startToCloseTimeout
    // (2 min in workflows/case.ts) before the retry — see bench/README.md, tuning note 0.
  }, 300_000);

  it('answers 503 application/problem+json while PostgreSQL is down, and is ready again after it returns', async () => {
    stack.pg.stop();
    try {
      const res = await fetch(`${stack.baseUrl}/api/tracking`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ registrationNumber: 'BP-20260101-00001', nik: '3315014101900001' }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await res.json()) as { status?: number; title?: string };
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(body.status).toBe(503);
      const ready = await fetch(`${stack.baseUrl}/readyz`, { signal: AbortSignal.timeout(20_000) });
      await ready.arrayBuffer();
      expect(ready.status).toBe(503);
    } finally {
      stack.pg.start();
    }
    await waitForHttp(stack.baseUrl, '/readyz', 60_000);
  });
});
