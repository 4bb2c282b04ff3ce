/**
 * A PostgreSQL server for `npm run cluster` when no CLUSTER_DATABASE_URL is given: a data directory
 * made once with `initdb` and started with `pg_ctl` on loopback (as the `postgres` user when run as
 * root, since initdb refuses root). Kept between runs; stopped with the cluster.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
    versions.sort((a, b) => Number(a) - Number(b));
    if (versions.length) return path.join(root, versions.at(-1)!, 'bin');
  }
  if (fs.existsSync('/usr/local/bin/initdb')) return '/usr/local/bin';
  throw new Error('PostgreSQL binaries not found (apt-get install postgresql), or set CLUSTER_DATABASE_URL');
}

const isRoot = () => process.getuid?.() === 0;

function sh(command: string): void {
  if (isRoot()) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  else execFileSync('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Where the local server keeps its data. Run as root, the server runs as `postgres`, which must be
 * able to reach the directory: CLUSTER_DIR usually sits under DATA_DIR, which is kept 0700 for
 * root, so root's cluster keeps PostgreSQL under the system temporary directory instead.
 */
export function localPostgresDir(clusterDir: string): string {
  if (process.env.CLUSTER_PG_DIR) return path.resolve(process.env.CLUSTER_PG_DIR);
  return isRoot() ? path.join(os.tmpdir(), 'becak-cluster-postgres') : path.join(clusterDir, 'postgres');
}

export interface LocalPostgres {
  dir: string;
  /** Admin URL (database `postgres`). */
  url: string;
  host: string;
  port: number;
  user: string;
  stop(): void;
}

export function startLocalPostgres(dir: string, port: number): LocalPostgres {
  const bin = postgresBin();
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (isRoot()) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) sh(`'${bin}/initdb' -D '${data}' -A trust -U postgres >/dev/null`);
  sh(`'${bin}/pg_ctl' -D '${data}' -l '${dir}/postgres.log' -w -t 60 -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null`);
  return {
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    user: 'postgres',
    stop: () => {
      try {
        sh(`'${bin}/pg_ctl' -D '${data}' -m fast -w stop >/dev/null`);
      } catch {
        /* not running */
      }
    },
  };
}
