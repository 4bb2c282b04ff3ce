/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole process group of `npm start` (npm and the node
 * process it runs, both of which receive it, and npm relays it once more). The worker must drain,
 * the process exit 0, and the embedded dev server must not survive. (`npm start` runs node with
 * `--import tsx`, not the tsx CLI: that wrapper SIGKILLs its child when the child does not confirm a
 * relayed signal within 30 ms, which a loaded machine missed in CI — exit 130 mid-drain.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/temporal-binaries.js';
import { freePort } from '../helpers/stack.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-ctrlc-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('SIGINT to the whole process group drains the worker, exits 0 and leaves no dev server behind', async () => {
  const [port, devPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  // What `npm start` runs, leading its own process group (npm's relay is sent below by hand).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'infra/start.ts')], {
    cwd: PROJECT_ROOT,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(devPort),
      TEMPORAL_UI_PORT: String(uiPort),
      ADMIN_PASSWORD: 'ctrl-c-test-admin-pw',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${out}`);
      if (out.includes('Stop with Ctrl-C')) break;
      if (Date.now() > deadline) throw new Error(`not started in time:\n${out}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const devPid = Number(/"msg":"temporal dev server starting"[^\n]*"pid":(\d+)|"pid":(\d+)[^\n]*temporal dev server starting/.exec(out)?.slice(1).find(Boolean));
    expect(devPid).toBeGreaterThan(0);
    expect(alive(devPid)).toBe(true);

    process.kill(-child.pid!, 'SIGINT');
    // npm relays the terminal's SIGINT to its child once more, a moment later.
    await new Promise((r) => setTimeout(r, 50));
    process.kill(child.pid!, 'SIGINT');
    expect(await exit, out).toBe(0);
    expect(out).toContain('worker drained');
    expect(out).toContain('stopped cleanly');
    expect(out).not.toContain('second signal: exiting now');
    expect(out).toContain('repeated signal ignored');
    // The dev server is gone with us (it runs in its own group, stopped by the shutdown).
    const gone = Date.now() + 15_000;
    while (alive(devPid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
    expect(alive(devPid)).toBe(false);
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}, 240_000);
