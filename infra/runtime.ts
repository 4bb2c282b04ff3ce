/**
 * The one place that wires everything: Temporal (embedded dev server or TEMPORAL_ADDRESS), the
 * database (PGlite or PostgreSQL) with migrations, the worker, the schedules and the API.
 * Entry points (`npm start`, `npm run api`, `npm run worker`) and end-to-end tests choose the parts.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createApp } from '../api/app.js';
import { ensureAdmin, startWorkflowSweeper } from '../api/bootstrap.js';
import { createWorker } from '../worker/worker.js';
import { ensureSchedules } from '../worker/schedules.js';
import { createAdapters } from '../activities/adapters/index.js';
import { startOutboxRetrier } from '../activities/outbox.js';
import { courierMessageSentSignal } from '../workflows/messages.js';
import type { Config } from './config.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { prepareDataDir } from './data-dir.js';
import { startBackupControl } from './backup.js';
import type { Logger } from './logger.js';
import { connectClient, connectWorker, pingTemporal } from './temporal.js';
import { startTracing } from './tracing.js';

export interface RuntimeOptions {
  config: Readonly<Config>;
  logger: Logger;
  api: boolean;
  worker: boolean;
  /** Start `temporal server start-dev` when TEMPORAL_ADDRESS is unset (npm start). */
  embedTemporal: boolean;
  /** Run the dev server without its Web UI (tests). */
  headlessTemporal?: boolean;
  /** Create or update the Schedules (digest, daily recap). Default: when the worker runs. */
  schedules?: boolean;
  /**
   * Entry points: a worker that dies (its connection gone for good) must not leave a process that
   * looks alive; exit so that the supervisor (or the user) starts it again.
   */
  exitOnWorkerFailure?: boolean;
}

