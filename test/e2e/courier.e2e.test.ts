/**
 * The courier on a phone (Chromium at 390×844, touch), issue #14 item 4: "Rute hari ini" groups the
 * step-7 deliveries by kecamatan and desa; the card shows the recipient, address and note with
 * tel:/wa.me/Maps links (checked as hrefs); the courier picks the card up with one tap (own name),
 * opens the case (a page that fits the phone: no NIK, KK, SOP table or attachments), the recipient
 * draws a signature on the canvas (touch and mouse events), the courier hands over with a photo;
 * the case then shows the signature and the photo, and the receipt PDF (rendered with pdftoppm)
 * carries them. A failed delivery is recorded from the route. A page chosen while the route is still
 * loading is the one left on screen. axe finds no violations.
 * Screenshots in test-results/e2e/courier-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack.js';
import { axeViolations as runAxe, callApi, holdAnswers } from './browser-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] skipped: ${CHROMIUM} is missing`);
const SHOTS = path.resolve('test-results/e2e');
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Kunci-Lumbung-Padi-2026';

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];
const tokens: Record<string, string> = {};

/** A real w×h RGB PNG (a photo stand-in with a visible stripe). */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const crc32 = (buf: Buffer) => {
    let c = ~0;
    for (const byte of buf) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const stripe = Math.abs(x - y) < 6;
      raw.set(stripe ? [255, 255, 255] : rgb, o);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function nikFor(birth: string, n: number): string {
  const [y, m, d] = birth.split('-');
  return `331501${d}${m}${y!.slice(2)}${String(n).padStart(4, '0')}`;
}

async function waitUntil<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A case submitted by API and taken by the office to step 7 (waiting for the courier). */
async function caseAtHandover(n: number, delivery: Record<string, string>, contact: { name: string; phone: string }): Promise<{ reg: string; nik: string }> {
  const nik = nikFor('1988-04-12', n);
  const res = await api(null, 'POST', '/api/applications', {
    documentType: 'KTP_EL',
    reason: 'NEW',
    subject: { nik, name: 'Wahyu Nugroho', birthDate: '1988-04-12', married: true, kkNumber: '3315012301150077' },
    contact,
    delivery,
    attachments: [{ kind: 'KK', fileName: 'kk.png', contentType: 'image/png', contentBase64: png(40, 30, [30, 120, 200]).toString('base64') }],
    privacyConsent: true,
  });
  const reg: string = res.registrationNumber;
  const step = async (s: string, w?: string) =>
    waitUntil(`${reg} ${s}`, async () => {
      const d = await api(tokens.operator!, 'GET', `/api/applications/${reg}`);
      return d.currentStep === s && (!w || d.waitingFor === w);
    });
  await step('DOCUMENT_VERIFICATION', 'STAFF_ACTION');
  await api(tokens.operator!, 'POST', `/api/applications/${reg}/actions/verify-documents`, { decision: 'approve' });
  await api(tokens.subkoordinator!, 'POST', `/api/applications/${reg}/actions/verify-print`, { decision: 'approve' });
  await api(tokens.kabid!, 'POST', `/api/applications/${reg}/actions/approve`, { decision: 'approve' });
  await step('PRINTING', 'PRINT_CONFIRMATION');
  await api(tokens.operator!, 'POST', `/api/applications/${reg}/actions/confirm-print`, { result: 'ok' });
  await step('HANDOVER', 'COURIER');
  return { reg, nik };
}

async function newPhonePage(): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function login(page: Page): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  // One session serves every tab of the browser (HttpOnly cookie): a later page of the same
  // context opens logged in.
  const form = page.getByLabel('Nama pengguna');
  const keluar = page.locator('#who').getByRole('button', { name: 'Keluar' });
  await form.or(keluar).first().waitFor();
  if (await keluar.isVisible()) return;
  await form.fill('kurir1');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Draws a signature-like stroke on the canvas with touch events, then a second one with the mouse. */
async function drawSignature(page: Page, canvasSelector: string): Promise<void> {
  const canvas = page.locator(canvasSelector);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  // Touch: one finger stroke (pointer events from a touch screen, as signature_pad listens to).
  const cdp = await page.context().newCDPSession(page);
  const pts = Array.from({ length: 24 }, (_, i) => ({ x: box.x + 20 + i * 9, y: box.y + box.height / 2 + Math.sin(i / 2.5) * 35 }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: pts[0]!.x, y: pts[0]!.y }] });
  for (const p of pts.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: p.x, y: p.y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  // Mouse: an underline.
  await page.mouse.move(box.x + 40, box.y + box.height - 30);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 40 + i * 18, box.y + box.height - 30 - (i % 3) * 3);
  await page.mouse.up();
}

