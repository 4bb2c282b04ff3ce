/**
 * The whole service for end-to-end tests: a headless dev server on free ports (through the same
 * code as `npm start`), a fresh database, the worker and the API on a random port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { parseConfig, type Config } from '../../infra/config.js';
import { createLogger, silentLogger } from '../../infra/logger.js';
import { startRuntime, type Runtime } from '../../infra/runtime.js';
import { freePort } from '../../infra/dev-server.js';

export { freePort };
import type { Database } from '../../db/schema.js';

export interface TestStack {
  baseUrl: string;
  db: Kysely<Database>;
  client: Client;
  config: Readonly<Config>;
  adminUsername: string;
  adminPassword: string;
  runtime: Runtime;
  shutdown(): Promise<void>;
}


async function freshPostgresUrl(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const pg = (await import('pg')).default;
  const name = `bp_stack_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** `env` overrides configuration (e.g. SLA_CLOCK=wall, SOP_STANDARD_MINUTES). */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-stack-'));
  const pgAdmin = process.env.TEST_DATABASE_URL;
  const pgDb = pgAdmin ? await freshPostgresUrl(pgAdmin) : undefined;
  const config = parseConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'admin-password-for-tests',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
    PATH: process.env.PATH ?? '',
    ...env,
  });
  const logger = process.env.STACK_LOGS ? createLogger({ level: 'debug' }) : silentLogger;
  const runtime = await startRuntime({ config, logger, api: true, worker: true, embedTemporal: true, headlessTemporal: true });
  // PORT=0 → the real port is in runtime.url; publicBaseUrl only matters for QR codes in tests.
  return {
    baseUrl: runtime.url!,
    db: runtime.database.db,
    client: runtime.client,
    config,
    adminUsername: 'admin',
    adminPassword: 'admin-password-for-tests',
    runtime,
    shutdown: async () => {
      await runtime.shutdown();
      await pgDb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
