/**
 * Service topologies for the fault tests, all on loopback and free ports with a temporary DATA_DIR:
 * - split: throwaway PostgreSQL + Temporal dev server (startDevServer) + `api/main.ts` and
 *   `worker/main.ts` as separate processes (so each can be killed alone);
 * - embedded: `infra/start.ts` (the `npm start` process tree: dev server, PGlite, worker, API).
 * And the driver that runs lifecycles while a chaos routine breaks things.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../db/connect.js';
import { startDevServer, type DevServer } from '../../../infra/dev-server.js';
import { silentLogger } from '../../../infra/logger.js';
import { ApiClient, sleep, waitForHttp } from '../../../bench/lib/http.js';
import { planCase } from '../../../bench/lib/fixtures.js';
import { addBlanks, runLifecycle, runPool, setupStaff, type LifecycleResult, type Tokens } from '../../../bench/lib/lifecycle.js';
import { freePort, spawnService, type ServiceProcess } from '../../../bench/lib/processes.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.js';

export const ADMIN = { username: 'admin', password: 'fault-admin-password' };

function baseEnv(dataDir: string, port: number): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
  };
}

export interface SplitStack {
  baseUrl: string;
  dataDir: string;
  pg: ThrowawayPostgres;
  temporalAddress: string;
  api: ServiceProcess;
  worker: ServiceProcess;
  /** Worker or API exits that nobody asked for (each was restarted). */
  unexpectedExits: string[];
  killWorker(): Promise<void>;
  startWorker(): void;
  /** Resolves when the worker started last logged that it runs (polling its task queue); false on timeout. */
  workerReady(timeoutMs?: number): Promise<boolean>;
  /** SIGKILL the Temporal dev server and start it again on the same port and SQLite file. */
  restartTemporal(downMs?: number): Promise<void>;
  openDb(): Promise<DatabaseHandle>;
  shutdown(): Promise<void>;
}

