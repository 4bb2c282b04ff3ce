/**
 * Issue #14 item 2 in Debian's Chromium: a sub-coordinator (desktop, 1366×768) sees who handles
 * what on "Tugas saya", filters it, and verifies 5 prints in one bulk decision; a kabid (phone,
 * 390×844) approves 5 cases in one bulk decision after the TTE preview, first with a wrong
 * passphrase (nothing signed, said in the dialog), then the right one; the kabid's single approval
 * asks the passphrase too. axe-core finds no violations on the list, the dialog and the results.
 * Screenshots: test-results/e2e/tasks-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack.js';
import { axeViolations as runAxe, callApi } from './browser-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = { operator: 'Kunci-Lumbung-Padi-2026-Op', sub1: 'Kunci-Lumbung-Padi-2026-S1', sub2: 'Kunci-Lumbung-Padi-2026-S2', kabid: 'Kunci-Lumbung-Padi-2026-Kb' };

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let expectedHttpErrors: number[] = [];
const tokens: Record<string, string> = {};

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const m = /status of (\d{3})/.exec(msg.text());
    if (m && expectedHttpErrors.includes(Number(m[1]))) return;
    pageErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** axe-core (from node_modules, evaluated through the devtools protocol: the page's CSP stays on). */
async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const stepOf = async (regNo: string) => (await api(tokens.operator!, 'GET', `/api/applications/${regNo}`)).currentStep as string;
/** At `step` and waiting for staff (the workflow has entered the step, not only the read model). */
const atStep = (regNo: string, step: string) =>
  waitFor(`${regNo} at ${step}`, async () => {
    const d = await api(tokens.operator!, 'GET', `/api/applications/${regNo}`);
    return d.currentStep === step && (step !== 'DOCUMENT_VERIFICATION' || d.waitingFor === 'STAFF_ACTION');
  });

const NAMES = ['Siti Rahayu', 'Bambang Wijaya', 'Dewi Kartika', 'Eko Prasetyo', 'Fitri Handayani', 'Gilang Ramadhan'];
const DISTRICTS = ['Purwodadi', 'Godong', 'Toroh', 'Wirosari', 'Gubug', 'Purwodadi'];
let serial = 100 + Math.floor(Math.random() * 800);

/** A case at step 3 (print verification), submitted and verified through the API. */
async function caseAtPrintVerification(i: number): Promise<string> {
  const nik = `3315011505${90}${String(serial++).padStart(4, '0')}`;
  const res = await api(null, 'POST', '/api/applications', {
    documentType: 'KTP_EL',
    reason: 'NEW',
    subject: { nik, name: NAMES[i], birthDate: '1990-05-15', married: false, kkNumber: '3315012301150003' },
    contact: { name: NAMES[i], phone: '081234567891' },
    delivery: { address: 'Jl. Kenanga No. 7', rt: '001', rw: '004', village: 'Kuripan', district: DISTRICTS[i] },
    attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% kk\n').toString('base64') }],
    privacyConsent: true,
  });
  const regNo = res.registrationNumber as string;
  await atStep(regNo, 'DOCUMENT_VERIFICATION');
  await api(tokens.operator!, 'POST', `/api/applications/${regNo}/actions/verify-documents`, { decision: 'approve' });
  await atStep(regNo, 'PRINT_VERIFICATION');
  return regNo;
}

/** Reloads Tugas saya until every case is listed. */
async function tasksShow(page: Page, regNos: string[]): Promise<void> {
  await page.goto(`${stack.baseUrl}/#/tugas`);
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: 'Muat ulang' }).click();
      await page.waitForTimeout(200);
      let n = 0;
      for (const r of regNos) n += await page.locator(`#tasks tr[data-reg="${r}"]`).count();
      return n;
    }, { timeout: 30_000, interval: 500 })
    .toBe(regNos.length);
}

