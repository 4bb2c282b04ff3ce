/**
 * The console under the SPEC §9 policy, in Debian's Chromium, against the API alone (cases set up
 * in the database, no workflow): the courier's case card (recipient, phone, address, note — no
 * NIK, KK, birth date or attachments), the admin's view without personal data (no "undefined"),
 * the search box by name (POST search), the access-log page for kadis, and /lacak's "who opened
 * my data" list. Screenshots in test-results/e2e/access-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../api/harness.js';
import { insertTestCase } from '../helpers/cases.js';
import { LIST_DATE_TIME, holdAnswers } from './browser-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');

const STEP7 = 'BP-20261202-00071';
const STEP2 = 'BP-20261202-00072';
const NIK7 = '3315015509150071';
const NIK2 = '3315011505900072';

let h: ApiHarness;
let browser: Browser;
const pageErrors: string[] = [];

async function newPage(width = 1200): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function login(page: Page, role: string): Promise<void> {
  await page.goto(`${h.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(`${role}1`);
  await page.getByLabel('Kata sandi').fill(`password-${role}`);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

async function openCase(page: Page, reg: string): Promise<string> {
  await page.goto(`${h.baseUrl}/#/kasus/${reg}`);
  await page.locator('#case-step').waitFor();
  await page.locator('section[aria-label="Riwayat"]').waitFor();
  return (await page.locator('main').innerText()) ?? '';
}

describe.skipIf(!hasChromium)('the console under the access policy', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    h = await startApiHarness({ temporal: {} as Client });
    await insertTestCase(h.dbh.db, {
      registration_number: STEP7,
      subject_nik: NIK7,
      document_type: 'KIA',
      subject_name: 'Ánisa Rahayu',
      subject_birth_date: '2015-09-15',
      contact_name: 'Suparman Wibowo',
      contact_phone: '+6281234500071',
      address: 'Jl. Melati Gang 7',
      delivery_note: 'Pagar biru',
      current_step: 'HANDOVER',
      waiting_for: 'COURIER',
    });
    await insertTestCase(h.dbh.db, { registration_number: STEP2, subject_nik: NIK2, subject_name: 'Dewi Lestari' });
    const id = randomUUID();
    const stored = await h.files.put(`attachments/${STEP7}/${id}`, '%PDF-1.4\n% kk\n');
    await h.dbh.db
      .insertInto('attachments')
      .values({ id, registration_number: STEP7, kind: 'KK', file_name: 'kk-suparman.pdf', content_type: 'application/pdf', size_bytes: 14, sha256: stored.sha256, storage_path: stored.path, round: 0 })
      .execute();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("the courier's case card: recipient, phone, address and note; no NIK, KK, birth date, subject name or attachments", async () => {
    const page = await newPage(390);
    await login(page, 'ekspedisi');
    const text = await openCase(page, STEP7);
    await page.screenshot({ path: path.join(SHOTS, 'access-courier-case.png'), fullPage: true });
    for (const shown of ['Suparman Wibowo', '+6281234500071', 'Jl. Melati Gang 7', 'Pagar biru', 'Purwodadi']) expect(text).toContain(shown);
    for (const hidden of [NIK7, '3315010101200042', 'Ánisa', 'kk-suparman', 'Lampiran', 'undefined']) expect(text).not.toContain(hidden);
    await page.close();
  });

  it('admin: the case without personal data, said in words; no "undefined" or empty fields', async () => {
    const page = await newPage();
    await login(page, 'admin');
    const text = await openCase(page, STEP7);
    await page.screenshot({ path: path.join(SHOTS, 'access-admin-case.png'), fullPage: true });
    expect(await page.locator('#access-note').innerText()).toContain('tidak ditampilkan');
    expect(text).toContain('Purwodadi');
    for (const hidden of [NIK7, 'Suparman', 'Ánisa', 'Jl. Melati', 'undefined', 'NIK']) expect(text).not.toContain(hidden);
    await page.close();
  });

  it('the operator finds a case by name through the search box (accent-insensitive), and the kadis sees the reads in "Log akses", with a CSV download', async () => {
    const op = await newPage();
    await login(op, 'operator');
    // The page's first list (every case) answers late, after the search: the search's answer stays.
    const firstList = await holdAnswers(op, '**/api/applications?*');
    await op.goto(`${h.baseUrl}/#/cari`);
    await op.getByLabel('Cari').fill('anisa');
    await op.getByRole('button', { name: 'Cari' }).click();
    await op.locator(`a[href="#/kasus/${STEP7}"]`).waitFor();
    await firstList.release();
    expect(await op.locator('main table tbody tr').count()).toBe(1);
    expect(await op.locator('main table').innerText()).toContain('Ánisa Rahayu');
    await op.screenshot({ path: path.join(SHOTS, 'access-search-name.png'), fullPage: true });
    await op.close();

    const page = await newPage();
    await login(page, 'kadis');
    await page.locator('#nav').getByRole('link', { name: 'Log akses' }).click();
    await page.locator('#access-log table').waitFor();
    const log = await page.locator('#access-log').innerText();
    expect(log).toContain('operator1');
    expect(log).toContain('Pencarian');
    expect(log).toContain('ekspedisi1');
    await page.getByLabel('Nomor registrasi').fill(STEP7);
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect.poll(async () => (await page.locator('#access-log').innerText()).includes('admin1')).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'access-log-page.png'), fullPage: true });
    // A missing optional line once showed as the word "null" under the table.
    expect(await page.locator('#access-log').innerText()).not.toMatch(/\bnull\b/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Unduh CSV' }).click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain(`;${STEP7};`);
    await page.close();
  });

  it('/lacak tells the citizen in plain words which roles opened their data', async () => {
    const page = await newPage(390);
    await page.goto(`${h.baseUrl}/lacak?reg=${STEP7}`);
    await page.getByLabel('NIK', { exact: false }).first().fill(NIK7);
    await page.getByRole('button', { name: 'Lacak' }).click();
    await page.locator('#data-access').waitFor();
    const text = await page.locator('#data-access').innerText();
    await page.screenshot({ path: path.join(SHOTS, 'access-lacak.png'), fullPage: true });
    expect(text).toMatch(new RegExp(`Data Anda dibuka oleh Jasa Ekspedisi pada ${LIST_DATE_TIME.source} untuk pengantaran\\.`));
    expect(text).toContain('Data Anda dicari oleh Operator');
    expect(text).not.toContain('ekspedisi1');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
