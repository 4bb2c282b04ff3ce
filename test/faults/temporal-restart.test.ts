import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveWithChaos, startSplitStack, until, type SplitStack } from './helpers/stacks.js';
import { checkInvariants } from './helpers/invariants.js';
import { sleep } from '../../bench/lib/http.js';

const CASES = 40;

describe('Temporal dev server killed and restarted mid-run (its SQLite file persists)', () => {
  let stack: SplitStack;
  beforeAll(async () => {
    stack = await startSplitStack();
  });
  afterAll(async () => {
    await stack?.shutdown();
  });

  it(`completes all ${CASES} cases with no side effect duplicated`, async () => {
    let restarts = 0;
    const run = await driveWithChaos(stack.baseUrl, { cases: CASES, concurrency: 8 }, async (progress) => {
      // Twice: once early (cases in the first steps), once later (cases printing and handing over).
      for (const share of [0.25, 0.6]) {
        await until(() => progress.done || progress.submitted >= CASES * share, 600_000);
        if (progress.done) return;
        await sleep(1_000);
        await stack.restartTemporal(3_000);
        restarts++;
      }
    });
    const failures = run.results.filter((r) => !r.ok).map((r) => `#${r.index} ${r.registrationNumber ?? ''}: ${r.error}`);
    expect(failures).toEqual([]);
    expect(restarts).toBe(2);

    const handle = await stack.openDb();
    try {
      const report = await checkInvariants(handle.db, run.registrationNumbers, CASES);
      expect(report.problems).toEqual([]);
    } finally {
      await handle.close();
    }
    console.info(`Temporal restart: ${restarts} restarts; transient retries ${run.api.stats.retries} ${JSON.stringify(run.api.stats.retriedStatuses)}; process exits ${JSON.stringify(stack.unexpectedExits)}`);
  });
});
