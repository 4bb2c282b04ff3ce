/**
 * Issue #16 item 3: the production shape (Temporal's own server as frontend, 2x history, matching
 * and worker processes on PostgreSQL; two API and two worker processes of ours) takes 100 cases
 * through both API processes while one API process, one worker process and one Temporal history
 * process are each SIGKILLed and started again. Afterwards: every case COMPLETED, none lost or
 * created twice, no print, blank, receipt or courier message duplicated (checkInvariants), and
 * every 5xx answer seen was a 503 with Retry-After (which the client's retry got past).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterStack, type ClusterStack } from '../../infra/cluster/stack.js';
import { openDatabase } from '../../db/connect.js';
import { ApiClient, sleep } from '../../bench/lib/http.js';
import { planCase } from '../../bench/lib/fixtures.js';
import { addBlanks, runLifecycle, runPool, setupStaff, type LifecycleResult } from '../../bench/lib/lifecycle.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './helpers/postgres.js';
import { checkInvariants } from './helpers/invariants.js';
import { ADMIN, until } from './helpers/stacks.js';

const CASES = Number(process.env.CLUSTER_FAULT_CASES ?? 100);

/** Every HTTP answer with status >= 500 that this process saw, observed at fetch. */
const serverErrors: Array<{ status: number; retryAfter: string | null; path: string }> = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  if (res.status >= 500) serverErrors.push({ status: res.status, retryAfter: res.headers.get('retry-after'), path: new URL(String(input instanceof Request ? input.url : input)).pathname });
  return res;
};

/** One client over both API processes: each request (and each retry) goes to the next one. */
function roundRobin(urls: string[], retryForMs: number): ApiClient {
  const api = new ApiClient(urls[0]!, retryForMs);
  let n = 0;
  Object.defineProperty(api, 'baseUrl', { get: () => urls[n++ % urls.length] });
  return api;
}

let pgServer: ThrowawayPostgres | undefined;
let dropDatabases: (() => Promise<void>) | undefined;
let stack: ClusterStack;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-cluster-faults-'));
  let adminUrl = process.env.TEST_DATABASE_URL;
  const suffix = randomBytes(3).toString('hex');
  const names = { app: `becak_${suffix}`, main: `temporal_${suffix}`, visibility: `temporal_vis_${suffix}` };
  if (!adminUrl) {
    pgServer = await startThrowawayPostgres();
    adminUrl = pgServer.url;
  } else {
    const url = adminUrl;
    dropDatabases = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (const n of Object.values(names)) await c.query(`drop database if exists ${n} with (force)`).catch(() => undefined);
      await c.end();
    };
  }
  stack = await startClusterStack({
    dir,
    postgresUrl: adminUrl,
    appDatabase: names.app,
    temporalDatabases: { main: names.main, visibility: names.visibility },
    temporalPort: 0,
    apiPorts: [0, 0],
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_PER_MINUTE: '1000000', NODE_ENV: 'test', LOG_LEVEL: 'info', DB_POOL_MAX: '5' },
    log: (line) => console.info(`[cluster] ${line}`),
  });
}, 20 * 60_000);

afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  await dropDatabases?.().catch(() => undefined);
  pgServer?.destroy();
  if (!process.env.KEEP_FAULT_DATA) fs.rmSync(dir, { recursive: true, force: true });
});

describe('cluster: Temporal server processes on PostgreSQL, 2 API + 2 worker processes', () => {
  it(`completes ${CASES} cases driven through both APIs while one API, one worker and one history process are SIGKILLed and restarted`, async () => {
    expect(stack.apiUrls).toHaveLength(2);
    const api = roundRobin(stack.apiUrls, 240_000);
    const tokens = await setupStaff(api, ADMIN, `c${Date.now().toString(36).slice(-5)}`);
    await addBlanks(api, tokens.admin, 'KTP_EL', CASES * 2 + 5);
    await addBlanks(api, tokens.admin, 'KIA', CASES + 5);
    const salt = Math.floor(Math.random() * 1e6);
    const registrationNumbers: string[] = [];
    let done = false;
    const kills: string[] = [];
    const chaos = (async () => {
      const at = (share: number) => until(() => done || registrationNumbers.length >= CASES * share, 20 * 60_000, 200);
      await at(0.2);
      if (done) return;
      await stack.killApi(0);
      kills.push('api-1');
      await sleep(2_000);
      await stack.startApi(0);
      await at(0.45);
      if (done) return;
      await stack.killWorker(0);
      kills.push('worker-1');
      await sleep(2_000);
      stack.startWorker(0);
      await at(0.7);
      if (done) return;
      await stack.temporal.kill('history-2');
      kills.push('history-2');
      await sleep(3_000);
      stack.temporal.start('history-2');
    })();
    let results: LifecycleResult[];
    try {
      results = await runPool(CASES, 8, (i) =>
        runLifecycle(api, tokens, planCase(i, { failPrintEvery: 7, salt }), {
          pollMs: 250,
          stepTimeoutMs: 300_000,
          onSubmitted: (regNo) => registrationNumbers.push(regNo),
        }),
      );
    } finally {
      done = true;
    }
    await chaos;
    const failures = results.filter((r) => !r.ok).map((r) => `#${r.index} ${r.registrationNumber ?? ''}: ${r.error}`);
    expect(failures).toEqual([]);
    expect(kills).toEqual(['api-1', 'worker-1', 'history-2']);

    const handle = await openDatabase({ url: stack.databaseUrl, poolMax: 2 });
    let report: Awaited<ReturnType<typeof checkInvariants>>;
    try {
      report = await checkInvariants(handle.db, registrationNumbers, CASES);
    } finally {
      await handle.close();
    }
    expect(report.problems).toEqual([]);
    // Every 5xx seen was a 503 telling when to come back.
    expect(serverErrors.filter((e) => e.status !== 503 || !e.retryAfter)).toEqual([]);
    const summary = {
      cases: CASES,
      kills,
      requests: api.stats.requests,
      retries: api.stats.retries,
      retried: api.stats.retriedStatuses,
      problem503: api.stats.problem503,
      serverErrors: serverErrors.length,
      casesInDatabase: report.cases,
      printAttempts: report.printAttempts,
      failedPrintsByPlan: report.failedPrints,
      invariantProblems: report.problems.length,
      unexpectedExits: stack.unexpectedExits,
    };
    console.info(`cluster faults: ${JSON.stringify(summary)}`);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/cluster-faults.json', `${JSON.stringify(summary, null, 2)}\n`);
  }, 40 * 60_000);
});
