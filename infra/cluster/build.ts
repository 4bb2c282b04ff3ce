/**
 * Temporal's own server (Go module `go.temporal.io/server`, pinned) built once from source with the
 * Go toolchain through the Go module proxy: `cmd/server` (temporal-server) and `cmd/tools/sql`
 * (temporal-sql-tool, the schema tool). The binaries go to a cache the machine keeps
 * (`~/.cache/becak-pintar/temporal-server-<version>`, or TEMPORAL_SERVER_CACHE_DIR), and the
 * git-ignored `.tools/temporal-server` links to it. A second call finds them and builds nothing.
 *
 * v1.32.1, not v1.32.2: 1.32.2's go.mod asks for Go >= 1.26.10, and the toolchain here is 1.26.8
 * (a newer toolchain would have to be downloaded; GOTOOLCHAIN=local forbids that on purpose).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../temporal-binaries.js';

export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
const MODULE = 'go.temporal.io/server';

export interface ServerBinaries {
  dir: string;
  server: string;
  sqlTool: string;
  version: string;
  /** Present when this call built them (first build). */
  built?: BuildInfo;
}

export interface BuildInfo {
  version: string;
  seconds: number;
  /** Size of the two binaries. */
  binaryBytes: number;
  builtAt: string;
  goVersion: string;
}

export function cacheDir(version = TEMPORAL_SERVER_VERSION): string {
  const base = process.env.TEMPORAL_SERVER_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'becak-pintar');
  return path.join(base, `temporal-server-${version}`);
}

export function goBinary(): string {
  for (const candidate of [process.env.GO_BINARY, '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'go');
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error('Go toolchain not found (install Go >= 1.26.8, e.g. from Debian or go.dev, or set GO_BINARY)');
}

function binariesIn(dir: string, version: string): ServerBinaries | undefined {
  const server = path.join(dir, 'bin', 'temporal-server');
  const sqlTool = path.join(dir, 'bin', 'temporal-sql-tool');
  return fs.existsSync(server) && fs.existsSync(sqlTool) ? { dir, server, sqlTool, version } : undefined;
}

function linkIntoTools(dir: string): void {
  const link = path.join(PROJECT_ROOT, '.tools', 'temporal-server');
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    if (fs.readlinkSync(link) === dir) return;
    fs.rmSync(link, { force: true });
  } catch {
    fs.rmSync(link, { recursive: true, force: true });
  }
  fs.symlinkSync(dir, link);
}

/** The cached binaries, building them first when missing. `log` gets progress lines. */
export async function ensureTemporalServer(opts: { version?: string; log?: (line: string) => void } = {}): Promise<ServerBinaries> {
  const version = opts.version ?? TEMPORAL_SERVER_VERSION;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = cacheDir(version);
  const cached = binariesIn(dir, version);
  if (cached) {
    linkIntoTools(dir);
    return cached;
  }
  const go = goBinary();
  const goVersion = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'bin'), { recursive: true });
  log(`building Temporal server ${version} from ${MODULE} with ${goVersion} (first time only; about 10-20 minutes on 2 cores) into ${dir}`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', `${MODULE}/cmd/server@${version}`, `${MODULE}/cmd/tools/sql@${version}`], {
      env: { ...process.env, GOBIN: path.join(staging, 'bin'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with code ${code}`))));
  });
  fs.renameSync(path.join(staging, 'bin', 'server'), path.join(staging, 'bin', 'temporal-server'));
  fs.renameSync(path.join(staging, 'bin', 'sql'), path.join(staging, 'bin', 'temporal-sql-tool'));
  const binaryBytes = ['temporal-server', 'temporal-sql-tool'].reduce((n, b) => n + fs.statSync(path.join(staging, 'bin', b)).size, 0);
  const info: BuildInfo = { version, seconds: Math.round((Date.now() - started) / 1000), binaryBytes, builtAt: new Date().toISOString(), goVersion };
  fs.writeFileSync(path.join(staging, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  linkIntoTools(dir);
  log(`built in ${info.seconds} s; binaries ${(binaryBytes / 1024 / 1024).toFixed(0)} MiB`);
  return { ...binariesIn(dir, version)!, built: info };
}