describe.skipIf(!hasChromium)('task list and bulk decisions in Chromium', () => {
  const cases: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { startTestStack } = await import('../helpers/stack.js');
    stack = await startTestStack({ APPROVAL_PASSPHRASE: 'required' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const admin = (await api(null, 'POST', '/api/auth/login', { username: stack.adminUsername, password: stack.adminPassword })).token as string;
    for (const [key, username, name, role] of [
      ['operator', 'operator1', 'Ani Operator', 'operator'],
      ['sub1', 'subko1', 'Budi Subkoordinator', 'subkoordinator'],
      ['sub2', 'subko2', 'Wati Subkoordinator', 'subkoordinator'],
      ['kabid', 'kabid1', 'Citra Kabid', 'kabid'],
    ] as const) {
      await api(admin, 'POST', '/api/staff', { username, name, role, password: PASSWORD[key] });
      tokens[key] = (await api(null, 'POST', '/api/auth/login', { username, password: PASSWORD[key] })).token;
    }
    // Submitted one after another (registration numbers in order), taken to step 3 together.
    cases.push(...(await Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => {
      await new Promise((r) => setTimeout(r, i * 300));
      return caseAtPrintVerification(i);
    }))));
    // The sixth case is being handled by the other sub-coordinator.
    await api(tokens.sub2!, 'POST', `/api/claims/${cases[5]}`, {});
  }, 480_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.shutdown();
  });

  it('a sub-coordinator sees who handles what, filters by district, and verifies 5 prints in one bulk decision (1366×768)', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'subko1', PASSWORD.sub1);
    await tasksShow(page, cases);
    const claimed = page.locator(`#tasks tr[data-reg="${cases[5]}"]`);
    await expect.poll(() => claimed.textContent()).toContain('Sedang ditangani oleh Wati Subkoordinator');
    // Someone else's task cannot be selected for a bulk decision.
    expect(await claimed.locator('input.pick').count()).toBe(0);
    expect(await page.locator(`#tasks tr[data-reg="${cases[0]}"]`).textContent()).toContain('Siti Rahayu');
    await shot(page, 'tasks-subko-list-1366');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Kecamatan').selectOption('Godong');
    await expect.poll(() => page.locator('#tasks tbody tr').count()).toBe(1);
    expect(await page.locator('#tasks tbody tr').getAttribute('data-reg')).toBe(cases[1]);
    await page.getByLabel('Kecamatan').selectOption('');
    await expect.poll(() => page.locator('#tasks tbody tr').count()).toBeGreaterThanOrEqual(6);

    // Claim one, then release it: the list says so.
    const first = page.locator(`#tasks tr[data-reg="${cases[0]}"]`);
    await first.getByRole('button', { name: `Tangani ${cases[0]}` }).click();
    await expect.poll(() => first.textContent()).toContain('Sedang Anda tangani');
    await first.getByRole('button', { name: `Lepaskan ${cases[0]}` }).click();
    await expect.poll(() => first.textContent()).toContain('Belum ditangani');

    await page.getByLabel(/^Pilih semua/).check();
    const button = page.locator('#bulk-verify-print');
    await expect.poll(() => button.textContent()).toBe('Setujui verifikasi cetak (5)');
    await button.click();
    const dialog = page.locator('dialog.decision-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('Verifikasi cetak: 5 permohonan sekaligus');
    for (const r of cases.slice(0, 5)) expect(await dialog.textContent()).toContain(r);
    await shot(page, 'tasks-subko-confirm-1366');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Setujui verifikasi cetak' }).click();
    await page.locator('#bulk-results-table').waitFor({ timeout: 60_000 });
    expect(await page.locator('#bulk-results .notice').textContent()).toBe('Hasil keputusan: 5 berhasil.');
    expect(await page.locator('#bulk-results-table tr[data-outcome="done"]').count()).toBe(5);
    await shot(page, 'tasks-subko-results-1366');
    expect(await axeViolations(page)).toEqual([]);
    for (const r of cases.slice(0, 5)) await atStep(r, 'APPROVAL');
    expect(await stepOf(cases[5]!)).toBe('PRINT_VERIFICATION');
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('a kabid on a phone approves 5 cases in one bulk decision after the TTE preview; a wrong passphrase signs nothing (390×844)', async () => {
    const page = await newPage(PHONE);
    await login(page, 'kabid1', PASSWORD.kabid);
    const five = cases.slice(0, 5);
    await tasksShow(page, five);
    await shot(page, 'tasks-kabid-list-390', true);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/^Pilih semua/).check();
    const button = page.locator('#bulk-approve');
    await expect.poll(() => button.textContent()).toBe('Setujui dan tandatangani (TTE) (5)');
    await button.click();
    const dialog = page.locator('dialog.decision-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('.statement').count(), { timeout: 20_000 }).toBe(5);
    expect(await dialog.locator('.statement').first().textContent()).toMatch(/^Saya, Citra Kabid \(Kepala Bidang\), menyetujui pencetakan KTP-el atas nama .+, nomor registrasi BP-/);
    await shot(page, 'tasks-kabid-confirm-390');
    expect(await axeViolations(page)).toEqual([]);

    expectedHttpErrors = [400];
    await dialog.getByLabel('Frasa sandi TTE').fill('kata-sandi-yang-salah');
    await dialog.getByRole('button', { name: 'Setujui dan tandatangani (TTE)' }).click();
    await expect.poll(() => dialog.locator('.field[data-path="passphrase"] .field-error').textContent(), { timeout: 20_000 }).toContain('Frasa sandi salah. Tidak ada yang ditandatangani');
    await shot(page, 'tasks-kabid-wrong-passphrase-390');
    for (const r of five) expect(await stepOf(r)).toBe('APPROVAL');

    await dialog.getByLabel('Frasa sandi TTE').fill(PASSWORD.kabid);
    await dialog.getByRole('button', { name: 'Setujui dan tandatangani (TTE)' }).click();
    await page.locator('#bulk-results-table').waitFor({ timeout: 60_000 });
    expect(await page.locator('#bulk-results .notice').textContent()).toBe('Hasil keputusan: 5 berhasil.');
    expect(await page.locator('#bulk-results-table tr[data-outcome="done"]').count()).toBe(5);
    expect(await page.locator('#bulk-results-table').textContent()).toContain('Disetujui; sekarang di tahap 5. Pencetakan');
    await shot(page, 'tasks-kabid-results-390', true);
    expect(await axeViolations(page)).toEqual([]);
    for (const r of five) await atStep(r, 'PRINTING');
    const signed = await stack.db.selectFrom('signatures').select('signer_username').where('registration_number', 'in', five).execute();
    expect(signed.map((s) => s.signer_username)).toEqual(Array(5).fill('kabid1'));
    expectedHttpErrors = [];
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("the kabid's single approval on the case page asks the passphrase with the preview of what is signed (1366×768)", async () => {
    await api(tokens.sub2!, 'POST', `/api/applications/${cases[5]}/actions/verify-print`, { decision: 'approve' });
    await atStep(cases[5]!, 'APPROVAL');
    const page = await newPage(DESKTOP);
    await login(page, 'kabid1', PASSWORD.kabid);
    await page.goto(`${stack.baseUrl}/#/kasus/${cases[5]}`);
    const form = page.locator('form.action-form[data-action="approve"]');
    await form.waitFor();
    // The passphrase is not a field of the form: the signing dialog asks it.
    expect(await form.getByLabel('Frasa sandi TTE').count()).toBe(0);
    await form.getByLabel('Setujui').check();
    await form.getByRole('button', { name: 'Simpan' }).click();
    const dialog = page.locator('dialog.decision-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('.statement').textContent(), { timeout: 20_000 }).toContain(`atas nama Gilang Ramadhan, nomor registrasi ${cases[5]}`);
    await shot(page, 'tasks-kabid-single-confirm-1366');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByLabel('Frasa sandi TTE').fill(PASSWORD.kabid);
    await dialog.getByRole('button', { name: 'Setujui dan tandatangani (TTE)' }).click();
    await expect.poll(() => page.locator('#case-step').getAttribute('data-step'), { timeout: 30_000 }).toBe('PRINTING');
    expect(await page.locator('.notice.ok').first().textContent()).toContain('tersimpan');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

/** The JSON API of the stack under test (Bearer token or none). */
function api(token: string | null, method: string, url: string, body?: unknown): Promise<any> {
  return callApi(stack.baseUrl, token, method, url, body);
}

/** axe-core with the rule set this file has always checked. */
function axeViolations(page: Page): Promise<string[]> {
  return runAxe(page, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
}
