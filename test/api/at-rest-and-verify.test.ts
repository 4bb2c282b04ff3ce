/**
 * Issue #12 items 4 and 6 over the running service (dev server, worker, API): after a case has gone
 * from submission to archive, no byte of its scan, handover photo or print job is readable in plain
 * under DATA_DIR (outside the database files), every mode is owner-only, the print job is gone once
 * confirmed; /api/verify vouches for the approval PDF served, which pdfsig verifies, and the verify
 * page checks a chosen PDF file's hash in the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, validSubmission } from './harness.js';
import { ROLES, type Role } from '../../domain/sop.js';

const PDFSIG = '/usr/bin/pdfsig';
const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(PDFSIG)) console.warn(`SKIPPED: ${PDFSIG} not found (install poppler-utils)`);
if (!fs.existsSync(CHROMIUM)) console.warn(`SKIPPED: ${CHROMIUM} not found: the verify page's file check is not exercised`);

let stack: TestStack;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  stack = await startTestStack();
  const admin = await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } });
  tokens.admin = admin.body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const created = await call(stack.baseUrl, 'POST', '/api/staff', { token: tokens.admin, body: { username: `${role}-rest`, name: `Petugas ${role}`, role, password: `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[role] = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-rest`, password: `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026` } })).body.token;
  }
  await stack.db.updateTable('staff').set({ nip: '198705122010011003' }).where('username', '=', 'kabid-rest').execute();
  expect((await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.operator, body: { documentType: 'KTP_EL', quantity: 5, note: 'Stok uji' } })).status).toBe(200);
});
afterAll(async () => {
  await stack?.shutdown();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const detail = async (regNo: string) => (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens.kadis })).body;
const atStep = (regNo: string, step: string, waitingFor?: string) =>
  waitFor(`${regNo} at ${step}`, async () => {
    const d = await detail(regNo);
    return d.currentStep === step && (waitingFor === undefined || d.waitingFor === waitingFor) ? d : null;
  });
const act = (regNo: string, action: string, role: Role, body: unknown) => call(stack.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: tokens[role], body });
const download = async (url: string) => Buffer.from(await (await fetch(`${stack.baseUrl}${url}`, { headers: { authorization: `Bearer ${tokens.kadis}` } })).arrayBuffer());

/** Files under DATA_DIR whose bytes contain `needle`, database files (PGlite, Temporal's SQLite) excepted. */
function plainHits(needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(stack.config.dataDir, p);
      if (rel === 'pglite' || rel === 'temporal') continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.readFileSync(p).includes(needle)) hits.push(rel);
    }
  };
  walk(stack.config.dataDir);
  return hits;
}

