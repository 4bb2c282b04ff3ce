/**
 * A throwaway PostgreSQL cluster on a free loopback port, that a fault test may stop and start.
 * Uses the Debian binaries under /usr/lib/postgresql/<version>/bin; as root they run as the
 * `postgres` user (initdb refuses root). fsync is off: the faults here kill processes, not the
 * machine, and the OS page cache survives a process crash.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../bench/lib/processes.js';

export interface ThrowawayPostgres {
  url: string;
  port: number;
  /** Stops the server as a crash would (`-m immediate`). */
  stop(): void;
  start(): void;
  destroy(): void;
}

export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(a) - Number(b));
  const v = versions.at(-1);
  return v ? path.join(root, v, 'bin') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

function run(command: string): void {
  if (isRoot()) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  else execFileSync('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-faults-pg-'));
  if (isRoot()) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(`'${bin}/initdb' -D '${data}' -A trust -U postgres --no-sync >/dev/null`);
  const start = () =>
    run(`'${bin}/pg_ctl' -D '${data}' -l '${dir}/log' -w -t 60 -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null`);
  const stop = () => run(`'${bin}/pg_ctl' -D '${data}' -m immediate -w stop >/dev/null`);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy: () => {
      try {
        stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
