/**
 * What the API is built from (ApiDeps) and what every route module receives (RouteContext). In
 * its own module so that route files never import `api/app.ts`, which imports them (no circle;
 * test/unit/import-cycles.test.ts fails on any).
 */
import type express from 'express';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { FileStore } from '../infra/files.js';
import type { Logger } from '../infra/logger.js';
import type { Signer } from '../activities/adapters/index.js';
import type { RouteRegistry } from './openapi.js';
import type { TokenService } from './auth.js';
import type { AccessLayer } from './access/layer.js';

export interface ApiDeps {
  config: Readonly<Config>;
  db: Kysely<Database>;
  pingDatabase(): Promise<void>;
  temporal: Client;
  pingTemporal(): Promise<void>;
  files: FileStore;
  signer: Signer;
  logger: Logger;
  /** Clock (tests); defaults to Date.now. */
  now?: () => number;
  /** The Temporal Web UI's address for supervisors (TEMPORAL_UI_URL, or the embedded UI); unset: no links. */
  temporalUiUrl?: string;
}

/** Everything the route modules need. */
export interface RouteContext extends ApiDeps {
  now: () => number;
  registry: RouteRegistry;
  tokens: TokenService;
  publicLimit: express.RequestHandler;
  /** The one layer that shapes answers holding personal data and writes the access log (SPEC §9). */
  access: AccessLayer;
}
