import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveWithChaos, startEmbeddedStack, until, type EmbeddedStack } from './helpers/stacks.js';
import { checkInvariants } from './helpers/invariants.js';
import { sleep } from '../../bench/lib/http.js';

const CASES = 30;

describe('the whole embedded stack (npm start: dev server, PGlite, worker, API) SIGKILLed and restarted on the same DATA_DIR', () => {
  let stack: EmbeddedStack;
  beforeAll(async () => {
    stack = await startEmbeddedStack();
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it(`completes all ${CASES} cases with no side effect duplicated`, async () => {
    let kills = 0;
    const run = await driveWithChaos(stack.baseUrl, { cases: CASES, concurrency: 6, retryForMs: 240_000 }, async (progress) => {
      for (const share of [0.3, 0.7]) {
        await until(() => progress.done || progress.submitted >= CASES * share, 600_000);
        if (progress.done) return;
        await sleep(1_500);
        await stack.killAll();
        kills++;
        await sleep(1_000);
        await stack.start();
      }
    });
    const failures = run.results.filter((r) => !r.ok).map((r) => `#${r.index} ${r.registrationNumber ?? ''}: ${r.error}`);
    expect(failures).toEqual([]);
    expect(kills).toBe(2);

    // PGlite is single-process: stop the stack gracefully, then read its database here.
    await stack.stop();
    const handle = await stack.openDb();
    try {
      const report = await checkInvariants(handle.db, run.registrationNumbers, CASES);
      expect(report.problems).toEqual([]);
    } finally {
      await handle.close();
    }
    console.info(`embedded stack SIGKILL: ${kills} kills; retried ${JSON.stringify(run.api.stats.retriedStatuses)}`);
  });
});
