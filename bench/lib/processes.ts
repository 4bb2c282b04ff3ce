/**
 * Child processes of the service (`npm start`, `npm run api`, `npm run worker` style) for load
 * and fault runs: spawned as `node --import tsx <entry>` so the pid is the real Node process
 * (SIGKILL hits it, /proc shows its memory), in their own process group so the whole tree can
 * be killed at once, with output appended to a log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../../infra/temporal-binaries.js';

export { PROJECT_ROOT };
export { freePort } from '../../infra/dev-server.js';


// Variables that select the parts of the service: never inherited by accident from the caller.
const SERVICE_VARS = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'HOST', 'DATA_DIR', 'TEMPORAL_DEV_PORT', 'TEMPORAL_UI_PORT', 'ADMIN_PASSWORD', 'ADMIN_USERNAME', 'NODE_OPTIONS'];

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILL the whole process group (the entry point and anything it started, e.g. the dev server). */
  killGroup(): Promise<void>;
  /** SIGKILL this process only. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL of the group after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  logPath: string;
}

export function spawnService(name: string, entry: string, env: Record<string, string>, logDir: string): ServiceProcess {
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(logPath, 'a');
  const baseEnv: Record<string, string | undefined> = { ...process.env };
  for (const v of SERVICE_VARS) delete baseEnv[v];
  // BENCH_CPU_PROFILE=<dir>: a V8 CPU profile of each service, written when it stops (see bench/README.md).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not spawn ${entry}`);
  const pid = child.pid;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const groupSignal = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* group already gone */
    }
  };
  return {
    name,
    pid,
    child,
    exited,
    alive,
    logPath,
    killGroup: async () => {
      groupSignal('SIGKILL');
      if (alive()) await exited;
    },
    kill: async () => {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
    stop: async (timeoutMs = 20_000) => {
      if (!alive()) {
        groupSignal('SIGKILL'); // leftovers (dev server) of an already dead entry point
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => groupSignal('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      groupSignal('SIGKILL');
    },
  };
}

/** Resident set size of a process in MiB (Linux /proc), or undefined when gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The first direct child whose command line contains `needle` (e.g. the dev server of `npm start`). */
export function childPidMatching(pid: number, needle: string): number | undefined {
  return childPids(pid).find((c) => {
    try {
      return fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}

/** Direct children of a process (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may contain spaces, so split after ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* process ended meanwhile */
    }
  }
  return out;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), or undefined when gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples the peak RSS of some processes until stopped, and the CPU seconds each used meanwhile. */
export function rssSampler(pids: () => Record<string, number | undefined>, intervalMs = 500) {
  const peak: Record<string, number> = {};
  const cpuStart: Record<string, number> = {};
  const cpuLast: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids())) {
      if (!pid) continue;
      const mb = rssMb(pid);
      if (mb !== undefined) peak[name] = Math.max(peak[name] ?? 0, mb);
      const cpu = cpuSeconds(pid);
      if (cpu !== undefined) {
        cpuStart[name] ??= cpu;
        cpuLast[name] = cpu;
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peak,
    stop: () => {
      sample();
      clearInterval(timer);
      const cpu: Record<string, number> = {};
      for (const name of Object.keys(cpuLast)) cpu[name] = Math.round((cpuLast[name]! - cpuStart[name]!) * 100) / 100;
      return { peak, cpu };
    },
  };
}