export async function startSplitStack(): Promise<SplitStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-faults-'));
  const logDir = path.join(dataDir, 'logs');
  const pg = await startThrowawayPostgres();
  const devPort = await freePort();
  const devOpts = { dataDir, port: devPort, uiPort: devPort + 1, namespace: 'default', headless: true, logger: silentLogger };
  let devServer: DevServer = await startDevServer(devOpts);
  const port = await freePort();
  const env = { ...baseEnv(dataDir, port), DATABASE_URL: pg.url, TEMPORAL_ADDRESS: devServer.address };
  const baseUrl = `http://127.0.0.1:${port}`;
  const unexpectedExits: string[] = [];
  let stopping = false;
  const expectedDeaths = new Set<number>();
  // Every worker start appends to logs/worker.log; a new "worker running" line means the new one polls.
  const workerReadyLines = () => {
    try {
      return fs.readFileSync(path.join(logDir, 'worker.log'), 'utf8').split('worker running').length - 1;
    } catch {
      return 0;
    }
  };
  let readyLinesBefore = 0;

  // A supervisor like systemd's Restart=always: an exit we did not cause is recorded and restarted.
  const supervise = (name: string, entry: string, set: (p: ServiceProcess) => void): ServiceProcess => {
    const p = spawnService(name, entry, env, logDir);
    void p.exited.then(({ code, signal }) => {
      if (stopping || expectedDeaths.has(p.pid)) return;
      unexpectedExits.push(`${name} pid ${p.pid} exited (code ${code}, signal ${signal}); see ${p.logPath}`);
      setTimeout(() => {
        if (!stopping) set(supervise(name, entry, set));
      }, 500);
    });
    return p;
  };

  const stack: SplitStack = {
    baseUrl,
    dataDir,
    pg,
    temporalAddress: devServer.address,
    api: undefined as unknown as ServiceProcess,
    worker: undefined as unknown as ServiceProcess,
    unexpectedExits,
    killWorker: async () => {
      expectedDeaths.add(stack.worker.pid);
      await stack.worker.kill();
    },
    startWorker: () => {
      readyLinesBefore = workerReadyLines();
      stack.worker = supervise('worker', 'worker/main.ts', (p) => (stack.worker = p));
    },
    workerReady: (timeoutMs = 120_000) => until(() => workerReadyLines() > readyLinesBefore, timeoutMs, 200),
    restartTemporal: async (downMs = 2_000) => {
      if (devServer.pid) process.kill(devServer.pid, 'SIGKILL');
      await devServer.exited;
      await sleep(downMs);
      devServer = await startDevServer(devOpts);
    },
    openDb: () => openDatabase({ url: pg.url, poolMax: 2 }),
    shutdown: async () => {
      stopping = true;
      await stack.api?.stop().catch(() => undefined);
      await stack.worker?.stop().catch(() => undefined);
      await devServer.stop().catch(() => undefined);
      pg.destroy();
      if (!process.env.KEEP_FAULT_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // The API migrates the database first; then the worker (both would, under Kysely's migration lock).
    stack.api = supervise('api', 'api/main.ts', (p) => (stack.api = p));
    await waitForHttp(baseUrl, '/readyz', 180_000, () => stack.api.alive());
    stack.startWorker();
  } catch (e) {
    await stack.shutdown();
    throw e;
  }
  return stack;
}

export interface EmbeddedStack {
  baseUrl: string;
  dataDir: string;
  process: ServiceProcess;
  /** SIGKILL the whole process tree (entry point and dev server), as a power cut would. */
  killAll(): Promise<void>;
  /** Start `infra/start.ts` again on the same DATA_DIR and ports; resolves when ready. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM), so the test can open the PGlite directory itself. */
  stop(): Promise<void>;
  openDb(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
}

export async function startEmbeddedStack(): Promise<EmbeddedStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-faults-embedded-'));
  const port = await freePort();
  const env = { ...baseEnv(dataDir, port), TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()) };
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack: EmbeddedStack = {
    baseUrl,
    dataDir,
    process: undefined as unknown as ServiceProcess,
    killAll: () => stack.process.killGroup(),
    start: async () => {
      stack.process = spawnService('stack', 'infra/start.ts', env, path.join(dataDir, 'logs'));
      await waitForHttp(baseUrl, '/readyz', 180_000, () => stack.process.alive());
    },
    stop: () => stack.process.stop(30_000),
    openDb: () => openDatabase({ pgliteDir: path.join(dataDir, 'pglite') }),
    cleanup: async () => {
      await stack.process?.killGroup().catch(() => undefined);
      if (!process.env.KEEP_FAULT_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await stack.start();
  } catch (e) {
    await stack.cleanup();
    throw e;
  }
  return stack;
}

export interface Progress {
  submitted: number;
  completed: number;
  done: boolean;
}

export interface ChaosRun {
  results: LifecycleResult[];
  registrationNumbers: string[];
  api: ApiClient;
}

/**
 * Runs `cases` lifecycles (concurrency `concurrency`) while `chaos(progress)` runs beside them; the
 * chaos routine must return once `progress.done` is true. Transient failures are retried for up to
 * `retryForMs` (a process restarting, a dependency down).
 */
export async function driveWithChaos(
  baseUrl: string,
  opts: { cases: number; concurrency: number; failPrintEvery?: number; retryForMs?: number; stepTimeoutMs?: number },
  chaos: (progress: Progress) => Promise<void>,
): Promise<ChaosRun> {
  const api = new ApiClient(baseUrl, opts.retryForMs ?? 120_000);
  const tokens: Tokens = await setupStaff(api, ADMIN, `f${Date.now().toString(36).slice(-5)}`);
  await addBlanks(api, tokens.admin, 'KTP_EL', opts.cases * 2 + 5);
  await addBlanks(api, tokens.admin, 'KIA', opts.cases + 5);
  const salt = Math.floor(Math.random() * 1e6);
  const registrationNumbers: string[] = [];
  const progress: Progress = { submitted: 0, completed: 0, done: false };
  const chaosDone = chaos(progress).catch((e: unknown) => {
    progress.done = true;
    throw e;
  });
  let results: LifecycleResult[];
  try {
    results = await runPool(opts.cases, opts.concurrency, async (i) => {
      const r = await runLifecycle(api, tokens, planCase(i, { failPrintEvery: opts.failPrintEvery ?? 7, salt }), {
        pollMs: 200,
        stepTimeoutMs: opts.stepTimeoutMs ?? 240_000,
        onSubmitted: (regNo) => {
          registrationNumbers.push(regNo);
          progress.submitted++;
        },
      });
      progress.completed++;
      return r;
    });
  } finally {
    progress.done = true;
  }
  await chaosDone;
  return { results, registrationNumbers, api };
}

/** Random integer in [min, max]. */
export function between(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Waits until `cond()` or the deadline (bounded). */
export async function until(cond: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}
