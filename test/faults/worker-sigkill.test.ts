import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { between, driveWithChaos, startSplitStack, type SplitStack } from './helpers/stacks.js';
import { checkInvariants } from './helpers/invariants.js';
import { sleep } from '../../bench/lib/http.js';

// FAULT_CASES shortens a local rerun; the suite's figure is 100.
const CASES = Number(process.env.FAULT_CASES ?? 100);

describe('worker SIGKILL at random moments', () => {
  let stack: SplitStack;
  beforeAll(async () => {
    stack = await startSplitStack();
  });
  afterAll(async () => {
    await stack?.shutdown();
  });

  it(`completes all ${CASES} cases with one good print, one blank per print attempt, one courier message and one receipt each`, async () => {
    let kills = 0;
    // An activity whose worker was killed is retried only after its startToCloseTimeout (2 min in
    // workflows/case.ts, no heartbeat timeout): actions waiting on it may take that long.
    const run = await driveWithChaos(stack.baseUrl, { cases: CASES, concurrency: 10, retryForMs: 360_000, stepTimeoutMs: 360_000 }, async (progress) => {
      // Bounded: at most 25 kills, each after the restarted worker has run 1–6 s, down for 0.2–2 s.
      while (!progress.done && kills < 25) {
        await stack.workerReady();
        await sleep(between(1_000, 6_000));
        if (progress.done) break;
        await stack.killWorker();
        kills++;
        await sleep(between(200, 2_000));
        stack.startWorker();
      }
    });
    const failures = run.results.filter((r) => !r.ok).map((r) => `#${r.index} ${r.registrationNumber ?? ''}: ${r.error}`);
    expect(failures).toEqual([]);
    expect(kills).toBeGreaterThan(0);

    const handle = await stack.openDb();
    try {
      const report = await checkInvariants(handle.db, run.registrationNumbers, CASES);
      expect(report.problems).toEqual([]);
      expect(report.cases).toBe(CASES);
      // Every 7th case recorded one failed print: those reprints happened exactly once.
      expect(report.failedPrints).toBe(run.results.reduce((s, r) => s + r.failedPrintsAccepted, 0));
    } finally {
      await handle.close();
    }
    expect(stack.unexpectedExits).toEqual([]);
    console.info(`worker SIGKILL: ${kills} kills over ${CASES} cases; transient retries ${run.api.stats.retries}`);
  });
});
