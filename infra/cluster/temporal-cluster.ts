/**
 * A Temporal cluster of Temporal's own server on loopback: frontend, two history, matching and
 * worker services, each a separate `temporal-server start --service X` process, with PostgreSQL
 * persistence and visibility (schemas made by `temporal-sql-tool` from the server's embedded
 * schema files), the namespace registered and our search attributes added. Used by
 * `npm run cluster` and the cluster fault test; each process can be killed and started alone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import net from 'node:net';
import type { ServerBinaries } from './build.js';

const run = promisify(execFile);

export const TEMPORAL_SERVICES = ['frontend', 'history-1', 'history-2', 'matching', 'worker'] as const;
export type TemporalServiceName = (typeof TEMPORAL_SERVICES)[number];

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
}

export interface TemporalClusterOptions {
  binaries: ServerBinaries;
  /** Config files and logs go here. */
  dir: string;
  postgres: PostgresTarget;
  /** Database names (default temporal, temporal_visibility). */
  databases?: { main: string; visibility: string };
  namespace: string;
  /** Frontend gRPC port; other ports follow it (+1 … +12), or all free ports when 0. */
  frontendPort?: number;
  historyShards?: number;
  log?: (line: string) => void;
}

interface Ports {
  grpc: number;
  membership: number;
  http?: number;
}

export interface TemporalCluster {
  /** host:port of the frontend. */
  readonly address: string;
  readonly namespace: string;
  readonly dir: string;
  pid(service: TemporalServiceName): number | undefined;
  /** SIGKILL one service process (as a crash would). */
  kill(service: TemporalServiceName): Promise<void>;
  /** Start a (killed) service process again with the same config. */
  start(service: TemporalServiceName): void;
  stop(): Promise<void>;
}

const SERVICE_OF: Record<TemporalServiceName, 'frontend' | 'history' | 'matching' | 'worker'> = {
  frontend: 'frontend',
  'history-1': 'history',
  'history-2': 'history',
  matching: 'matching',
  worker: 'worker',
};

// Our search attributes' types as the operator API wants them (IndexedValueType).
const INDEXED_TYPE: Record<string, number> = { KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6 };

