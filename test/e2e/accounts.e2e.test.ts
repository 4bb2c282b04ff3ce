/**
 * The console's account screens in Debian's Chromium, over the API alone (no Temporal needed):
 * the admin edits a staff member's phone, resets a password (shown once), logs out for real (the
 * token is revoked on the server); the staff member meets the forced change screen, sees the
 * policy's reason for a weak password, and then reaches the console. No CSP or script error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from '../api/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');

const noTemporal = {
  workflow: {
    getHandle: () => {
      throw new Error('Temporal must not be called in this test');
    },
    start: () => {
      throw new Error('Temporal must not be called in this test');
    },
  },
} as unknown as Client;

let h: ApiHarness;
let browser: Browser;
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Answers the test provokes on purpose (a refused weak password) are logged by Chromium as errors.
    if (/status of 400/.test(msg.text())) return;
    pageErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${h.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

describe.skipIf(!hasChromium)('console: accounts', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    h = await startApiHarness({ temporal: noTemporal, login: false });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('admin: edit phone, reset a password shown once, real logout; staff: forced change with the policy’s reason, then the console', async () => {
    const admin = await newPage();
    await login(admin, 'admin1', 'password-admin');
    await admin.locator('#nav').getByRole('link', { name: 'Petugas' }).click();
    const row = admin.locator('#staff-list tr[data-username="operator1"]');
    await row.getByRole('button', { name: 'Ubah' }).click();
    await admin.locator('#staff-edit-form').getByLabel('Nomor HP').fill('0812 3456 7890');
    await admin.locator('#staff-edit-form').getByRole('button', { name: 'Simpan' }).click();
    await expect.poll(() => row.textContent()).toContain('+6281234567890');

    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    const temporary = (await admin.locator('#temporary-password').textContent())!.trim();
    expect(temporary).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    await expect.poll(() => row.textContent()).toContain('Wajib ganti kata sandi');
    await admin.screenshot({ path: path.join(SHOTS, 'accounts-staff-reset.png'), fullPage: true });

    // The session token lives in the HttpOnly cookie (not readable by the page's scripts).
    const adminToken = (await admin.context().cookies()).find((c) => c.name === 'becak_session')?.value ?? null;
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { token: adminToken! })).status).toBe(200);
    await admin.locator('#who').getByRole('button', { name: 'Keluar' }).click();
    await admin.getByRole('button', { name: 'Masuk' }).waitFor();
    // The token is revoked on the server, not merely forgotten by the browser.
    await expect.poll(async () => (await call(h.baseUrl, 'GET', '/api/auth/me', { token: adminToken! })).status).toBe(401);

    const staff = await newPage();
    await login(staff, 'operator1', temporary);
    await staff.getByRole('heading', { name: 'Buat kata sandi baru' }).waitFor();
    expect(await staff.locator('#nav a').count()).toBe(0);
    const form = staff.locator('#password-form');
    await form.getByLabel('Kata sandi sementara').fill(temporary);
    await form.locator('input[name="newPassword"]').fill('password123456');
    await form.getByLabel('Ulangi kata sandi baru').fill('password123456');
    await form.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    // The first strength check after a while starts the estimator's worker thread (infra/password-strength.ts).
    await expect.poll(() => form.locator('[data-path="newPassword"] .field-error').textContent(), { timeout: 15_000 }).toContain('terlalu umum');
    await staff.screenshot({ path: path.join(SHOTS, 'accounts-forced-change.png'), fullPage: true });

    await form.locator('input[name="newPassword"]').fill('Kabut-Gunung-Kemukus-37');
    await form.getByLabel('Ulangi kata sandi baru').fill('Kabut-Gunung-Kemukus-37');
    await form.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    await staff.locator('#nav').getByRole('link', { name: 'Tugas saya' }).waitFor();
    await staff.locator('#who').getByRole('link', { name: 'Ganti kata sandi' }).click();
    await staff.getByRole('heading', { name: 'Ganti kata sandi' }).waitFor();
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'operator1', password: 'Kabut-Gunung-Kemukus-37' } })).body.mustChangePassword).toBe(false);

    expect(pageErrors).toEqual([]);
  });
});
