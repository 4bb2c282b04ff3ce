/**
 * Issue #16 item 2: two API processes (`api/main.ts`, separate Node processes) against one
 * PostgreSQL share the public per-address rate limit through the `rate_limits` table, instead of
 * each granting the full budget; a logout through one revokes the token in the other; failed logins
 * through both count toward one lock. Uses TEST_DATABASE_URL (a fresh database on it) when set, else a
 * throwaway PostgreSQL cluster; Temporal is a headless dev server (the API only needs it to start).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { silentLogger } from '../../infra/logger.js';
import { freePort, spawnService, type ServiceProcess } from '../../bench/lib/processes.js';
import { waitForHttp } from '../../bench/lib/http.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../faults/helpers/postgres.js';

const PER_MINUTE = 6;

let dataDir: string;
let pgServer: ThrowawayPostgres | undefined;
let databaseUrl: string;
let dropDatabase: (() => Promise<void>) | undefined;
let dev: DevServer;
const apis: Array<{ proc: ServiceProcess; baseUrl: string }> = [];

async function freshDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    pgServer = await startThrowawayPostgres();
    return pgServer.url;
  }
  const name = `bp_rl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-rl-'));
  databaseUrl = await freshDatabase();
  const port = await freePort();
  dev = await startDevServer({ dataDir, port, uiPort: port + 1, namespace: 'default', headless: true, logger: silentLogger });
  // One after the other: the first one migrates the database.
  for (const name of ['api-a', 'api-b']) {
    const apiPort = await freePort();
    const proc = spawnService(name, 'api/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: dev.address,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'Kunci-Lumbung-Padi-2026',
      RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      // The test plays several clients from loopback, each with its own X-Forwarded-For.
      TRUST_PROXY: 'loopback',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    }, path.join(dataDir, 'logs'));
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    apis.push({ proc, baseUrl });
    await waitForHttp(baseUrl, '/readyz', 120_000, () => proc.alive());
  }
}, 300_000);

afterAll(async () => {
  for (const a of apis) await a.proc.stop().catch(() => undefined);
  await dev?.stop().catch(() => undefined);
  await dropDatabase?.().catch(() => undefined);
  pgServer?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const CLIENT = '198.51.100.7';
const track = async (baseUrl: string) => {
  const res = await fetch(`${baseUrl}/api/tracking`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': CLIENT }, body: '{}' });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
};

describe('staff token revocation across two API processes', () => {
  it('a logout through one API process makes the token refused by the other at once', async () => {
    const [a, b] = apis as [(typeof apis)[0], (typeof apis)[0]];
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.8' };
    const login = await fetch(`${a.baseUrl}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: 'admin', password: 'Kunci-Lumbung-Padi-2026' }) });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const auth = { ...headers, authorization: `Bearer ${token}` };
    const before = await fetch(`${b.baseUrl}/api/staff`, { headers: auth });
    await before.arrayBuffer();
    expect(before.status).toBe(200);
    const logout = await fetch(`${a.baseUrl}/api/auth/logout`, { method: 'POST', headers: auth });
    await logout.arrayBuffer();
    expect(logout.status).toBe(204);
    const after = await fetch(`${b.baseUrl}/api/staff`, { headers: auth });
    await after.arrayBuffer();
    expect(after.status).toBe(401);
  });
});

describe('public rate limit across two API processes', () => {
  it('one address gets RATE_LIMIT_PER_MINUTE requests in total from both processes, then 429 with Retry-After from either', async () => {
    const [a, b] = apis as [(typeof apis)[0], (typeof apis)[0]];
    expect(a.proc.pid).not.toBe(b.proc.pid);
    const statuses: number[] = [];
    // Alternate between the processes: each alone would allow PER_MINUTE requests.
    for (let i = 0; i < PER_MINUTE; i++) statuses.push((await track(i % 2 === 0 ? a.baseUrl : b.baseUrl)).status);
    expect(statuses).toEqual(Array(PER_MINUTE).fill(400)); // within budget: the empty body is refused
    const overA = await track(a.baseUrl);
    const overB = await track(b.baseUrl);
    expect([overA.status, overB.status]).toEqual([429, 429]);
    expect(Number(overA.retryAfter)).toBeGreaterThan(0);
    expect(Number(overB.retryAfter)).toBeGreaterThan(0);

    // The counter is one row in the shared table, counting every request of both processes.
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      const rows = await c.query<{ key: string; points: number }>(`select key, points from rate_limits where key = $1`, [`public:${CLIENT}`]);
      expect(rows.rows).toHaveLength(1);
      expect(Number(rows.rows[0]!.points)).toBe(PER_MINUTE + 2);
    } finally {
      await c.end();
    }
  });
});

describe('login throttling across two API processes', () => {
  it('ten failed logins for one username, five through each process, lock it on both (even with the right password)', async () => {
    const [a, b] = apis as [(typeof apis)[0], (typeof apis)[0]];
    const attempt = async (baseUrl: string, i: number, password: string) => {
      // A new client address each time: the lock is per username, not per address.
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${20 + i}` },
        body: JSON.stringify({ username: 'admin', password }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const failures: number[] = [];
    for (let i = 0; i < 10; i++) failures.push(await attempt(i < 5 ? a.baseUrl : b.baseUrl, i, `Salah-Sandi-${i}-2026`));
    expect(failures).toEqual(Array(10).fill(401));
    expect(await attempt(a.baseUrl, 11, 'Kunci-Lumbung-Padi-2026')).toBe(429);
    expect(await attempt(b.baseUrl, 12, 'Kunci-Lumbung-Padi-2026')).toBe(429);
  });
});
