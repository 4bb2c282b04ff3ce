/** Opens the database: PostgreSQL through `pg` when a URL is given, else embedded PGlite. */
import { Kysely, PostgresDialect, sql, type KyselyPlugin } from 'kysely';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Database } from './schema.js';
import { sqlTracingPlugin } from '../infra/tracing.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'postgres' | 'pglite';
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a consistent dump of its data directory (tar.gz), for `npm run backup` (infra/backup.ts). */
  dumpPglite?(): Promise<Blob>;
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
  const startParams = [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, ...PGLITE_SETTINGS];
  let client;
  if (opts.pgliteDir) {
    const database = pgliteDatabaseName(opts.pgliteDir);
    if (!fs.existsSync(path.join(opts.pgliteDir, 'PG_VERSION'))) await initPgliteDir(opts.pgliteDir, database);
    client = new PGlite(opts.pgliteDir, { database, startParams });
  } else client = new PGlite({ startParams });
  // The parsers PGlite starts with (base types), before it adds one per array type in pg_type.
  const baseParserKeys = Object.keys(client.parsers);
  await client.waitReady;
  await slimPgliteParsers(client, baseParserKeys);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client), plugins: tracingPlugins() });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    dumpPglite: () => client.dumpDataDir('gzip'),
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

/**
 * PGlite copies its whole type-parser table into a new object for every statement's result
 * (`{ ...parsers, ...options.parsers }` in its parseResults). On start it registers a parser for
 * every array type in pg_type, ≈ 300 entries, and that copy alone cost ≈ 0.6 ms of CPU per
 * statement, as much as a small query itself (issue #17). No query of ours returns an array of a
 * catalog or extension type, so the table keeps the base types' parsers and the arrays of those
 * (text[], int4[], timestamptz[], json[], …): ≈ 40 entries. A type not in the table comes back
 * as its text form, as in `pg` for an unknown type.
 */
async function slimPgliteParsers(client: { parsers: Record<string, unknown>; query: (q: string, p?: unknown[]) => Promise<{ rows: unknown[] }> }, baseKeys: readonly string[]): Promise<void> {
  const base = baseKeys.filter((k) => /^\d+$/.test(k)).map(Number);
  const { rows } = await client.query('select typarray::int as oid from pg_type where oid = any($1::int4[]::oid[]) and typarray <> 0', [base]);
  const keep = new Set([...baseKeys, ...(rows as Array<{ oid: number }>).map((r) => String(r.oid))]);
  const all = client.parsers;
  client.parsers = Object.fromEntries(Object.keys(all).filter((k) => keep.has(k)).map((k) => [k, all[k]]));
}

/**
 * PostgreSQL settings for PGlite. `shared_buffers` defaults to 128 MB, which PGlite's WebAssembly
 * memory touches in full at start (≈ 120 MB of resident memory for an empty database); 16 MB keeps
 * the working set of this service's tables and indexes (see bench/README.md, issue #17) while the
 * operating system's page cache holds the rest of the files.
 */
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

const execFileAsync = promisify(execFile);
const INITDB_SCRIPT = fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url));

/**
 * initdb of a new PGlite directory in a child process: run in this process, it leaves ≈ 450 MB of
 * WebAssembly memory resident for the life of the process (measured: 831 MB RSS after a first
 * open, 360 MB when reopening the same directory).
 */
async function initPgliteDir(dir: string, database: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await execFileAsync(process.execPath, [INITDB_SCRIPT, dir, database], { timeout: 300_000 });
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
