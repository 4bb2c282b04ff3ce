/**
 * The backup drill (issue #16 item 5) on the embedded defaults: a case waits at printing on a
 * running service (PGlite, Temporal dev server); `npm run backup` takes one archive while it runs;
 * the service and its DATA_DIR are gone; `npm run restore` unpacks the archive into a fresh
 * DATA_DIR; the service started there finds the case where it was, its approval signature still
 * verifies, and the case continues to the end (print confirmed, handed over, archived).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config.js';
import { silentLogger } from '../../infra/logger.js';
import { startRuntime, type Runtime } from '../../infra/runtime.js';
import { PROJECT_ROOT } from '../../infra/temporal-binaries.js';
import { ROLES, type Role } from '../../domain/sop.js';
import { call, validSubmission } from '../api/harness.js';
import { freePort } from '../helpers/stack.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-drill-'));
const firstDir = path.join(tmp, 'first');
const restoredDir = path.join(tmp, 'restored');
const archive = path.join(tmp, 'backup.tar.gz');
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<Runtime> {
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
    ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
    PATH: process.env.PATH ?? '',
  });
  return startRuntime({ config, logger: silentLogger, api: true, worker: true, embedTemporal: true, headlessTemporal: true });
}

/** Runs an npm script's entry (scripts/<name>.ts) as `npm run <name>` would, with DATA_DIR set (async: the service answers meanwhile). */
function runScript(name: 'backup' | 'restore', dataDir: string, args: string[]): Promise<{ status: number | null; output: string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', `${name}.ts`), ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.once('exit', (status) => resolve({ status, output })));
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function loginAll(baseUrl: string, create: boolean): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  tokens.admin = (await call(baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-password-for-tests' } })).body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const password = `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026`;
    if (create) {
      const created = await call(baseUrl, 'POST', '/api/staff', { token: tokens.admin, body: { username: `${role}-drill`, name: `Petugas ${role}`, role, password } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const login = await call(baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-drill`, password } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    tokens[role] = login.body.token;
  }
  return tokens;
}

describe('backup and restore drill (PGlite + Temporal dev server)', () => {
  it('backs up while running; the restored DATA_DIR continues the case at printing and its signature verifies', async () => {
    runtime = await start(firstDir);
    let base = runtime.url!;
    let tokens = await loginAll(base, true);
    await runtime.database.db.updateTable('staff').set({ nip: '198705122010011003' }).where('username', '=', 'kabid-drill').execute();
    expect((await call(base, 'POST', '/api/blanks', { token: tokens.operator, body: { documentType: 'KTP_EL', quantity: 5, note: 'Stok uji' } })).status).toBe(200);

    const submitted = await call(base, 'POST', '/api/applications', { body: validSubmission() });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const regNo: string = submitted.body.registrationNumber;
    const detail = async (b: string, t: Record<Role, string>) => (await call(b, 'GET', `/api/applications/${regNo}`, { token: t.kadis })).body;
    const atStep = (b: string, t: Record<Role, string>, step: string, waitingFor?: string) =>
      waitFor(`${regNo} at ${step}`, async () => {
        const d = await detail(b, t);
        return d.currentStep === step && (waitingFor === undefined || d.waitingFor === waitingFor) ? d : null;
      });
    const act = (b: string, t: Record<Role, string>, action: string, role: Role, body: unknown) =>
      call(b, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: t[role], body });

    await atStep(base, tokens, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
    expect((await act(base, tokens, 'verify-documents', 'operator', { decision: 'approve' })).status).toBe(200);
    expect((await act(base, tokens, 'verify-print', 'subkoordinator', { decision: 'approve' })).status).toBe(200);
    expect((await act(base, tokens, 'approve', 'kabid', { decision: 'approve' })).status).toBe(200);
    await atStep(base, tokens, 'PRINTING', 'PRINT_CONFIRMATION');
    const before = await call(base, 'GET', `/api/verify/${regNo}`);
    expect(before.body.valid).toBe(true);

    // While the service runs: the PGlite dump comes from the running process.
    const backup = await runScript('backup', firstDir, ['--out', archive]);
    expect(backup.status, backup.output).toBe(0);
    expect(backup.output).toContain('dumped by the running service');
    expect(backup.output).toContain('Temporal SQLite: online backup');
    // The service still answers after the backup.
    expect((await detail(base, tokens)).currentStep).toBe('PRINTING');

    // The machine is lost: the service stops and its DATA_DIR is gone.
    await runtime.shutdown();
    runtime = undefined;
    // All of it but `cache/`: the compiled workflow bundle is memoised per process (worker/worker.ts)
    // and this test process starts the restored service too. The cache is not in the backup (a new
    // machine rebuilds it), so the restored DATA_DIR gets none of it.
    for (const name of fs.readdirSync(firstDir)) if (name !== 'cache') fs.rmSync(path.join(firstDir, name), { recursive: true, force: true });

    const restore = await runScript('restore', restoredDir, [archive]);
    expect(restore.status, restore.output).toBe(0);
    expect(fs.existsSync(path.join(restoredDir, 'cache'))).toBe(false);
    expect(fs.existsSync(path.join(restoredDir, 'keys', 'files.keys'))).toBe(true);
    // A second restore into the now non-empty directory is refused.
    const again = await runScript('restore', restoredDir, [archive]);
    expect(again.status).not.toBe(0);
    expect(again.output).toContain('not empty');

    runtime = await start(restoredDir);
    base = runtime.url!;
    tokens = await loginAll(base, false);
    const restored = await atStep(base, tokens, 'PRINTING', 'PRINT_CONFIRMATION');
    expect(restored.status).toBe('IN_PROGRESS');
    const after = await call(base, 'GET', `/api/verify/${regNo}`);
    expect(after.body).toMatchObject({ valid: true, documentSha256: before.body.documentSha256 });

    // The case continues where it was: print confirmed, handed over, archived.
    expect((await act(base, tokens, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);
    await atStep(base, tokens, 'HANDOVER', 'COURIER');
    const handover = await act(base, tokens, 'handover', 'ekspedisi', { receivedBy: 'Siti Aminah', relationship: 'FAMILY' });
    expect(handover.status, JSON.stringify(handover.body)).toBe(200);
    const done = await waitFor('archived', async () => {
      const d = await detail(base, tokens);
      return d.status === 'COMPLETED' ? d : null;
    });
    expect(done.currentStep).toBe('DONE');
    // The next registration number continues the day's sequence (the counters came back too).
    const next = await call(base, 'POST', '/api/applications', { body: validSubmission({ birthDate: '1985-03-02' }) });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(Number(String(next.body.registrationNumber).slice(-5))).toBe(Number(regNo.slice(-5)) + 1);
  }, 600_000);
});
