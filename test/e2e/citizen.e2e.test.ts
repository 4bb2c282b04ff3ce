/**
 * The citizen on a phone (Chromium at 390×844): a first-time KIA for an 8-year-old with
 * camera-size photos succeeds on the first submit; the same form filled wrong shows every error
 * at once without sending anything; the proof PDF downloads; /lacak reads in plain words; an
 * unknown URL gets the Indonesian 404 page. Screenshots: test-results/e2e/citizen-*.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');
const PHONE = { width: 390, height: 844 };

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

function dateYearsAgo(years: number, extraDays = 30): string {
  const d = new Date(Date.now() + 7 * 3600_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - extraDays);
  return d.toISOString().slice(0, 10);
}
function nikFor(birth: string, n: number): string {
  const [y, m, d] = birth.split('-');
  return `331501${d}${m}${y.slice(2)}${String(n).padStart(4, '0')}`;
}

async function newPhonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `citizen-${name}.png`), fullPage: true });
}

/** A camera-like JPEG (4000×3000, noisy, ≈4 MB) encoded by Chromium's own canvas; cached on disk. */
async function cameraJpeg(page: Page, seed: number): Promise<Buffer> {
  const file = path.join(SHOTS, `camera-${seed}.jpg`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const b64 = await page.evaluate(async (s) => {
    const c = (globalThis as any).document.createElement('canvas');
    c.width = 4000;
    c.height = 3000;
    const ctx = c.getContext('2d');
    const g = ctx.createLinearGradient(0, 0, 4000, 3000);
    g.addColorStop(0, `hsl(${(s * 70) % 360},40%,70%)`);
    g.addColorStop(1, '#ffffff');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 4000, 3000);
    ctx.fillStyle = '#222';
    ctx.font = 'bold 160px sans-serif';
    for (let i = 0; i < 12; i++) ctx.fillText(`KARTU KELUARGA ${s} — baris ${i + 1}`, 120, 260 + i * 220);
    const img = ctx.getImageData(0, 0, 4000, 3000);
    let x = s * 2654435761;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) >>> 0;
      const n = (x >>> 24) - 128;
      img.data[i] += n >> 2;
      img.data[i + 1] += n >> 2;
      img.data[i + 2] += n >> 2;
    }
    ctx.putImageData(img, 0, 0);
    const blob: Blob = await new Promise((r) => c.toBlob((b: Blob) => r(b), 'image/jpeg', 0.9));
    const buf = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return btoa(bin);
  }, seed);
  const buf = Buffer.from(b64, 'base64');
  fs.writeFileSync(file, buf);
  return buf;
}