describe('a case from submission to archive', () => {
  it('leaves no scan, photo or print-job byte in plain under DATA_DIR, owner-only modes, no print job after confirmation; its approval verifies', async () => {
    const scanMarker = `MARKER-SCAN-${randomBytes(6).toString('hex')}`;
    const photoMarker = `MARKER-PHOTO-${randomBytes(6).toString('hex')}`;
    const scan = Buffer.from(`%PDF-1.4\n% ${scanMarker}\n`);
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF ${photoMarker}`)]);
    const body = validSubmission();
    body.attachments[0]!.contentBase64 = scan.toString('base64');
    const submitted = await call(stack.baseUrl, 'POST', '/api/applications', { body });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const regNo: string = submitted.body.registrationNumber;
    await atStep(regNo, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
    expect((await act(regNo, 'verify-documents', 'operator', { decision: 'approve' })).status).toBe(200);
    expect((await act(regNo, 'verify-print', 'subkoordinator', { decision: 'approve' })).status).toBe(200);
    expect((await act(regNo, 'approve', 'kabid', { decision: 'approve' })).status).toBe(200);
    await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');

    // The print job exists, encrypted (the card's NIK and KK number are in it).
    const job = path.join(stack.config.filesDir, 'print-jobs', regNo, 'attempt-1.json');
    expect(fs.readFileSync(job).subarray(0, 4).toString()).toBe('BPFE');
    expect(plainHits(Buffer.from(body.subject.nik))).toEqual([]);
    expect((await act(regNo, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);
    await atStep(regNo, 'HANDOVER', 'COURIER');
    expect(fs.existsSync(job)).toBe(false);
    expect(fs.readdirSync(path.join(stack.config.filesDir, 'print-jobs', regNo))).toEqual([]);

    const handover = await act(regNo, 'handover', 'ekspedisi', { receivedBy: 'Siti Aminah', relationship: 'FAMILY', photoBase64: photo.toString('base64') });
    expect(handover.status, JSON.stringify(handover.body)).toBe(200);
    const done = await waitFor('archived', async () => {
      const d = await detail(regNo);
      return d.timeline.some((e: { type: string }) => e.type === 'ARCHIVED') && d.documents.some((x: { kind: string }) => x.kind === 'receipt') ? d : null;
    });

    // Nothing readable in plain; served decrypted to a role allowed to see it.
    for (const needle of [scanMarker, photoMarker, body.subject.nik, body.subject.kkNumber]) expect(plainHits(Buffer.from(needle)), needle).toEqual([]);
    expect(await download(done.attachments[0].url)).toEqual(scan);

    // Owner-only: DATA_DIR 0700, every folder 0700, every file 0600 (database files included).
    const bad: string[] = [];
    const walk = (p: string) => {
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) return;
      const mode = st.mode & 0o777;
      if (st.isDirectory()) {
        if (mode !== 0o700) bad.push(`${p} ${mode.toString(8)}`);
        for (const n of fs.readdirSync(p)) walk(path.join(p, n));
      } else if (mode & 0o077) bad.push(`${p} ${mode.toString(8)}`);
    };
    walk(stack.config.dataDir);
    expect(bad).toEqual([]);

    // The signature vouches for the approval PDF served, which carries a valid embedded signature.
    const approval = await download(`/api/applications/${regNo}/documents/approval`);
    const v = await call(stack.baseUrl, 'GET', `/api/verify/${regNo}`);
    expect(v.body).toMatchObject({ valid: true, payloadVersion: 2, signer: { name: 'Petugas kabid', role: 'kabid', nip: '198705122010011003' }, documentSha256: createHash('sha256').update(approval).digest('hex'), holderName: 'B*** S******' });
    if (fs.existsSync(PDFSIG)) {
      const file = path.join(stack.config.dataDir, 'approval-check.pdf');
      fs.writeFileSync(file, approval);
      expect(execFileSync(PDFSIG, [file], { encoding: 'utf8' })).toContain('Signature is Valid.');
      fs.rmSync(file);
    }

    // The verify page: says which document was signed and checks a chosen file's SHA-256 in the browser.
    if (fs.existsSync(CHROMIUM)) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage();
        await page.goto(`${stack.baseUrl}/verifikasi/${regNo}`);
        expect(await page.locator('#verify-verdict').textContent({ timeout: 15_000 })).toContain('SAH');
        expect(await page.locator('#verify-result').textContent()).toContain('Surat persetujuan pencetakan');
        const input = page.locator('#file-check-input');
        await input.setInputFiles({ name: 'persetujuan.pdf', mimeType: 'application/pdf', buffer: approval });
        expect(await page.locator('#file-check-verdict').textContent({ timeout: 10_000 })).toContain('sama persis');
        const forged = Buffer.from(approval);
        forged[forged.length - 10] ^= 1;
        await input.setInputFiles({ name: 'palsu.pdf', mimeType: 'application/pdf', buffer: forged });
        await page.locator('#file-check-verdict', { hasText: 'BERBEDA' }).waitFor({ timeout: 10_000 });
      } finally {
        await browser.close();
      }
    }
  });
});
