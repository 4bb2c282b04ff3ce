/**
 * `npm run bench:scale`: years of cases on PostgreSQL. Seeds N cases in SQL (bench/scale-seed.ts),
 * starts the API in this process on that database (no Temporal needed for reads), and measures
 * p50/p95/p99 of every staff list (first and deep pages, each filter), tasks per role, search by
 * NIK, name and registration number, case detail, tracking, the SLA report (a month, a year) and
 * the daily recap; samples this process's RSS over the run. Prints a Markdown table.
 *
 *   npm run bench:scale -- [--cases 1000000] [--samples 100] [--url postgres://user@host:port/db] [--reseed]
 *
 * Without --url (or BENCH_PG_URL) it starts its own PostgreSQL (initdb from PATH or /usr/local/bin,
 * run as `postgres` when we are root) under $TMPDIR/becak-bench-scale, kept for the next run. The
 * seeded database `bench_scale_<N>` is reused unless --reseed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign as edSign, verify as edVerify } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import { createApp } from '../api/app.js';
import { hashPassword } from '../api/auth.js';
import { openDatabase } from '../db/connect.js';
import { migrations } from '../db/migrations/index.js';
import { ROLES } from '../domain/sop.js';
import { parseConfig } from '../infra/config.js';
import { createFileStore } from '../infra/files.js';
import { silentLogger } from '../infra/logger.js';
import { freePort } from '../infra/dev-server.js';
import { percentiles } from './lib/stats.js';
import { seedCases } from './scale-seed.js';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '100' },
    url: { type: 'string' },
    reseed: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const CASES = Number(args.cases);
const SAMPLES = Number(args.samples);
const log = (m: string) => process.stderr.write(`${m}\n`);

function pgBin(name: string): string {
  for (const dir of ['/usr/local/bin', ...(process.env.PATH ?? '').split(':'), ...(fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`) : [])]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${name} not found: install PostgreSQL or pass --url`);
}

/** Our own PostgreSQL under $TMPDIR (kept between runs); returns the admin URL. */
async function ownPostgres(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'becak-bench-scale');
  const dataDir = path.join(dir, 'data');
  const asPg = (cmd: string[]) => {
    const r = process.getuid?.() === 0 ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd.map((c) => `'${c}'`).join(' ')], { encoding: 'utf8' }) : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    return r;
  };
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const r = asPg([pgBin('initdb'), '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    if (r.status !== 0) throw new Error(`initdb: ${r.stderr}`);
  }
  const portFile = path.join(dir, 'port');
  const status = asPg([pgBin('pg_ctl'), '-D', dataDir, 'status']);
  if (status.status === 0 && fs.existsSync(portFile)) return `postgres://postgres@127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}/postgres`;
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c maintenance_work_mem=512MB`;
  const r = asPg([pgBin('pg_ctl'), '-D', dataDir, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
  if (r.status !== 0) throw new Error(`pg_ctl start: ${r.stderr}${r.stdout}`);
  fs.writeFileSync(portFile, String(port));
  log(`PostgreSQL started on 127.0.0.1:${port} (${dataDir}; stop: pg_ctl -D ${dataDir} stop)`);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function ensureDatabase(adminUrl: string): Promise<string> {
  const name = `bench_scale_${CASES}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
  let seeded = false;
  if (exists && !args.reseed) {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const r = await c.query(`select to_regclass('bench_seed_meta') is not null as ok`);
    if (r.rows[0].ok) seeded = (await c.query('select cases from bench_seed_meta')).rows[0]?.cases === CASES;
    await c.end();
  }
  if (!seeded) {
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  }
  await admin.end();
  const dbh = await openDatabase({ url: url.toString() });
  // Unordered: a bench database seeded on a branch keeps working after other branches' migrations
  // (named earlier) are merged; they are applied on top. Production uses db/migrate.ts (ordered).
  const migrated = await new Migrator({ db: dbh.db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true }).migrateToLatest();
  if (migrated.error) throw migrated.error instanceof Error ? migrated.error : new Error(String(migrated.error));
  const applied = (migrated.results ?? []).filter((r) => r.status === 'Success');
  if (applied.length) log(`migrations applied: ${applied.map((r) => r.migrationName).join(', ')}`);
  if (!seeded) {
    log(`seeding ${CASES.toLocaleString('en')} cases …`);
    const t = Date.now();
    await seedCases(dbh.db, { cases: CASES, log });
    await sql`create table bench_seed_meta (cases integer, seeded_at timestamptz, seconds real)`.execute(dbh.db);
    await sql`insert into bench_seed_meta values (${CASES}, now(), ${(Date.now() - t) / 1000})`.execute(dbh.db);
    log(`seeded in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  const size = await sql<{ s: string }>`select pg_size_pretty(pg_database_size(current_database())) as s`.execute(dbh.db);
  log(`database ${name}: ${size.rows[0]!.s}`);
  await dbh.close();
  return url.toString();
}

async function main() {
  const adminUrl = args.url ?? process.env.BENCH_PG_URL ?? (await ownPostgres());
  const url = await ensureDatabase(adminUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-scale-'));
  const dbh = await openDatabase({ url, poolMax: 10 });
  const config = parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: url, RATE_LIMIT_PER_MINUTE: '1000000', AUTH_SECRET: 'bench-scale-secret-bench-scale-secret-0123' });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const app = createApp({
    config,
    db: dbh.db,
    pingDatabase: () => dbh.ping(),
    temporal: {} as Client,
    pingTemporal: async () => undefined,
    files: createFileStore(config.filesDir),
    signer: { keyId: 'bench', sign: (p) => edSign(null, Buffer.from(p), privateKey).toString('base64'), verify: (p, s) => edVerify(null, Buffer.from(p), publicKey, Buffer.from(s, 'base64')) },
    logger: silentLogger,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const password = 'Kunci-Lumbung-Padi-2026';
  const hash = await hashPassword(password);
  await dbh.db.deleteFrom('staff').where('username', 'like', 'bench-%').execute();
  await dbh.db.insertInto('staff').values(ROLES.map((r) => ({ username: `bench-${r}`, name: `Bench ${r}`, role: r, password_hash: hash, phone: null }))).execute();
  // Recaps archived by an earlier run point into that run's (deleted) DATA_DIR: close them again.
  await dbh.db.deleteFrom('daily_recaps').execute();
  const tokens: Record<string, string> = {};
  for (const r of ROLES) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `bench-${r}`, password }) });
    if (res.status !== 200) throw new Error(`login ${r}: ${res.status} ${await res.text()}`);
    tokens[r] = ((await res.json()) as { token: string }).token;
  }

  // Inputs: cases spread over the two years, the rows at 90 % depth of each list, dates.
  const sample = await sql<{ registration_number: string; subject_nik: string; subject_name: string }>`
    select registration_number, subject_nik, subject_name from cases tablesample system (1) repeatable (7) limit 500`.execute(dbh.db);
  const cases = sample.rows;
  const cursorAt = async (where: ReturnType<typeof sql>, depth: number) => {
    const n = await sql<{ n: number }>`select count(*)::int as n from cases where ${where}`.execute(dbh.db);
    const off = Math.floor(n.rows[0]!.n * depth);
    const r = await sql<{ submitted_at: Date; registration_number: string }>`
      select submitted_at, registration_number from cases where ${where} order by submitted_at desc, registration_number desc offset ${off} limit 1`.execute(dbh.db);
    const row = r.rows[0]!;
    return Buffer.from(JSON.stringify([row.submitted_at.toISOString(), row.registration_number])).toString('base64url');
  };
  const deepAll = await cursorAt(sql`true`, 0.9);
  const deepCompleted = await cursorAt(sql`status = 'COMPLETED'`, 0.9);
  const deepHandover = await cursorAt(sql`current_step = 'DONE'`, 0.5);
  const jakartaDay = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 10);
  const today = jakartaDay(Date.now());
  const now = new Date(Date.now() + 7 * 3600_000);
  const lastMonthFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  const lastMonthTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  const yearFrom = jakartaDay(Date.now() - 364 * 86_400_000);
  const yesterday = jakartaDay(Date.now() - 86_400_000);
  const dayPrefix = (i: number) => cases[i % cases.length]!.registration_number.slice(0, 11); // BP-YYYYMMDD

  type Req = { method: 'GET' | 'POST'; path: string; role: string | null; body?: unknown };
  const routes: Array<{ name: string; make: (i: number) => Req }> = [
    { name: 'list, first page (50)', make: () => ({ method: 'GET', path: '/api/applications?limit=50', role: 'kadis' }) },
    { name: 'list, page at 90 % depth', make: () => ({ method: 'GET', path: `/api/applications?limit=50&cursor=${deepAll}`, role: 'kadis' }) },
    { name: 'list status=COMPLETED, 90 % depth', make: () => ({ method: 'GET', path: `/api/applications?limit=50&status=COMPLETED&cursor=${deepCompleted}`, role: 'kadis' }) },
    { name: 'list step=DONE, 50 % depth', make: () => ({ method: 'GET', path: `/api/applications?limit=50&step=DONE&cursor=${deepHandover}`, role: 'kadis' }) },
    { name: 'list status=IN_PROGRESS', make: () => ({ method: 'GET', path: '/api/applications?limit=50&status=IN_PROGRESS', role: 'kadis' }) },
    { name: 'list status=AWAITING_RESUBMISSION', make: () => ({ method: 'GET', path: '/api/applications?limit=50&status=AWAITING_RESUBMISSION', role: 'operator' }) },
    { name: 'list overdue=true', make: () => ({ method: 'GET', path: '/api/applications?limit=50&overdue=true', role: 'kadis' }) },
    { name: 'list q=registration prefix (day)', make: (i) => ({ method: 'GET', path: `/api/applications?limit=50&q=${dayPrefix(i)}`, role: 'operator' }) },
    { name: 'list q=registration prefix (year)', make: () => ({ method: 'GET', path: `/api/applications?limit=50&q=BP-${yearFrom.slice(0, 4)}`, role: 'operator' }) },
    ...['operator', 'subkoordinator', 'kabid', 'ekspedisi'].map((role) => ({ name: `tasks (${role})`, make: () => ({ method: 'GET' as const, path: '/api/tasks', role }) })),
    { name: 'search NIK', make: (i) => ({ method: 'POST', path: '/api/applications/search', role: 'operator', body: { q: cases[i % cases.length]!.subject_nik } }) },
    { name: 'search name (full)', make: (i) => ({ method: 'POST', path: '/api/applications/search', role: 'operator', body: { q: cases[i % cases.length]!.subject_name } }) },
    { name: 'search name (rare, no match)', make: () => ({ method: 'POST', path: '/api/applications/search', role: 'operator', body: { q: 'Bartholomeus' } }) },
    { name: 'search registration number', make: (i) => ({ method: 'POST', path: '/api/applications/search', role: 'operator', body: { q: cases[i % cases.length]!.registration_number } }) },
    { name: 'search registration prefix (day)', make: (i) => ({ method: 'POST', path: '/api/applications/search', role: 'operator', body: { q: dayPrefix(i) } }) },
    { name: 'case detail', make: (i) => ({ method: 'GET', path: `/api/applications/${cases[i % cases.length]!.registration_number}`, role: 'operator' }) },
    { name: 'tracking (public)', make: (i) => ({ method: 'POST', path: '/api/tracking', role: null, body: { registrationNumber: cases[(i * 7) % cases.length]!.registration_number, nik: cases[(i * 7) % cases.length]!.subject_nik } }) },
    { name: `SLA report, month (${lastMonthFrom.slice(0, 7)})`, make: () => ({ method: 'GET', path: `/api/reports/sla?from=${lastMonthFrom}&to=${lastMonthTo}`, role: 'kabid' }) },
    { name: 'SLA report, last 365 days', make: () => ({ method: 'GET', path: `/api/reports/sla?from=${yearFrom}&to=${today}`, role: 'kabid' }) },
    { name: 'daily recap, today (CSV preview)', make: () => ({ method: 'GET', path: `/api/reports/daily-recap?date=${today}&format=csv`, role: 'kabid' }) },
    { name: 'daily recap, yesterday (CSV, archived)', make: () => ({ method: 'GET', path: `/api/reports/daily-recap?date=${yesterday}&format=csv`, role: 'kabid' }) },
  ];
  const selected = args.only ? routes.filter((r) => r.name.includes(args.only!)) : routes;

  let peakRss = process.memoryUsage().rss;
  const rssStart = peakRss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const results: Array<{ name: string; first: number; p50: number; p95: number; p99: number; status: string; rows: string }> = [];
  for (const r of selected) {
    const times: number[] = [];
    const statuses = new Map<number, number>();
    let rows = '';
    let first = 0;
    for (let i = 0; i < SAMPLES + 5; i++) {
      const q = r.make(i);
      const headers: Record<string, string> = {};
      if (q.role) headers.authorization = `Bearer ${tokens[q.role]}`;
      if (q.body) headers['content-type'] = 'application/json';
      const t = performance.now();
      const res = await fetch(base + q.path, { method: q.method, headers, body: q.body ? JSON.stringify(q.body) : undefined });
      const text = await res.text();
      const ms = performance.now() - t;
      if (i === 0) first = Math.round(ms * 10) / 10;
      if (i >= 5) times.push(ms);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (i === 5) {
        try {
          const j = JSON.parse(text);
          rows = Array.isArray(j.items) ? `${j.items.length} items` : j.registrationNumber ? '1 case' : Array.isArray(j.steps) ? `${j.steps.reduce((a: number, s: { count: number }) => a + s.count, 0)} runs` : '';
        } catch {
          rows = `${text.split('\n').length - 1} lines`;
        }
      }
    }
    const p = percentiles(times);
    results.push({ name: r.name, first, ...p, status: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '), rows });
    log(`${r.name.padEnd(42)} first ${first} p50 ${p.p50} p95 ${p.p95} p99 ${p.p99} ms (${rows}; ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')})`);
  }
  clearInterval(rssTimer);
  const mb = (b: number) => Math.round(b / 1048576);
  const rssEnd = process.memoryUsage().rss;
  console.log(`\n${CASES.toLocaleString('en')} cases, ${SAMPLES} samples per route (after 5 warm-up), one request at a time, ${new Date().toISOString()}\n`);
  // `first`: the first (cold) request of a route, before the warm-up; caches (the SLA report's
  // closed-day histograms, PostgreSQL's buffers) are filled by it.
  console.log('| route | first ms | p50 ms | p95 ms | p99 ms | answer |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const r of results) console.log(`| ${r.name} | ${r.first} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rows} (${r.status}) |`);
  console.log(`\nProcess RSS: ${mb(rssStart)} MB at start, peak ${mb(peakRss)} MB, ${mb(rssEnd)} MB at end.`);
  server.close();
  await dbh.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const bad = results.filter((r) => r.p99 > 50);
  if (bad.length) console.log(`\nOver the 50 ms p99 target: ${bad.map((r) => r.name).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