describe.skipIf(!hasChromium)('citizen pages on a phone', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { startTestStack } = await import('../helpers/stack.js');
    stack = await startTestStack();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.shutdown();
  });

  it('the wrong form shows every error at once, in plain words, and sends nothing', async () => {
    const page = await newPhonePage();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(r.url());
    });
    await page.goto(`${stack.baseUrl}/ajukan`);
    await page.locator('#application-form').waitFor();
    await page.getByLabel('NIK', { exact: true }).fill('33150112');
    await page.getByLabel('Tanggal lahir', { exact: true }).fill(dateYearsAgo(8));
    await page.getByLabel('Nomor HP / WhatsApp').fill('0292421000');
    await page.getByLabel('RT', { exact: true }).fill('1a');
    // Enter in a field does not send a half-filled form.
    await page.getByLabel('RT', { exact: true }).press('Enter');
    expect(await page.locator('.form-errors').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    const summary = page.locator('.form-errors');
    await summary.waitFor();
    const items = await summary.locator('li').allTextContents();
    const text = items.join('\n');
    // NIK, name, KK, reason, contact name, phone, address, RT, RW, village, district, consent, guardian: all at once.
    expect(items.length).toBeGreaterThanOrEqual(12);
    expect(text).toContain('NIK terdiri dari 16 angka');
    expect(text).toContain('Isi nomor HP/WhatsApp yang aktif');
    expect(text).toContain('Pilih alasan permohonan');
    expect(text).toContain('Pilih kecamatan');
    expect(text).not.toMatch(/YYYY|OLD_CARD|BIRTH_CERTIFICATE|\bKTP_EL\b|undefined|expected/);
    // The card type followed the birth date: an 8-year-old gets a KIA.
    expect(await page.locator('input[name="documentType"][value="KIA"]').isChecked()).toBe(true);
    expect(posts.filter((u) => u.includes('/api/applications'))).toEqual([]);
    await shot(page, '01-form-errors');
  });

  it('a first-time KIA for an 8-year-old with three camera photos succeeds on the first submit; the proof PDF downloads', async () => {
    const page = await newPhonePage();
    await page.goto(`${stack.baseUrl}/ajukan`);
    await page.locator('#application-form').waitFor();
    await shot(page, '02-form-empty');
    const birth = dateYearsAgo(8);
    const nik = nikFor(birth, 42);
    const photos = [await cameraJpeg(page, 1), await cameraJpeg(page, 2), await cameraJpeg(page, 3)];
    for (const p of photos) expect(p.length).toBeGreaterThan(2 * 1024 * 1024);

    await page.getByLabel('NIK', { exact: true }).fill(nik);
    await page.getByLabel('Nama lengkap', { exact: true }).fill('Bima Pratama');
    await page.getByLabel('Tanggal lahir', { exact: true }).fill(birth);
    await page.getByLabel('Nomor Kartu Keluarga (KK)').fill('3315012301150003');
    await page.getByLabel('Alasan', { exact: true }).selectOption('NEW');
    // Only the slots this form needs, after the requirements.
    const slots = page.locator('#upload-slots .field');
    await expect.poll(() => slots.count()).toBe(4); // three required + one optional
    expect(await page.locator('#requirements li').allTextContents()).toEqual([
      expect.stringContaining('Kartu Keluarga'),
      expect.stringContaining('Akta kelahiran'),
      expect.stringContaining('Pasfoto'),
    ]);
    const inputs = page.locator('#upload-slots input[type=file]');
    expect(await inputs.nth(3).getAttribute('name')).toBe('attachments.OTHER');
    for (let i = 0; i < 3; i++) await inputs.nth(i).setInputFiles({ name: `IMG_2026120${i}.jpg`, mimeType: 'image/jpeg', buffer: photos[i] });
    await expect.poll(() => page.locator('.upload-status', { hasText: 'Siap dikirim' }).count(), { timeout: 60_000 }).toBe(3);
    await page.getByLabel('Nama yang dapat dihubungi').fill('Rina Pratama');
    await page.getByLabel('Nomor HP / WhatsApp').fill('081234567890');
    await page.getByLabel('Alamat (jalan, dusun, nomor rumah)').fill('Jl. Kenanga No. 7');
    await page.getByLabel('RT', { exact: true }).fill('001');
    await page.getByLabel('RW', { exact: true }).fill('004');
    await page.getByLabel('Desa / kelurahan').fill('Kuripan');
    await page.getByLabel('Kecamatan', { exact: true }).selectOption('Purwodadi');
    await page.getByLabel('Saya sudah membaca').check();
    await page.getByLabel('Saya orang tua atau wali').check();
    await shot(page, '03-form-filled');
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/applications') && r.request().method() === 'POST') answers.push(r.status());
    });
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    const reg = page.locator('#registration-number');
    await reg.waitFor({ timeout: 60_000 });
    expect(answers).toEqual([201]);
    const regNo = (await reg.textContent())!.trim();
    expect(regNo).toMatch(/^BP-\d{8}-\d{5}$/);
    // Every stored attachment is under the limit (compressed in the browser).
    const atts = await stack.db.selectFrom('attachments').selectAll().where('registration_number', '=', regNo).execute();
    expect(atts.map((a) => a.kind).sort()).toEqual(['BIRTH_CERTIFICATE', 'KK', 'PHOTO']);
    for (const a of atts) expect(Number(a.size_bytes)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(await page.locator('#expected-date').textContent()).toMatch(/^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}$/);
    expect(await page.locator('#office-contact').textContent()).toContain('Telepon');
    expect(await page.getByRole('button', { name: 'Salin nomor' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Bagikan ke WhatsApp' }).getAttribute('href')).toContain(encodeURIComponent(regNo));
    await shot(page, '04-success');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh bukti pendaftaran (PDF)' }).click()]);
    const file = path.join(SHOTS, 'bukti-pendaftaran.pdf');
    await download.saveAs(file);
    const pdfText = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('BUKTI PENDAFTARAN');
    expect(pdfText).toContain(regNo);
    expect(pdfText).toContain('Bima Pratama');
    expect(pdfText).not.toContain(nik);
    execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', file, path.join(SHOTS, 'citizen-05-proof')]);
    expect(pageErrors).toEqual([]);
  });

  it('/api/docs renders the API reference from this server only, including how to get a token', async () => {
    const page = await newPhonePage();
    await page.setViewportSize({ width: 1280, height: 900 });
    // Anything fetched from elsewhere (a request the CSP blocks fails and does not count).
    const foreign: string[] = [];
    page.on('requestfinished', (r) => {
      if (!r.url().startsWith(stack.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    await page.goto(`${stack.baseUrl}/api/docs`);
    await page.getByText('Mendapatkan token petugas').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('/api/auth/login').count()).toBeGreaterThan(0);
    await shot(page, '07-api-docs');
    expect(foreign).toEqual([]);
  });

  it('a direct visit to an unknown URL gets the Indonesian 404 page', async () => {
    const page = await newPhonePage();
    const res = await page.goto(`${stack.baseUrl}/halaman-yang-tidak-ada`);
    expect(res?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Halaman tidak ditemukan');
    await shot(page, '06-404');
  });
});
