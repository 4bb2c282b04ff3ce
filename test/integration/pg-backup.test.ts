/**
 * The PostgreSQL half of backups (docs/backup.md): `pg_dump -Fc` of a live, migrated database and
 * `pg_restore` into a fresh database give every table's rows back, the migrations recorded (a start
 * runs none again), and the SLA rollup trigger working on the restored copy.
 * Uses TEST_DATABASE_URL when set (CI); otherwise starts a throw-away PostgreSQL with initdb.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { insertTestCase } from '../helpers/cases.js';
import { freePort } from '../helpers/stack.js';

const bin = (name: string) => ['/usr/bin', '/usr/local/bin', ...fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)].map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-pgbackup-'));
let adminUrl = process.env.TEST_DATABASE_URL ?? '';
let stopCluster: (() => void) | undefined;
const asPostgres = (args: string[]) =>
  process.getuid?.() === 0 ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', args.map((a) => `'${a}'`).join(' ')], { encoding: 'utf8' }) : spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });

beforeAll(async () => {
  if (adminUrl) return;
  const initdb = bin('initdb');
  const pgCtl = bin('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('no TEST_DATABASE_URL and no initdb/pg_ctl: install PostgreSQL to run this test');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', tmp]);
  const data = path.join(tmp, 'data');
  const init = asPostgres([initdb, '-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  expect(init.status, init.stderr).toBe(0);
  const port = await freePort();
  const started = asPostgres([pgCtl, '-D', data, '-o', `-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(tmp, 'log'), '-w', 'start']);
  expect(started.status, started.stderr + started.stdout).toBe(0);
  stopCluster = () => void asPostgres([pgCtl, '-D', data, '-m', 'immediate', 'stop']);
  adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
}, 120_000);
afterAll(() => {
  stopCluster?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function createDb(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tables = (await c.query(`select tablename from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.tablename as string);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await c.query(`select count(*) from "${t}"`)).rows[0].count);
  await c.end();
  return out;
}

describe('PostgreSQL backup with pg_dump / pg_restore', () => {
  it('restores every row, the recorded migrations and a working SLA rollup trigger into a fresh database', async () => {
    const suffix = Date.now().toString(36);
    const srcUrl = await createDb(`bp_backup_src_${suffix}`);
    const dstUrl = await createDb(`bp_backup_dst_${suffix}`);
    const src = await openDatabase({ url: srcUrl, poolMax: 2 });
    await migrateToLatest(src.db);
    for (let i = 1; i <= 3; i++) {
      const reg = `BP-20261201-0000${i}`;
      await insertTestCase(src.db, { registration_number: reg, subject_nik: `331501019000000${i}` });
      await src.db.insertInto('step_runs').values({ registration_number: reg, step_key: 'DOCUMENT_VERIFICATION', seq: 2, role: 'operator', standard_minutes: 5, started_at: new Date('2026-12-01T02:00:00Z'), due_at: null, completed_at: null, counted_minutes: null, outcome: null, actor_username: null }).execute();
      if (i < 3) await src.db.updateTable('step_runs').set({ completed_at: new Date('2026-12-01T02:04:00Z'), counted_minutes: 4 }).where('registration_number', '=', reg).execute();
    }
    await src.db.insertInto('signatures').values({ registration_number: 'BP-20261201-00001', signer_username: 'kabid1', signer_name: 'Kabid', signer_role: 'kabid', document_type: 'KTP_EL', signed_at: new Date(), payload: '{"v":2}', signature: 'c2ln', key_id: 'k1' }).execute();

    // While the source stays open (pg_dump takes a consistent snapshot).
    const dump = path.join(tmp, 'becak.dump');
    execFileSync(bin('pg_dump')!, ['--format=custom', '--no-owner', '--file', dump, srcUrl]);
    execFileSync(bin('pg_restore')!, ['--no-owner', '--exit-on-error', '--dbname', dstUrl, dump]);

    const before = await tableCounts(srcUrl);
    expect(before.cases).toBe(3);
    expect(before.sla_step_daily).toBe(1);
    expect(await tableCounts(dstUrl)).toEqual(before);

    const dst = await openDatabase({ url: dstUrl, poolMax: 2 });
    expect(await migrateToLatest(dst.db)).toEqual([]);
    expect(Object.keys(migrations).length).toBeGreaterThan(0);
    await dst.db.updateTable('step_runs').set({ completed_at: new Date('2026-12-01T02:06:00Z'), counted_minutes: 6 }).where('registration_number', '=', 'BP-20261201-00003').execute();
    const rollup = await sql<{ runs: number; within: number }>`select sum(runs)::int as runs, sum(within_standard)::int as within from sla_step_daily`.execute(dst.db);
    expect(rollup.rows[0]).toEqual({ runs: 3, within: 2 });
    expect((await dst.db.selectFrom('signatures').select('payload').executeTakeFirstOrThrow()).payload).toBe('{"v":2}');
    await src.close();
    await dst.close();
  }, 300_000);
});
