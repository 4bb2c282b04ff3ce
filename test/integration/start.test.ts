/**
 * `npm start` as a user runs it: the embedded stack in a child process on a temporary DATA_DIR.
 * Ready, console and Web UI answer, SIGINT leaves no process or port behind, a restart keeps data,
 * and bad configuration or a taken Temporal port fails fast with a clear message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/temporal-binaries.js';
import { freePort } from '../helpers/stack.js';

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'infra/start.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitReady(url: string, started: Started, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not ready in ${timeoutMs} ms:\n${started.output()}`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (embedded stack)', () => {
  it('becomes ready, serves console and Web UI, stops cleanly on SIGINT and keeps data across a restart', async () => {
    const [port, devPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(devPort),
      TEMPORAL_UI_PORT: String(uiPort),
      ADMIN_PASSWORD: 'start-test-admin-pw',
      DATABASE_URL: '', // the embedded default: PGlite
      TEMPORAL_ADDRESS: '',
    };
    const url = `http://127.0.0.1:${port}`;

    const first = start(env);
    await waitReady(url, first, 90_000);
    expect(first.output()).toContain(`http://localhost:${uiPort}`);
    const consolePage = await fetch(`${url}/`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

    // Leave a trace to find after the restart: blank stock added by the admin.
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'start-test-admin-pw' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const add = await fetch(`${url}/api/blanks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentType: 'KIA', quantity: 7, note: 'uji restart' }),
    });
    expect(add.status).toBeLessThan(300);

    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    for (const p of [port, devPort, uiPort]) expect(await portIsFree(p)).toBe(true);

    const second = start(env);
    await waitReady(url, second, 90_000);
    const login2 = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'start-test-admin-pw' }),
    });
    const token2 = ((await login2.json()) as { token: string }).token;
    const stock = await fetch(`${url}/api/blanks`, { headers: { authorization: `Bearer ${token2}` } });
    const { items } = (await stock.json()) as { items: Array<{ documentType: string; quantity: number }> };
    expect(items.find((i) => i.documentType === 'KIA')?.quantity).toBe(7);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    for (const p of [port, devPort, uiPort]) expect(await portIsFree(p)).toBe(true);
  }, 240_000);

  it('refuses a bad configuration value at once, naming the variable', async () => {
    const started = start({ DATA_DIR: dataDir, PORT: 'not-a-port' });
    expect(await started.exit).toBe(1);
    expect(started.output()).toMatch(/PORT: /);
  });

  it('says the Temporal port is taken instead of hanging', async () => {
    const blocker = net.createServer();
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const started = start({ DATA_DIR: dataDir, PORT: String(await freePort()), TEMPORAL_DEV_PORT: String(taken), TEMPORAL_UI_PORT: String(await freePort()) });
      expect(await started.exit).toBe(1);
      expect(started.output()).toContain(`Port ${taken} is already in use (TEMPORAL_DEV_PORT)`);
    } finally {
      blocker.close();
    }
  });
});
