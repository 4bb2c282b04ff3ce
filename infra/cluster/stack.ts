/**
 * The whole production shape on one machine: PostgreSQL (given, or a local one), the Temporal
 * cluster (frontend, 2x history, matching, worker), two API and two worker processes of ours, each
 * on its own port and supervised like systemd's Restart=always (an exit nobody asked for is
 * recorded and the process started again after a short pause). `npm run cluster` and the cluster
 * fault test both start it through here.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { spawnService, freePort, type ServiceProcess } from '../../bench/lib/processes.js';
import { waitForHttp } from '../../bench/lib/http.js';
import { ensureTemporalServer } from './build.js';
import { startTemporalCluster, type TemporalCluster } from './temporal-cluster.js';

export interface ClusterStackOptions {
  /** Config, logs and DATA_DIR of our processes. */
  dir: string;
  /** Admin URL of the PostgreSQL server (database `postgres`, a role that may create databases). */
  postgresUrl: string;
  /** Our database on it (created when missing). */
  appDatabase?: string;
  /** Temporal's databases (default temporal, temporal_visibility). */
  temporalDatabases?: { main: string; visibility: string };
  /** Frontend port; 0 = free ports everywhere (tests). */
  temporalPort?: number;
  /** API ports; 0 = free ports. */
  apiPorts?: [number, number];
  apiCount?: number;
  workerCount?: number;
  /** Extra environment for our processes. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface ClusterStack {
  temporal: TemporalCluster;
  databaseUrl: string;
  apiUrls: string[];
  apis: ServiceProcess[];
  workers: ServiceProcess[];
  /** Exits of our processes that nobody asked for (each restarted). */
  unexpectedExits: string[];
  /** SIGKILL API i; the supervisor does not restart it (call startApi). */
  killApi(i: number): Promise<void>;
  startApi(i: number): Promise<void>;
  killWorker(i: number): Promise<void>;
  startWorker(i: number): void;
  stop(): Promise<void>;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startClusterStack(opts: ClusterStackOptions): Promise<ClusterStack> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binaries = await ensureTemporalServer({ log });
  const admin = new URL(opts.postgresUrl);
  const temporal = await startTemporalCluster({
    binaries,
    dir: path.join(opts.dir, 'temporal'),
    postgres: { host: admin.hostname, port: Number(admin.port || 5432), user: decodeURIComponent(admin.username || 'postgres'), password: decodeURIComponent(admin.password) },
    databases: opts.temporalDatabases,
    namespace: 'default',
    frontendPort: opts.temporalPort ?? 7233,
    log,
  });
  const databaseUrl = await ensureDatabase(opts.postgresUrl, opts.appDatabase ?? 'becak');
  const dataDir = path.join(opts.dir, 'data');
  const logDir = path.join(opts.dir, 'logs');
  fs.mkdirSync(dataDir, { recursive: true });
  const apiCount = opts.apiCount ?? 2;
  const workerCount = opts.workerCount ?? 2;
  const apiPorts: number[] = [];
  for (let i = 0; i < apiCount; i++) apiPorts.push(opts.apiPorts?.[i] || (await freePort()));
  const common = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, HOST: '127.0.0.1', ...opts.env };

  let stopping = false;
  const expected = new Set<number>();
  const unexpectedExits: string[] = [];
  const apis: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  const supervise = (name: string, entry: string, env: Record<string, string>, slot: ServiceProcess[], i: number) => {
    const p = spawnService(name, entry, env, logDir);
    slot[i] = p;
    void p.exited.then(({ code, signal }) => {
      if (stopping || expected.has(p.pid)) return;
      unexpectedExits.push(`${name} pid ${p.pid} exited (code ${code}, signal ${signal}); see ${p.logPath}`);
      setTimeout(() => {
        if (!stopping && slot[i] === p) supervise(name, entry, env, slot, i);
      }, 1_000);
    });
    return p;
  };
  const apiEnv = (i: number) => ({ ...common, PORT: String(apiPorts[i]) });
  const startApi = async (i: number) => {
    const p = supervise(`api-${i + 1}`, 'api/main.ts', apiEnv(i), apis, i);
    await waitForHttp(`http://127.0.0.1:${apiPorts[i]}`, '/readyz', 180_000, () => p.alive());
  };
  const startWorker = (i: number) => void supervise(`worker-${i + 1}`, 'worker/main.ts', { ...common, PORT: '0' }, workers, i);

  const stop = async () => {
    stopping = true;
    await Promise.all([...apis, ...workers].map((p) => p?.stop().catch(() => undefined)));
    await temporal.stop();
  };
  try {
    // The first API migrates the database and writes the shared secrets under DATA_DIR; the others follow.
    await startApi(0);
    for (let i = 1; i < apiCount; i++) await startApi(i);
    for (let i = 0; i < workerCount; i++) startWorker(i);
  } catch (e) {
    await stop();
    throw e;
  }
  const kill = async (p: ServiceProcess | undefined) => {
    if (!p) return;
    expected.add(p.pid);
    await p.kill();
  };
  return {
    temporal,
    databaseUrl,
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    apis,
    workers,
    unexpectedExits,
    killApi: (i) => kill(apis[i]),
    startApi,
    killWorker: (i) => kill(workers[i]),
    startWorker,
    stop,
  };
}
