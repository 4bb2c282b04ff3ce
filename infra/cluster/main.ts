/**
 * `npm run cluster`: the production shape on this machine. Builds Temporal's server once (cached),
 * then starts PostgreSQL (CLUSTER_DATABASE_URL, or a local one kept under CLUSTER_DIR/postgres, or the temporary directory when run as root; CLUSTER_PG_DIR overrides),
 * the Temporal cluster (frontend, 2x history, matching, worker) and two API plus two worker
 * processes of ours. Ctrl-C stops everything. See README "Cluster" and docs/deploy.md.
 *
 * CLUSTER_DIR (./data/cluster), CLUSTER_DATABASE_URL (unset: local PostgreSQL on CLUSTER_PG_PORT,
 * 55433), CLUSTER_TEMPORAL_PORT (7233; the services use the next 10 ports), CLUSTER_API_PORTS
 * (3000,3001). Other variables (ADMIN_PASSWORD, …) reach our processes as usual.
 */
import path from 'node:path';
import { localPostgresDir, startLocalPostgres, type LocalPostgres } from './postgres.js';
import { startClusterStack } from './stack.js';

const dir = path.resolve(process.env.CLUSTER_DIR ?? './data/cluster');
const log = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
let localPg: LocalPostgres | undefined;
let postgresUrl = process.env.CLUSTER_DATABASE_URL;
if (!postgresUrl) {
  localPg = startLocalPostgres(localPostgresDir(dir), Number(process.env.CLUSTER_PG_PORT ?? 55433));
  postgresUrl = localPg.url;
  log(`PostgreSQL (local, ${localPg.dir}) at ${postgresUrl}`);
}
const ports = (process.env.CLUSTER_API_PORTS ?? '3000,3001').split(',').map(Number) as [number, number];
try {
  const stack = await startClusterStack({ dir, postgresUrl, temporalPort: Number(process.env.CLUSTER_TEMPORAL_PORT ?? 7233), apiPorts: ports, log });
  log(`Temporal frontend ${stack.temporal.address}; processes: ${['frontend', 'history-1', 'history-2', 'matching', 'worker'].map((s) => `${s} ${stack.temporal.pid(s as never)}`).join(', ')}`);
  log(`API: ${stack.apiUrls.join(' and ')} (logs: ${path.join(dir, 'logs')}); workers: ${stack.workers.map((w) => w.pid).join(', ')}`);
  log('Ctrl-C stops everything.');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await stack.stop();
    localPg?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (e) {
  process.stderr.write(`cluster could not start: ${(e as Error).message}\n`);
  localPg?.stop();
  process.exit(1);
}
