/** Opens the database: PostgreSQL through `pg` when a URL is given, else embedded PGlite. */
import { Kysely, PostgresDialect, sql, type KyselyPlugin } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Database } from './schema.js';
import { sqlTracingPlugin } from '../infra/tracing.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'postgres' | 'pglite';
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite data directory; undefined keeps PGlite in memory (tests). */
  pgliteDir?: string;
  /** Pool size for PostgreSQL. */
  poolMax?: number;
}

// Return timestamptz as Date and bigint counts as numbers (our counts stay far below 2^53).
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolMax ?? 10, connectionTimeoutMillis: 5_000 });
    // An idle client's error (database restarted) must not crash the process: the pool replaces it.
    pool.on('error', () => undefined);
    // The pool listens only to idle clients. A client checked out between two statements (inside a
    // transaction) when the server goes away emits 'error' itself, which with no listener kills the
    // process. Its next statement fails on its own, and the pool drops the broken client on release.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: tracingPlugins() });
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const client = opts.pgliteDir ? new PGlite(opts.pgliteDir, { database: pgliteDatabaseName(opts.pgliteDir) }) : new PGlite();
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client), plugins: tracingPlugins() });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

/**
 * The database inside a PGlite directory. PGlite 0.3 kept everything in `template1`; 0.4 connects
 * to `postgres`. A marker file records which one a directory uses, so directories made before the
 * upgrade (no marker, but data) keep opening where their cases are.
 */
export function pgliteDatabaseName(dir: string): string {
  const marker = path.join(dir, 'becak-database');
  if (fs.existsSync(marker)) return fs.readFileSync(marker, 'utf8').trim();
  const existing = fs.existsSync(path.join(dir, 'PG_VERSION'));
  const name = existing ? 'template1' : 'postgres';
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(marker, `${name}\n`);
  return name;
}

/** SQL spans when tracing is on (infra/tracing.ts); none otherwise. */
function tracingPlugins(): KyselyPlugin[] {
  const p = sqlTracingPlugin();
  return p ? [p] : [];
}
