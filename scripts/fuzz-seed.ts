/**
 * Test data for the API fuzzing (`scripts/fuzz.sh`), created through the HTTP API the way staff
 * and applicants would (the bench's helpers): the admin creates one account per SOP role and adds
 * blank stock; five generated applications are driven to the states the fuzzed operations need.
 *
 *   FUZZ_BASE_URL=http://127.0.0.1:PORT FUZZ_ADMIN_PASSWORD=… node --import tsx scripts/fuzz-seed.ts OUT_DIR
 *
 * Writes into OUT_DIR (the run's temporary directory):
 * - `fuzz.env`: `FUZZ_…=…` lines (tokens of the admin, an operator and a supervisor; the
 *   registration number the operator acts on) for the Schemathesis config's `${…}`
 *   substitution — mode 0600, never printed;
 * - `*.dict`: libFuzzer-style dictionaries (one quoted value a line) that `schemathesis.toml`
 *   binds to parameters: registration numbers, attachment ids, the matching NIKs, NIK /
 *   birth-date pairs for new submissions, a list cursor, and the name and (random, per run)
 *   password of an account made for the login operation.
 *
 * All values are generated (no real person's data); nothing personal is logged.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, idempotencyKey, sleep } from '../bench/lib/http.js';
import { addBlanks, LifecycleError, runLifecycle, setupStaff, track, type StaffRole, type Tokens } from '../bench/lib/lifecycle.js';
import { makeNik, planCase, type CasePlan } from '../bench/lib/fixtures.js';
import type { StepKey } from '../domain/sop.js';

const log = (msg: string) => process.stderr.write(`[fuzz-seed] ${msg}\n`);

interface Seeded {
  registrationNumber: string;
  nik: string;
}

async function submit(api: ApiClient, plan: CasePlan): Promise<Seeded> {
  const res = await api.post('/api/applications', plan.body, { headers: { 'idempotency-key': idempotencyKey() } });
  if (res.status !== 201) throw new LifecycleError(`seed submission #${plan.index}: HTTP ${res.status}`, res);
  return { registrationNumber: res.body.registrationNumber as string, nik: plan.nik };
}

/** Waits (bounded) until tracking shows the case IN_PROGRESS at `step`. */
async function waitForStep(api: ApiClient, c: Seeded, step: StepKey): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await track(api, c.registrationNumber, c.nik);
    if (t.currentStep === step && t.status === 'IN_PROGRESS') return;
    if (Date.now() > deadline) throw new LifecycleError(`${c.registrationNumber} still at ${t.currentStep} (${t.status}), waiting for ${step}`);
    await sleep(100);
  }
}

/** Takes one staff action once the case is at its step (a 409 "not yet" is waited out). */
async function act(api: ApiClient, tokens: Tokens, c: Seeded, step: StepKey, action: string, role: StaffRole, body: Record<string, unknown>): Promise<void> {
  await waitForStep(api, c, step);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await api.post(`/api/applications/${c.registrationNumber}/actions/${action}`, body, { token: tokens[role] });
    if (res.status === 200) return;
    if (res.status !== 409 || Date.now() > deadline) throw new LifecycleError(`seed ${action} on ${c.registrationNumber}: HTTP ${res.status}`, res);
    await sleep(100);
  }
}

async function waitForStatus(api: ApiClient, c: Seeded, status: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await track(api, c.registrationNumber, c.nik)).status !== status) {
    if (Date.now() > deadline) throw new LifecycleError(`${c.registrationNumber} never reached ${status}`);
    await sleep(100);
  }
}

