/**
 * The embedded Temporal dev server (`temporal server start-dev`) as a child process: SQLite file
 * under DATA_DIR (WAL), Web UI, our search attributes registered. Used by `npm start` only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from '../workflows/search-attributes.js';
import { requireTemporalBinaryPath, TEMPORAL_CLI } from './temporal-binaries.js';
import type { Logger } from './logger.js';
import { startReadOnlyUiProxy, type UiProxy } from './temporal-ui-proxy.js';

export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
  /** No Web UI (tests). */
  headless?: boolean;
  /** How long to wait for the frontend to answer. */
  readyTimeoutMs?: number;
  /** Let the Web UI terminate, reset, signal, cancel… (default false: read-only, see temporal-ui-proxy.ts). */
  uiWriteActions?: boolean;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** Resolves when the child exits (for supervision). */
  readonly exited: Promise<number | null>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number, readonly variable: string) {
    super(`Port ${port} is already in use (${variable}). Stop what uses it, choose another port with ${variable}, or point TEMPORAL_ADDRESS at an existing Temporal server.`);
    this.name = 'PortInUseError';
  }
}

/** A port the OS reports free on loopback right now (tests, benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function assertPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

// Durable enough for a single office server, and much faster than the default rollback journal.
const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal', 'busy_timeout=10000'];

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  for (const [port, variable] of [
    [opts.port, 'TEMPORAL_DEV_PORT'],
    ...(opts.headless ? [] : [[opts.uiPort, 'TEMPORAL_UI_PORT'] as const]),
  ] as const) {
    if (!(await assertPortFree(port))) throw new PortInUseError(port, variable);
  }
  // Read-only by default: the UI itself on an internal port, the read-only proxy on uiPort.
  const readOnlyUi = !opts.headless && !opts.uiWriteActions;
  const uiInternalPort = readOnlyUi ? await freePort() : opts.uiPort;
  const binary = requireTemporalBinaryPath(TEMPORAL_CLI, { log: (line) => opts.logger.info(line) });
  const dir = path.join(opts.dataDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    ...(opts.headless ? ['--headless'] : ['--ui-port', String(uiInternalPort), '--ui-ip', '127.0.0.1']),
    '--db-filename', path.join(dir, 'temporal.sqlite'),
    '--namespace', opts.namespace,
    '--ui-disable-news-fetch',
    '--log-level', 'warn',
    ...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]),
    ...devServerSearchAttributeArgs(),
  ];
  const logFile = fs.openSync(path.join(dir, 'dev-server.log'), 'a');
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and the dev
  // server must outlive our worker's drain; we stop it ourselves, last.
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', logFile, logFile], detached: true });
  // Never leave it orphaned: whatever way this process exits, the dev server goes with it.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  fs.closeSync(logFile);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  const address = `127.0.0.1:${opts.port}`;
  opts.logger.info('temporal dev server starting', { pid: child.pid, frontend: address, log: path.join(dir, 'dev-server.log') });

  let uiProxy: UiProxy | undefined;
  const stop = async () => {
    await uiProxy?.close();
    uiProxy = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let earlyExit: number | null | undefined;
  void exited.then((code) => (earlyExit = code));
  for (;;) {
    if (earlyExit !== undefined) {
      throw new Error(`temporal dev server exited with code ${earlyExit} during start; see ${path.join(dir, 'dev-server.log')}`);
    }
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: opts.namespace });
      } finally {
        await conn.close();
      }
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal dev server did not become ready in time: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (readOnlyUi) {
    uiProxy = await startReadOnlyUiProxy({ listenPort: opts.uiPort, upstreamPort: uiInternalPort });
    opts.logger.info('temporal web ui is read-only (TEMPORAL_UI_WRITE_ACTIONS=true to allow write actions)', { port: opts.uiPort });
  }
  return { address, uiUrl: `http://localhost:${opts.uiPort}`, pid: child.pid, stop, exited };
}