export interface Runtime {
  config: Readonly<Config>;
  database: DatabaseHandle;
  client: Client;
  temporalAddress: string;
  /** Console URL (when the API runs). */
  url?: string;
  temporalUiUrl?: string;
  adminPassword?: string;
  devServer?: DevServer;
  worker?: Worker;
  /** Stops API, sweeper, worker (drained), connections, database and dev server, in that order. */
  shutdown(): Promise<void>;
}

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = opts;
  // Before the database and Temporal connections: they pick their tracing hooks up when built.
  if (await startTracing()) logger.info('tracing on: spans exported over OTLP', { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });
  const cleanups: Array<() => Promise<void>> = [];
  const shutdown = async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      try {
        await step();
      } catch (e) {
        logger.warn('shutdown step failed', { error: e });
      }
    }
  };
  try {
    // Owner-only DATA_DIR (umask 077 from here on, also for the dev server) and encrypted files,
    // fixing an older install, before anything else writes under it.
    const files = await prepareDataDir(config, logger);

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let devServer: DevServer | undefined;
    if (!temporalAddress) {
      if (!opts.embedTemporal) throw new Error('TEMPORAL_ADDRESS is required for this entry point');
      devServer = await startDevServer({
        dataDir: config.dataDir,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        headless: opts.headlessTemporal,
        uiWriteActions: config.TEMPORAL_UI_WRITE_ACTIONS,
        logger,
      });
      cleanups.push(() => devServer!.stop());
      temporalAddress = devServer.address;
    }

    if (!config.DATABASE_URL && !(opts.api && opts.worker)) {
      // PGlite is a single-process database: separate API and worker processes need PostgreSQL.
      throw new Error('DATABASE_URL is required when the API and the worker run as separate processes');
    }
    const database = await openDatabase({
      url: config.DATABASE_URL,
      pgliteDir: config.DATABASE_URL ? undefined : path.join(config.dataDir, 'pglite'),
      poolMax: config.DB_POOL_MAX,
    });
    cleanups.push(() => database.close());
    // `npm run backup` asks this process for a consistent PGlite dump (owner-only socket in DATA_DIR).
    if (database.dumpPglite) {
      const control = await startBackupControl(config.dataDir, database);
      cleanups.push(() => control.close());
    }
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info('database migrated', { migrations: applied, kind: database.kind });

    const { client, connection } = await connectClient(config, temporalAddress);
    cleanups.push(() => connection.close());
    const adapters = await createAdapters(config, files, database.db);

    let worker: Worker | undefined;
    if (opts.worker) {
      const workerConnection: NativeConnection = await connectWorker(config, temporalAddress);
      cleanups.push(() => workerConnection.close());
      worker = await createWorker({ connection: workerConnection, namespace: config.TEMPORAL_NAMESPACE, db: database.db, files, config, logger: logger.child({ part: 'worker' }), adapters });
      const running = worker.run();
      cleanups.push(async () => {
        if (worker!.getState() === 'RUNNING') worker!.shutdown();
        await running;
        logger.info('worker drained');
      });
      // A worker that dies (e.g. its connection is gone for good) must not leave a process that
      // looks alive: exit, and let the supervisor (or the user) start it again.
      running.catch((e) => {
        logger.error('worker stopped with an error', { error: e });
        if (opts.exitOnWorkerFailure) void shutdown().finally(() => process.exit(1));
      });
      if (opts.schedules ?? true) await ensureSchedules(client, config);
      // Failed WhatsApp messages are tried again with backoff for WA_RETRY_HOURS.
      const retrier = startOutboxRetrier({
        db: database.db,
        whatsapp: adapters.whatsapp,
        config,
        logger: logger.child({ part: 'outbox' }),
        // Step 6 of the case waits for its courier-group message: tell it at once.
        onSent: async (row) => {
          if (row.kind === 'COURIER_GROUP' && row.registration_number) await client.workflow.getHandle(row.registration_number).signal(courierMessageSentSignal);
        },
      });
      cleanups.push(() => retrier.stop());
    }

    let url: string | undefined;
    let adminPassword: string | undefined;
    if (opts.api) {
      const admin = await ensureAdmin(database.db, config, logger);
      adminPassword = admin.generatedPassword;
      const app = createApp({
        config,
        db: database.db,
        pingDatabase: () => database.ping(),
        temporal: client,
        pingTemporal: () => pingTemporal(connection as Connection, config.TEMPORAL_NAMESPACE),
        temporalUiUrl: config.TEMPORAL_UI_URL ?? (devServer && !opts.headlessTemporal ? devServer.uiUrl : undefined),
        files,
        signer: adapters.signer,
        logger: logger.child({ part: 'api' }),
      });
      const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(config.PORT, config.HOST, () => resolve(s));
        s.once('error', reject);
      });
      cleanups.push(() => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }));
      const port = (server.address() as AddressInfo).port;
      url = `http://localhost:${port}`;
      const sweeper = startWorkflowSweeper({ db: database.db, temporal: client, logger, config });
      cleanups.push(() => sweeper.stop());
    }

    return {
      config,
      database,
      client,
      temporalAddress,
      url,
      temporalUiUrl: devServer && !opts.headlessTemporal ? devServer.uiUrl : undefined,
      adminPassword,
      devServer,
      worker,
      shutdown,
    };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

/** A repeat of the first signal within this time is the same Ctrl-C delivered twice (terminal group + npm/tsx relay). */
export const DUPLICATE_SIGNAL_MS = 3_000;

/**
 * Ctrl-C / SIGTERM: shut down once (the worker drains, the dev server stops last), exit 0. Ctrl-C
 * reaches the process twice when it runs under npm or tsx (the whole foreground group gets it, and
 * the wrapper relays it): a repeat within DUPLICATE_SIGNAL_MS is ignored; a later one exits at once.
 */
export function onShutdownSignal(logger: Logger, shutdown: () => Promise<void>): void {
  let firstAt: number | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== null) {
      if (Date.now() - firstAt < DUPLICATE_SIGNAL_MS) {
        logger.info('repeated signal ignored; still shutting down', { signal });
        return;
      }
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    firstAt = Date.now();
    logger.info('shutting down', { signal });
    shutdown().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (e) => {
        logger.error('shutdown failed', { error: e });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