describe.skipIf(!hasChromium)('the courier on a phone', () => {
  let kuripan: { reg: string; nik: string };
  let danyang: { reg: string; nik: string };
  let toroh: { reg: string; nik: string };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { startTestStack } = await import('../helpers/stack.js');
    stack = await startTestStack();
    const admin = await api(null, 'POST', '/api/auth/login', { username: stack.adminUsername, password: stack.adminPassword });
    for (const [username, name, role] of [
      ['operator1', 'Ani Operator', 'operator'],
      ['subko1', 'Budi Subkoordinator', 'subkoordinator'],
      ['kabid1', 'Citra Kabid', 'kabid'],
      ['kurir1', 'Dedi Kurniawan', 'ekspedisi'],
    ] as const) {
      await api(admin.token, 'POST', '/api/staff', { username, name, role, password: PASSWORD });
      tokens[role] = (await api(null, 'POST', '/api/auth/login', { username, password: PASSWORD })).token;
    }
    await api(tokens.operator!, 'POST', '/api/blanks', { documentType: 'KTP_EL', quantity: 10, note: 'Stok uji' });
    kuripan = await caseAtHandover(11, { address: 'Jl. Gajah Mada No. 10', rt: '002', rw: '005', village: 'Kuripan', district: 'Purwodadi', note: 'Rumah cat hijau, sebelah masjid' }, { name: 'Sri Rahayu', phone: '081234567890' });
    danyang = await caseAtHandover(12, { address: 'Jl. Diponegoro 4', rt: '001', rw: '002', village: 'Danyang', district: 'Purwodadi' }, { name: 'Joko Susilo', phone: '085711112222' });
    toroh = await caseAtHandover(13, { address: 'Dusun Krajan', rt: '003', rw: '001', village: 'Depok', district: 'Toroh', note: 'Tanya warung depan' }, { name: 'Lestari Ayu', phone: '082233344455' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.shutdown();
  });

  it('finds the case on the route, checks the links, picks up, draws a signature and hands over; the receipt shows it', async () => {
    const page = await newPhonePage();
    await login(page);
    // The courier lands on the route.
    await page.locator('#route').waitFor();
    expect(await page.locator('#nav a[aria-current="page"]').innerText()).toBe('Rute hari ini');
    await shot(page, 'courier-01-route-phone');
    expect(await axeViolations(page)).toEqual([]);

    // Grouped: Kec. Purwodadi (Danyang, Kuripan), then Kec. Toroh.
    const districts = await page.locator('.route-district').evaluateAll((els) => els.map((e) => (e as any).dataset.district as string));
    expect(districts).toEqual(['Purwodadi', 'Toroh']);
    const villages = await page.locator('.route-district[data-district="Purwodadi"] h3').allInnerTexts();
    expect(villages).toEqual(['Desa Danyang', 'Desa Kuripan']);

    const card = page.locator(`article.stop[data-reg="${kuripan.reg}"]`);
    const cardText = await card.innerText();
    for (const shown of ['Sri Rahayu', 'Jl. Gajah Mada No. 10', 'RT 002 / RW 005', 'Rumah cat hijau, sebelah masjid', 'Belum diambil dari kantor']) expect(cardText).toContain(shown);
    expect(await card.locator('a[data-link="tel"]').getAttribute('href')).toBe('tel:+6281234567890');
    expect(await card.locator('a[data-link="whatsapp"]').getAttribute('href')).toBe('https://wa.me/6281234567890');
    const maps = (await card.locator('a[data-link="maps"]').getAttribute('href'))!;
    expect(maps.startsWith('https://www.google.com/maps/search/?api=1&query=')).toBe(true);
    expect(decodeURIComponent(maps.split('query=')[1]!)).toBe('Jl. Gajah Mada No. 10, RT 002 RW 005, Desa Kuripan, Kec. Purwodadi, Kabupaten Grobogan, Jawa Tengah');
    const routeText = await page.locator('main').innerText();
    for (const hidden of [kuripan.nik, danyang.nik, '3315012301150077', 'Wahyu Nugroho', 'undefined']) expect(routeText).not.toContain(hidden);

    // Pickup with one tap: the courier's own name.
    await card.getByRole('button', { name: 'Ambil dari kantor' }).click();
    await expect.poll(() => page.locator(`article.stop[data-reg="${kuripan.reg}"]`).innerText(), { timeout: 30_000 }).toContain('Sudah Anda ambil');
    const picked = await api(tokens.operator!, 'GET', `/api/applications/${kuripan.reg}`);
    const pickEvent = picked.timeline.find((e: { type: string }) => e.type === 'PICKED_UP');
    expect(pickEvent.personalText?.courierName ?? pickEvent.actor?.name).toBe('Dedi Kurniawan');

    // The case page: recipient and links first, no identity data, fits a phone without the SOP table.
    await page.locator(`article.stop[data-reg="${kuripan.reg}"]`).getByRole('link', { name: 'Serahkan' }).click();
    await page.locator('form.action-form[data-action="handover"] canvas').waitFor();
    expect(await page.locator('#pickup-state').innerText()).toContain('Sudah diambil oleh Dedi Kurniawan');
    expect(await page.locator('section[aria-label="Penerima"] a[data-link="tel"]').getAttribute('href')).toBe('tel:+6281234567890');
    const caseText = await page.locator('main').innerText();
    for (const hidden of [kuripan.nik, '3315012301150077', 'Tahapan SOP', 'Lampiran', 'NIK', 'No. KK', 'Tanggal lahir']) expect(caseText).not.toContain(hidden);
    expect(await page.locator('form.action-form[data-action="pickup"]').count()).toBe(0);
    await shot(page, 'courier-02-case-phone');
    expect(await axeViolations(page)).toEqual([]);
    const caseHeight = await page.evaluate(() => (globalThis as any).document.documentElement.scrollHeight as number);
    // Before: 7,115 px (review: 6,291). The handover form with the signature box is most of the page now.
    expect(caseHeight).toBeLessThan(2600);

    const form = page.locator('form.action-form[data-action="handover"]');
    await form.getByLabel('Nama penerima').fill('Sri Rahayu');
    await form.getByLabel('Yang bersangkutan').check();
    // Submitting without a signature is refused in the form, at the signature box.
    await form.getByRole('button', { name: 'Simpan' }).click();
    await expect.poll(() => form.locator('.field[data-path="signaturePng"] .field-error').innerText()).toContain('menandatangani');
    await drawSignature(page, 'form.action-form[data-action="handover"] canvas');
    const inked = await page.locator('form.action-form[data-action="handover"] canvas').evaluate((c: any) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(500);
    await form.locator('input[type=file]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png(320, 240, [200, 120, 40]) });
    await shot(page, 'courier-03-signature-phone');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('#receipt').waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.locator('#case-status').getAttribute('data-status')).toBe('COMPLETED');

    // The case shows the drawn signature and the photo (fetched with the token as data: URLs).
    await waitUntil('receipt PDF', async () => {
      await page.reload();
      await page.locator('#receipt').waitFor();
      return (await page.locator('#receipt-pdf').count()) > 0;
    });
    const sig = page.locator('#receipt figure[data-evidence="signature"] img');
    await expect.poll(() => sig.evaluate((img: any) => (img.complete ? (img.naturalWidth as number) : 0))).toBeGreaterThan(100);
    expect(await sig.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('#receipt figure[data-evidence="photo"] img').getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
    await shot(page, 'courier-04-done-phone');
    expect(await axeViolations(page)).toEqual([]);

    // The receipt PDF: the signature and the photo as images; rendered with pdftoppm to look at.
    const pdf = Buffer.from(await (await fetch(`${stack.baseUrl}/api/applications/${kuripan.reg}/documents/receipt`, { headers: { Authorization: `Bearer ${tokens.ekspedisi}` } })).arrayBuffer());
    const pdfPath = path.join(SHOTS, 'courier-receipt.pdf');
    fs.writeFileSync(pdfPath, pdf);
    const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2).filter((l) => /\bimage\b/.test(l));
    // QR, photo, signature (the emblem is vector).
    expect(images.length).toBeGreaterThanOrEqual(3);
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', pdfPath, path.join(SHOTS, 'courier-05-receipt')]);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const shown of ['TANDA TERIMA', 'Sri Rahayu', 'Dedi Kurniawan', 'Yang menerima', 'Foto serah terima']) expect(text).toContain(shown);

    // Back on the route: the delivered case is listed under "Sudah Anda kerjakan hari ini".
    await page.goto(`${stack.baseUrl}/#/rute`);
    await page.locator('#route-done').waitFor();
    expect(await page.locator('#route-done').innerText()).toContain(kuripan.reg);
    expect(await page.locator(`article.stop[data-reg="${kuripan.reg}"]`).count()).toBe(0);
    await page.close();
  }, 240_000);

  it('records a failed delivery from the route: the case moves to the next office day', async () => {
    const page = await newPhonePage();
    await login(page);
    await page.locator('#route').waitFor();
    const card = page.locator(`article.stop[data-reg="${toroh.reg}"]`);
    await card.locator('details.stop-failed > summary').click();
    const form = card.locator('form.action-form[data-action="delivery-failed"]');
    await form.waitFor();
    await form.getByLabel('Alasan gagal antar').selectOption('NOT_HOME').catch(async () => form.getByLabel(/tidak ada orang/i).check());
    await form.getByLabel('Catatan').fill('Rumah kosong, tetangga bilang ke sawah');
    await shot(page, 'courier-06-failed-phone');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('#route-later').waitFor({ timeout: 30_000 });
    expect(await page.locator('#route-later').innerText()).toContain(toroh.reg);
    expect(await page.locator(`article.stop[data-reg="${toroh.reg}"]`).count()).toBe(0);
    await shot(page, 'courier-07-route-after-phone');
    expect(await axeViolations(page)).toEqual([]);
    // The same route on an office desktop.
    await page.setViewportSize({ width: 1366, height: 768 });
    await shot(page, 'courier-08-route-desktop');
    await page.close();
    expect(danyang.reg).toMatch(/^BP-/);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a page chosen while the route is still loading stays on screen: the route answering late does not replace "Tugas saya"', async () => {
    const page = await newPhonePage();
    await login(page);
    await page.locator('#route').waitFor();
    await page.goto(`${stack.baseUrl}/#/cari`);
    await page.locator('#nav a[aria-current="page"]', { hasText: 'Permohonan' }).waitFor();
    // The route's answer is held back (a slow phone network); meanwhile the courier taps "Tugas saya".
    const route = await holdAnswers(page, '**/api/courier/route');
    await page.goto(`${stack.baseUrl}/#/rute`);
    await page.goto(`${stack.baseUrl}/#/tugas`);
    await route.release();
    await page.locator('#tasks').waitFor();
    expect(await page.locator('#route').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/tugas');
    expect(await page.locator('#nav a[aria-current="page"]').innerText()).toBe('Tugas saya');
    await page.close();
  }, 60_000);
});

/** The JSON API of the stack under test (Bearer token or none). */
function api(token: string | null, method: string, url: string, body?: unknown): Promise<any> {
  return callApi(stack.baseUrl, token, method, url, body);
}

/** axe-core with the rule set this file has always checked. */
function axeViolations(page: Page): Promise<string[]> {
  return runAxe(page, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
}
