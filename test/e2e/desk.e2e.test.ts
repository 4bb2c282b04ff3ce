/**
 * The verification desk in Chromium (issue 14, item 1): an operator verifies a KIA whose birth
 * certificate is a two-page PDF in the viewer (zoom, rotate, page through), rejects it with a
 * standard reason plus free text, sees the citizen's resubmission (note, earlier rejected file),
 * approves it with the keyboard and "Simpan & berikutnya" opens the next task. Desktop 1366×768
 * and phone 390×844 screenshots under test-results/e2e/desk-*.png; axe-core finds no violations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack.js';
import { makePdf, makePng, nikFor } from './desk-files.js';
import { REJECTION_REASONS } from '../../domain/verification.js';
import { axeViolations, callApi as stackApi } from './browser-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');
const PASSWORD = 'Kunci-Lumbung-Padi-2026';

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

async function login(page: Page, username: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

async function openFromTasks(page: Page, reg: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/#/tugas`);
  await expect.poll(async () => {
    await page.getByRole('button', { name: 'Muat ulang' }).click();
    return page.locator(`#tasks tr[data-reg="${reg}"]`).count();
  }, { timeout: 60_000, interval: 500 }).toBe(1);
  await page.locator(`#tasks tr[data-reg="${reg}"] a`).click();
  await page.locator('.desk').waitFor({ timeout: 30_000 });
}

/** axe-core on the page as it is (injected through the debugger protocol, so the CSP stays strict). */
/** The canvas shows this file, page and rotation (set by the viewer once drawn). */
async function rendered(page: Page): Promise<string | null> {
  return page.locator('#viewer-canvas').getAttribute('data-rendered');
}

async function applyKia(nik: string, birth: string, name: string): Promise<string> {
  const res = await callApi(null, 'POST', '/api/applications', {
    documentType: 'KIA',
    reason: 'NEW',
    subject: { nik, name, birthDate: birth, married: false, kkNumber: '3315012301150003' },
    contact: { name: 'Sri Lestari', phone: '081234567891' },
    delivery: { address: 'Jl. Kenanga No. 7', rt: '001', rw: '004', village: 'Kuripan', district: 'Purwodadi' },
    attachments: [
      { kind: 'KK', fileName: 'kk.png', contentType: 'image/png', contentBase64: makePng(900, 600).toString('base64') },
      { kind: 'BIRTH_CERTIFICATE', fileName: 'akta.pdf', contentType: 'application/pdf', contentBase64: makePdf(['AKTA KELAHIRAN', 'Lanjutan akta']).toString('base64') },
      { kind: 'PHOTO', fileName: 'foto.png', contentType: 'image/png', contentBase64: makePng(300, 400, [200, 215, 235]).toString('base64') },
    ],
    privacyConsent: true,
    guardianDeclaration: true,
  });
  return res.registrationNumber as string;
}