function writeDict(dir: string, name: string, values: readonly string[]): void {
  if (values.length === 0) throw new Error(`dictionary ${name} would be empty`);
  const lines = values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  fs.writeFileSync(path.join(dir, `${name}.dict`), `${lines.join('\n')}\n`);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

async function main(): Promise<void> {
  const outDir = process.argv[2];
  const baseUrl = process.env.FUZZ_BASE_URL;
  const adminPassword = process.env.FUZZ_ADMIN_PASSWORD;
  if (!outDir || !baseUrl || !adminPassword) throw new Error('usage: FUZZ_BASE_URL=… FUZZ_ADMIN_PASSWORD=… fuzz-seed.ts OUT_DIR');
  fs.mkdirSync(outDir, { recursive: true });
  // Transient answers (503 while the worker warms up) are retried for a while.
  const api = new ApiClient(baseUrl, 30_000);
  const t0 = Date.now();

  const tokens = await setupStaff(api, { username: process.env.FUZZ_ADMIN_USERNAME ?? 'admin', password: adminPassword }, 'fuzz');
  await addBlanks(api, tokens.admin, 'KTP_EL', 50);
  await addBlanks(api, tokens.admin, 'KIA', 50);

  // planCase(i): i % 4 == 3 is a KIA for an 8-year-old (KK, birth certificate, photo), 2 a DAMAGED
  // KTP-el, else a KTP-el NEW. A fixed salt: the same NIKs every run (the database is fresh).
  const salt = 4242;
  const plans = Array.from({ length: 5 }, (_, i) => planCase(i, { salt }));
  // 1. Completed (signature, label / approval / receipt PDFs, receipt in tracking).
  const completedPlan = plans[3]!;
  const lifecycle = await runLifecycle(api, tokens, completedPlan, { pollMs: 100, stepTimeoutMs: 60_000 });
  if (!lifecycle.ok || !lifecycle.registrationNumber) throw new Error(`seed lifecycle failed: ${lifecycle.error}`);
  const completed: Seeded = { registrationNumber: lifecycle.registrationNumber, nik: completedPlan.nik };
  // 2. At DOCUMENT_VERIFICATION: the operator's actions. 3. At PRINTING (approved, label printed).
  const atVerification = await submit(api, plans[0]!);
  const atPrinting = await submit(api, plans[1]!);
  // 4. Rejected, waiting for a resubmission. 5. Open, for the applicant's cancellation.
  const rejected = await submit(api, plans[2]!);
  const toCancel = await submit(api, plans[4]!);
  await act(api, tokens, atPrinting, 'DOCUMENT_VERIFICATION', 'verify-documents', 'operator', { decision: 'approve' });
  await act(api, tokens, atPrinting, 'PRINT_VERIFICATION', 'verify-print', 'subkoordinator', { decision: 'approve' });
  await act(api, tokens, atPrinting, 'APPROVAL', 'approve', 'kabid', { decision: 'approve' });
  await act(api, tokens, rejected, 'DOCUMENT_VERIFICATION', 'verify-documents', 'operator', {
    decision: 'reject',
    reason: 'Scan KK buram, mohon unggah ulang yang jelas',
  });
  await waitForStep(api, atVerification, 'DOCUMENT_VERIFICATION');
  await waitForStep(api, toCancel, 'DOCUMENT_VERIFICATION');
  await waitForStep(api, atPrinting, 'PRINTING');
  await waitForStatus(api, rejected, 'AWAITING_RESUBMISSION');

  // A cursor as the list hands it out (the value is opaque, so the fuzzer cannot make one up).
  const page = await api.get('/api/applications?limit=1', { token: tokens.admin });
  if (page.status !== 200 || typeof page.body.nextCursor !== 'string') throw new LifecycleError(`seed list page: HTTP ${page.status}`, page);
  // An account whose password the fuzzer knows, so that logins also succeed (and their answer is checked).
  const loginPassword = `fuzz-${randomBytes(9).toString('base64url')}`;
  const created = await api.post('/api/staff', { username: 'fuzz-login', name: 'Petugas Uji Login', role: 'operator', password: loginPassword }, { token: tokens.admin });
  if (created.status !== 201) throw new LifecycleError(`seed login account: HTTP ${created.status}`, created);
  // Accounts the fuzzer may damage: 'fuzz-target' for PATCH /api/staff/{username} and the password
  // reset (so it deactivates or resets no account the run needs), and 'fuzz-self', whose token
  // runs changePassword and logout (a logout revokes the token it is called with).
  const selfPassword = `fuzz-${randomBytes(9).toString('base64url')}`;
  for (const [username, password] of [['fuzz-target', `fuzz-${randomBytes(9).toString('base64url')}`], ['fuzz-self', selfPassword]] as const) {
    const made = await api.post('/api/staff', { username, name: 'Petugas Uji Akun', role: 'operator', password }, { token: tokens.admin });
    if (made.status !== 201) throw new LifecycleError(`seed account ${username}: HTTP ${made.status}`, made);
  }
  const self = await api.post('/api/auth/login', { username: 'fuzz-self', password: selfPassword });
  if (self.status !== 200) throw new LifecycleError(`seed login fuzz-self: HTTP ${self.status}`, self);

  // The operator: the admin sees no attachments (SPEC §9).
  const detail = await api.get(`/api/applications/${completed.registrationNumber}`, { token: tokens.operator });
  if (detail.status !== 200) throw new LifecycleError(`seed case detail: HTTP ${detail.status}`, detail);
  const attachmentIds = (detail.body.attachments as Array<{ id: string }>).map((a) => a.id);

  // New submissions: a NIK's date part must be the birth date, which a schema cannot say, so the
  // fuzzer gets NIKs (none used above) that all carry one adult's birth date; with it, a KTP-el
  // submission can pass every rule (a KIA is refused for the age, as it should be).
  const birthDates = ['1984-07-21'];
  const submissionNiks = Array.from({ length: 24 }, (_, i) => makeNik(`3315${pad(1 + (i % 19), 2)}`, birthDates[0]!, i % 2 === 1, 7001 + i));

  writeDict(outDir, 'cases', [completed, atVerification, atPrinting, rejected, toCancel].map((c) => c.registrationNumber));
  writeDict(outDir, 'completed-regno', [completed.registrationNumber]);
  writeDict(outDir, 'completed-nik', [completed.nik]);
  writeDict(outDir, 'completed-attachments', attachmentIds);
  writeDict(outDir, 'resubmission-regno', [rejected.registrationNumber]);
  writeDict(outDir, 'resubmission-nik', [rejected.nik]);
  writeDict(outDir, 'cancellation-regno', [toCancel.registrationNumber]);
  writeDict(outDir, 'cancellation-nik', [toCancel.nik]);
  writeDict(outDir, 'submission-nik', submissionNiks);
  writeDict(outDir, 'submission-birthdate', birthDates);
  writeDict(outDir, 'list-cursor', [page.body.nextCursor as string]);
  writeDict(outDir, 'login-username', ['fuzz-login']);
  writeDict(outDir, 'login-password', [loginPassword]);
  writeDict(outDir, 'staff-username', ['fuzz-target']);

  const env = [
    `FUZZ_ADMIN_TOKEN=${tokens.admin}`,
    `FUZZ_OPERATOR_TOKEN=${tokens.operator}`,
    // kabid: a supervisor (reports) who owns no step the fuzzer acts on.
    `FUZZ_SUPERVISOR_TOKEN=${tokens.kabid}`,
    `FUZZ_ACTION_REGNO=${atVerification.registrationNumber}`,
    `FUZZ_SELF_TOKEN=${self.body.token as string}`,
  ];
  fs.writeFileSync(path.join(outDir, 'fuzz.env'), `${env.join('\n')}\n`, { mode: 0o600 });
  log(`staff accounts, blank stock and 5 cases (completed, at verification, at printing, awaiting resubmission, open) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  log(`failed: ${(e as Error).message}`);
  process.exit(1);
});