async function sqlTool(opts: TemporalClusterOptions, database: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(
    opts.binaries.sqlTool,
    ['--plugin', 'postgres12', '--endpoint', opts.postgres.host, '--port', String(opts.postgres.port), '--user', opts.postgres.user, '--database', database, ...args],
    { env: { ...process.env, SQL_PASSWORD: opts.postgres.password ?? '' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return `${stdout}${stderr}`;
}

/** Creates both databases (when missing) and brings their schemas to the binaries' version. */
export async function setupTemporalSchemas(opts: TemporalClusterOptions): Promise<void> {
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  for (const [database, schema] of [
    [dbs.main, 'postgresql/v12/temporal'],
    [dbs.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    let created = true;
    try {
      await sqlTool(opts, database, ['create-database']);
    } catch (e) {
      if (!/already exists/i.test(String((e as { stderr?: string }).stderr ?? e))) throw e;
      created = false;
    }
    // Only on a new database: setup-schema records version 0.0, which on an existing one would make
    // update-schema apply every step again.
    if (created) await sqlTool(opts, database, ['setup-schema', '--version', '0.0']);
    await sqlTool(opts, database, ['update-schema', '--schema-name', schema]);
  }
}

async function allocatePorts(base: number): Promise<Record<TemporalServiceName, Ports>> {
  // Port 0: a free block of 11 below the kernel's ephemeral range. Single ports from the ephemeral
  // range were taken by outgoing connections between allocation and bind (seen: ringpop's
  // "address already in use" while the test suite ran beside the cluster).
  if (base === 0) base = await freeBlock(11);
  return {
    frontend: { grpc: base, membership: base + 1, http: base + 2 },
    'history-1': { grpc: base + 3, membership: base + 4 },
    'history-2': { grpc: base + 5, membership: base + 6 },
    matching: { grpc: base + 7, membership: base + 8 },
    worker: { grpc: base + 9, membership: base + 10 },
  };
}

function serverConfig(opts: TemporalClusterOptions, ports: Record<TemporalServiceName, Ports>, self: TemporalServiceName, dynamicConfigPath: string) {
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const sqlStore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${opts.postgres.host}:${opts.postgres.port}`,
      connectProtocol: 'tcp',
      user: opts.postgres.user,
      password: opts.postgres.password ?? '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (p: Ports) => ({ grpcPort: p.grpc, membershipPort: p.membership, bindOnIP: '127.0.0.1', ...(p.http ? { httpPort: p.http } : {}) });
  // Each process's file names its own ports for its service; the other services' entries only tell
  // it where they are not (peers are found through the cluster_membership table).
  const history = self === 'history-2' ? ports['history-2'] : ports['history-1'];
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: opts.historyShards ?? 8,
      datastores: { default: sqlStore(dbs.main, 10), visibility: sqlStore(dbs.visibility, 4) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: { rpc: rpc(ports.frontend) },
      history: { rpc: rpc(history) },
      matching: { rpc: rpc(ports.matching) },
      worker: { rpc: rpc(ports.worker) },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    publicClient: { hostPort: `127.0.0.1:${ports.frontend.grpc}` },
    dynamicConfigClient: { filepath: dynamicConfigPath, pollInterval: '10s' },
  };
}

// A search attribute added through the operator API is seen at once (no 60 s cache wait).
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
`;

export async function startTemporalCluster(opts: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(path.join(opts.dir, 'logs'), { recursive: true });
  await setupTemporalSchemas(opts);
  log('temporal schemas ready (PostgreSQL persistence and visibility)');
  const ports = await allocatePorts(opts.frontendPort ?? 7233);
  const dynamicConfigPath = path.join(opts.dir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfigPath, DYNAMIC_CONFIG);
  const configPath = (s: TemporalServiceName) => path.join(opts.dir, `${s}.yaml`);
  for (const s of TEMPORAL_SERVICES) {
    // JSON is YAML: the server's loader reads it as is.
    fs.writeFileSync(configPath(s), `${JSON.stringify(serverConfig(opts, ports, s, dynamicConfigPath), null, 2)}\n`);
  }
  const children = new Map<TemporalServiceName, ChildProcess>();
  let stopping = false;
  const killOnExit = () => {
    for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = (s: TemporalServiceName) => {
    const fd = fs.openSync(path.join(opts.dir, 'logs', `${s}.log`), 'a');
    const child = spawn(opts.binaries.server, ['--config-file', configPath(s), '--allow-no-auth', 'start', '--service', SERVICE_OF[s]], {
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    fs.closeSync(fd);
    children.set(s, child);
    child.once('exit', (code, signal) => {
      if (!stopping) log(`temporal ${s} (pid ${child.pid}) exited: code ${code}, signal ${signal}`);
    });
  };
  const alive = (c: ChildProcess | undefined) => c !== undefined && c.exitCode === null && c.signalCode === null;
  const kill = async (s: TemporalServiceName) => {
    const c = children.get(s);
    if (!alive(c)) return;
    const exited = new Promise((r) => c!.once('exit', r));
    c!.kill('SIGKILL');
    await exited;
  };
  const stop = async () => {
    stopping = true;
    // Frontend first (no new calls), then the rest; SIGTERM, SIGKILL after 10 s.
    for (const s of TEMPORAL_SERVICES) {
      const c = children.get(s);
      if (!alive(c)) continue;
      const exited = new Promise((r) => c!.once('exit', r));
      c!.kill('SIGTERM');
      const t = setTimeout(() => c!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    process.removeListener('exit', killOnExit);
  };

  // One history first, alone: on a new database every service writes the cluster metadata at
  // start, and two doing it at once make one exit ("failed to initialize current cluster
  // metadata", seen with both histories started together). Once it listens, the metadata exists.
  start('history-1');
  await waitListening(ports['history-1'].grpc, () => alive(children.get('history-1')), 180_000).catch(async (e) => {
    await stop();
    throw e;
  });
  for (const s of ['history-2', 'matching', 'frontend', 'worker'] as const) start(s);
  const address = `127.0.0.1:${ports.frontend.grpc}`;
  try {
    await waitReady(address, opts.namespace, () => {
      for (const s of TEMPORAL_SERVICES) {
        if (alive(children.get(s))) continue;
        const logFile = path.join(opts.dir, 'logs', `${s}.log`);
        // The log's last lines go into the error: a test removes its directory afterwards.
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).map((l) => l.replace(/,"stacktrace":.*$/, '}')).join('\n') : '(no log)';
        throw new Error(`temporal ${s} exited during start; see ${logFile}:\n${tail}`);
      }
    }, log);
  } catch (e) {
    await stop();
    throw e;
  }
  log(`temporal cluster ready at ${address} (namespace ${opts.namespace})`);
  return {
    address,
    namespace: opts.namespace,
    dir: opts.dir,
    pid: (s) => children.get(s)?.pid,
    kill,
    start: (s) => {
      if (!alive(children.get(s))) start(s);
    },
    stop,
  };
}

/** Waits for the frontend, registers the namespace and the search attributes (idempotent). */
async function waitReady(address: string, namespace: string, check: () => void, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 180_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    check();
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await ensureNamespace(conn, namespace, log);
        await ensureSearchAttributes(conn, namespace, log);
        // Visibility answers: the namespace is usable end to end.
        await conn.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } finally {
        await conn.close();
      }
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`temporal cluster did not become ready in 180 s: ${(lastError as Error)?.message}`);
}

export async function ensureNamespace(conn: Connection, namespace: string, log: (line: string) => void): Promise<void> {
  try {
    await conn.workflowService.describeNamespace({ namespace });
    return;
  } catch (e) {
    if ((e as { code?: number }).code !== 5) throw e; // NOT_FOUND: register it
  }
  try {
    await conn.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
    log(`namespace ${namespace} registered`);
  } catch (e) {
    if ((e as { code?: number }).code !== 6) throw e; // ALREADY_EXISTS
  }
  await conn.workflowService.describeNamespace({ namespace });
}

export async function ensureSearchAttributes(conn: Connection, namespace: string, log: (line: string) => void): Promise<void> {
  const existing = await conn.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTES.filter((k) => !have.has(k.name));
  if (missing.length === 0) return;
  await conn.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_TYPE[k.type]!])),
  });
  log(`search attributes added: ${missing.map((k) => k.name).join(', ')}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first port of `count` consecutive free loopback ports in 20000-29999 (random start). */
async function freeBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const start = 20_000 + Math.floor(Math.random() * (10_000 - count));
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await canBind(p);
    if (ok) return start;
  }
  throw new Error('no block of free ports found in 20000-29999');
}

/** Resolves once something accepts TCP connections on the loopback port; rejects if `alive()` turns false. */
async function waitListening(port: number, alive: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`temporal service on port ${port} exited during start`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`temporal service on port ${port} did not listen within ${timeoutMs / 1000} s`);
}