describe.skipIf(!hasChromium)('verification desk in Chromium', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { startTestStack } = await import('../helpers/stack.js');
    stack = await startTestStack();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const admin = await callApi(null, 'POST', '/api/auth/login', { username: stack.adminUsername, password: stack.adminPassword });
    await callApi(admin.token, 'POST', '/api/staff', { username: 'operator1', name: 'Ani Operator', role: 'operator', password: PASSWORD });
  }, 420_000);

  afterEach(async (t) => {
    // On failure, what each open page showed.
    if (t.task.result?.state !== 'fail') return;
    let i = 0;
    for (const c of contexts) for (const p of c.pages()) await shot(p, `desk-failure-${i++}`, true).catch(() => undefined);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.shutdown();
  });

  it('operator verifies a KIA with a PDF birth certificate in the viewer, rejects with a standard reason, approves the resubmission and goes to the next task', async () => {
    const birth = '2018-03-10';
    const nik = nikFor(birth, 7);
    const reg = await applyKia(nik, birth, 'Dinda Lestari');
    const nextReg = await applyKia(nikFor('2016-07-21', 8), '2016-07-21', 'Bima Saputra');

    const page = await newPage({ width: 1366, height: 768 });
    await login(page, 'operator1');
    await openFromTasks(page, reg);
    expect(await page.locator('#case-step').getAttribute('data-step')).toBe('DOCUMENT_VERIFICATION');

    // Evidence first: the viewer opens the KK; the checklist comes from the KIA rules (age 8: photo too).
    const kk = await page.locator('.file-pick[data-kind="KK"]').getAttribute('data-file');
    await expect.poll(() => rendered(page), { timeout: 20_000 }).toBe(`${kk}:1:0`);
    const items = await page.locator('.checklist li').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.item));
    expect(items).toEqual(['attachment:KK', 'attachment:BIRTH_CERTIFICATE', 'attachment:PHOTO', 'rule:nik-birth-date', 'rule:eligibility']);
    expect(await page.locator('.checklist li[data-item="rule:nik-birth-date"] .badge').textContent()).toBe('cocok');
    // The typed data sits beside the scan.
    expect(await page.locator('#desk-data').textContent()).toContain('Dinda Lestari');

    // The birth certificate: a two-page PDF drawn by pdf.js; page through, zoom, rotate.
    await page.locator('.checklist li[data-item="attachment:BIRTH_CERTIFICATE"] button', { hasText: 'lihat berkas' }).click();
    const akta = await page.locator('.file-pick[data-kind="BIRTH_CERTIFICATE"]').getAttribute('data-file');
    await expect.poll(() => rendered(page), { timeout: 30_000 }).toBe(`${akta}:1:0`);
    expect(await page.locator('#viewer-page').textContent()).toBe('1 / 2');
    // The page really has ink on it (pdf.js drew the text and the frame, not a blank canvas).
    const inked = await page.locator('#viewer-canvas').evaluate((c) => {
      const cv = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 100 && data[i + 1]! < 100) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(500);
    await page.locator('#viewer-next').click();
    await expect.poll(() => rendered(page)).toBe(`${akta}:2:0`);
    await page.locator('#viewer-stage').focus();
    await page.keyboard.press('PageUp');
    await expect.poll(() => rendered(page)).toBe(`${akta}:1:0`);
    await page.locator('#viewer-zoom-in').click();
    await page.locator('#viewer-zoom-in').click();
    // Panzoom zooms by a factor per step: two steps in is well above 100 %.
    await expect.poll(async () => parseInt((await page.locator('#viewer-zoom').textContent()) ?? '0', 10)).toBeGreaterThan(140);
    await page.keyboard.press('r');
    await expect.poll(() => rendered(page)).toBe(`${akta}:1:90`);
    await shot(page, 'desk-01-operator-viewer-pdf');
    await page.locator('#viewer-fit').click();
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await expect.poll(() => rendered(page)).toBe(`${akta}:1:0`);

    expect(await axeViolations(page)).toEqual([]);

    // Reject with a standard reason (T), plus the officer's own words.
    const std = REJECTION_REASONS.find((r) => r.code === 'BIRTH_CERT_UNREADABLE')!;
    await page.keyboard.press('t');
    const form = page.locator('form.action-form[data-action="verify-documents"]');
    expect(await form.getByLabel('Tolak').isChecked()).toBe(true);
    await form.getByLabel(std.label).check();
    const reasonBox = form.getByLabel(/^Alasan( \*)?$/);
    expect(await reasonBox.inputValue()).toBe(std.text);
    await reasonBox.press('Control+End');
    await reasonBox.pressSequentially(' Halaman kedua terpotong.');
    await shot(page, 'desk-02-operator-reject');
    await form.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.locator('#desk-saved, .notice.ok').first().waitFor({ timeout: 30_000 });

    // Stored with the decision: the codes and the text; the citizen reads the text in plain words.
    const input = await stack.db.selectFrom('action_inputs').select('body').where('registration_number', '=', reg).where('action', '=', 'verify-documents').executeTakeFirstOrThrow();
    expect(input.body).toMatchObject({ decision: 'reject', reasonCodes: ['BIRTH_CERT_UNREADABLE'], reason: `${std.text} Halaman kedua terpotong.` });
    await expect.poll(async () => (await callApi(null, 'POST', '/api/tracking', { registrationNumber: reg, nik })).status, { timeout: 30_000 }).toBe('AWAITING_RESUBMISSION');
    const tracking = await callApi(null, 'POST', '/api/tracking', { registrationNumber: reg, nik });
    expect(tracking.rejection.reason).toBe(`${std.text} Halaman kedua terpotong.`);

    // The citizen sends a new birth certificate with a note.
    const note = 'Akta sudah saya pindai ulang, dua halaman lengkap.';
    await callApi(null, 'POST', `/api/applications/${reg}/resubmission`, {
      nik,
      note,
      attachments: [{ kind: 'BIRTH_CERTIFICATE', fileName: 'akta-baru.pdf', contentType: 'application/pdf', contentBase64: makePdf(['AKTA KELAHIRAN (ulang)', 'Lanjutan akta']).toString('base64') }],
    });

    // Back on the desk: the note, the earlier reason, the old file marked, the new one shown.
    await openFromTasks(page, reg);
    await expect.poll(() => page.locator('#resubmission-note').textContent(), { timeout: 30_000 }).toBe(note);
    expect(await page.locator('#resubmission .rejected-before blockquote').textContent()).toContain('Halaman kedua terpotong.');
    expect(await page.locator('.file-pick[data-kind="BIRTH_CERTIFICATE"][data-current="false"] .file-tag').textContent()).toContain('ditolak');
    expect(await page.locator('.file-pick[data-kind="BIRTH_CERTIFICATE"][data-current="true"] .file-tag').textContent()).toContain('perbaikan ke-1');
    await page.locator('.file-pick[data-kind="BIRTH_CERTIFICATE"][data-current="true"]').click();
    const newAkta = await page.locator('.file-pick[data-kind="BIRTH_CERTIFICATE"][data-current="true"]').getAttribute('data-file');
    await expect.poll(() => rendered(page), { timeout: 30_000 }).toBe(`${newAkta}:1:0`);
    await shot(page, 'desk-03-operator-resubmission');
    await shot(page, 'desk-03-operator-resubmission-full', true);
    expect(await axeViolations(page)).toEqual([]);

    // Approve with the keyboard (S), then B = "Simpan & berikutnya": the next task opens.
    await page.locator('#viewer-stage').focus();
    await page.keyboard.press('s');
    expect(await form.getByLabel('Setujui').isChecked()).toBe(true);
    await page.locator('#viewer-stage').focus();
    await page.keyboard.press('b');
    await expect.poll(() => page.locator('h1 .mono').textContent(), { timeout: 30_000 }).toBe(nextReg);
    await page.locator('.desk').waitFor();
    expect(await page.locator('#desk-saved').textContent()).toContain(`${reg} disetujui`);
    const approved = await callApi(null, 'POST', '/api/tracking', { registrationNumber: reg, nik });
    expect(approved.currentStep).not.toBe('DOCUMENT_VERIFICATION');
    await expect.poll(() => rendered(page), { timeout: 20_000 }).toMatch(/:1:0$/);
    await shot(page, 'desk-04-operator-next-task');

    // The same desk on a phone: one column, nothing wider than the screen.
    const phone = await newPage({ width: 390, height: 844 });
    await login(phone, 'operator1');
    await phone.goto(`${stack.baseUrl}/#/kasus/${nextReg}`);
    await phone.locator('.desk').waitFor();
    await expect.poll(() => rendered(phone), { timeout: 20_000 }).toMatch(/:1:0$/);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone, 'desk-05-operator-phone');
    await shot(phone, 'desk-05-operator-phone-full', true);
    expect(await axeViolations(phone)).toEqual([]);

    expect(pageErrors).toEqual([]);
  }, 420_000);
});

/** The JSON API of the stack under test (Bearer token or none). */
function callApi(token: string | null, method: string, url: string, body?: unknown): Promise<any> {
  return stackApi(stack.baseUrl, token, method, url, body);
}
