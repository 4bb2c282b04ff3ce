/**
 * End to end in Debian's Chromium: a citizen applies on /ajukan, staff act in the console
 * (operator, sub-coordinator, head of division, operator again, courier at phone width), the
 * citizen tracks the case to "Selesai" and checks the signature. Also: a rejection reaches the
 * citizen with its reason; the applicant cancels on /lacak; a role never sees another role's
 * actions; no page logs an error.
 * Screenshots of each screen go to test-results/e2e/*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from '../helpers/stack.js';
import { callApi } from './browser-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const SHOTS = path.resolve('test-results/e2e');
const PASSWORD = 'rahasia-petugas-123';

// ---------------------------------------------------------------- small generated files

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real w×h RGB PNG filled with one colour and a diagonal stripe (so a preview is visible). */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const stripe = Math.abs(x - y) < 3;
      raw[o] = stripe ? 255 : rgb[0];
      raw[o + 1] = stripe ? 255 : rgb[1];
      raw[o + 2] = stripe ? 255 : rgb[2];
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}
function pdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 40 100 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A valid NIK for a man born on `birth` (YYYY-MM-DD) in Purwodadi, Grobogan, with serial `n`. */
function nikFor(birth: string, n: number): string {
  const [y, m, d] = birth.split('-');
  return `331501${d}${m}${y.slice(2)}${String(n).padStart(4, '0')}`;
}

// ---------------------------------------------------------------- harness

/** A label matched whole, with or without the required-field mark (" *"). */
function exactLabel(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Console errors and page errors of every page, checked after each scenario. */
const pageErrors: string[] = [];
/** Network errors the test provokes on purpose (validation answers), by status. */
let expectedHttpErrors: number[] = [];

function staffApi(token: string | null, method: string, url: string, body?: unknown): Promise<any> {
  return callApi(stack.baseUrl, token, method, url, body);
}

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
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

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

/** Opens a case from "Tugas saya" (proving it is in the caller's queue) and waits for its detail. */
async function openFromTasks(page: Page, reg: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/#/tugas`);
  // The read model may trail the workflow by a moment: reload until the case is in the queue.
  await expect.poll(async () => {
    await page.getByRole('button', { name: 'Muat ulang' }).click();
    return page.locator(`#tasks tr[data-reg="${reg}"]`).count();
  }, { timeout: 30_000, interval: 500 }).toBe(1);
  await page.locator(`#tasks tr[data-reg="${reg}"] a`).click();
  await page.locator('#case-step').waitFor();
}

/** Waits until the case detail (reloaded) shows `step`, and optionally a waiting reason text. */
async function waitForCase(page: Page, reg: string, step: string, text?: string): Promise<void> {
  await expect.poll(async () => {
    await page.goto(`${stack.baseUrl}/#/kasus/${reg}`);
    await page.reload();
    await page.locator('#case-step').waitFor();
    const atStep = (await page.locator('#case-step').getAttribute('data-step')) === step;
    return atStep && (!text || (await page.getByText(text).count()) > 0);
  }, { timeout: 60_000, interval: 1000 }).toBe(true);
}

async function submitAction(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, nextStep: string | RegExp): Promise<void> {
  const form = page.locator(`form.action-form[data-action="${action}"]`);
  await fill(form);
  await form.getByRole('button', { name: 'Simpan' }).click();
  await expect.poll(() => page.locator('#case-step').getAttribute('data-step'), { timeout: 30_000 }).toMatch(nextStep);
  expect(await page.locator('.notice.ok').first().textContent()).toContain('tersimpan');
}

/** Submits an application straight to the API (for scenarios that start later in the SOP). */
async function applyByApi(nik: string, birthDate: string): Promise<string> {
  const res = await staffApi(null, 'POST', '/api/applications', {
    documentType: 'KTP_EL',
    reason: 'NEW',
    subject: { nik, name: 'Siti Rahayu', birthDate, married: false, kkNumber: '3315012301150003' },
    contact: { name: 'Siti Rahayu', phone: '081234567891' },
    delivery: { address: 'Jl. Kenanga No. 7', rt: '001', rw: '004', village: 'Kuripan', district: 'Purwodadi' },
    attachments: [{ kind: 'KK', fileName: 'kk.png', contentType: 'image/png', contentBase64: png(40, 30, [30, 120, 200]).toString('base64') }],
    privacyConsent: true,
  });
  return res.registrationNumber as string;
}

describe.skipIf(!hasChromium)('web console in Chromium', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { startTestStack } = await import('../helpers/stack.js');
    stack = await startTestStack();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const admin = await staffApi(null, 'POST', '/api/auth/login', { username: stack.adminUsername, password: stack.adminPassword });
    for (const [username, name, role] of [
      ['operator1', 'Ani Operator', 'operator'],
      ['subko1', 'Budi Subkoordinator', 'subkoordinator'],
      ['kabid1', 'Citra Kabid', 'kabid'],
      ['kurir1', 'Dedi Kurir', 'ekspedisi'],
    ]) {
      await staffApi(admin.token, 'POST', '/api/staff', { username, name, role, password: PASSWORD });
    }
    await staffApi(admin.token, 'POST', '/api/blanks', { documentType: 'KTP_EL', quantity: 10, note: 'stok awal uji' });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.shutdown();
  });

  it('takes a case from /ajukan through every staff step to "Selesai" on /lacak and a valid signature on /verifikasi', async () => {
    pageErrors.length = 0;
    const birth = '1990-05-12';
    const nik = nikFor(birth, 1);

    // Citizen applies, with a PNG and a PDF attachment.
    const citizen = await newPage({ width: 390, height: 844 });
    await citizen.goto(`${stack.baseUrl}/ajukan`);
    await citizen.getByLabel('NIK', { exact: true }).fill(nik);
    await citizen.getByLabel('Nama lengkap', { exact: true }).fill('Rudi Hartono');
    await citizen.getByLabel('Tanggal lahir', { exact: true }).fill(birth);
    // The card type follows the birth date (36 years: KTP-el).
    expect(await citizen.locator('input[name="documentType"][value="KTP_EL"]').isChecked()).toBe(true);
    await citizen.getByLabel('Nomor Kartu Keluarga (KK)').fill('3315012301150003');
    await citizen.getByLabel('Alasan', { exact: true }).selectOption('NEW');
    await citizen.getByLabel('Nama yang dapat dihubungi').fill('Rudi Hartono');
    await citizen.getByLabel('Nomor HP / WhatsApp').fill('081234567890');
    await citizen.getByLabel('Alamat (jalan, dusun, nomor rumah)').fill('Jl. Melati No. 5, Dusun Krajan');
    await citizen.getByLabel(exactLabel('RT')).fill('002');
    await citizen.getByLabel(exactLabel('RW')).fill('003');
    await citizen.getByLabel('Desa / kelurahan').fill('Kuripan');
    await citizen.getByLabel('Kecamatan', { exact: true }).selectOption('Purwodadi');
    await citizen.locator('input[name="attachments.KK"]').setInputFiles({ name: 'kk.png', mimeType: 'image/png', buffer: png(120, 80, [20, 140, 60]) });
    await citizen.locator('input[name="attachments.OTHER"]').setInputFiles({ name: 'surat.pdf', mimeType: 'application/pdf', buffer: pdf('Surat pendukung') });
    await citizen.getByLabel('Saya sudah membaca').check();
    await expect.poll(() => citizen.locator('.upload-status', { hasText: 'Siap dikirim' }).count()).toBe(2);
    await shot(citizen, '01-ajukan-form');
    // The privacy notice is shown before the consent checkbox (SPEC §9).
    await expect.poll(() => citizen.locator('#privacy-notice').textContent()).toContain('Pejabat pelindungan data');
    await citizen.getByRole('button', { name: 'Kirim permohonan' }).click();
    const regText = (await citizen.locator('#registration-number').textContent({ timeout: 30_000 }))!.trim();
    expect(regText).toMatch(/^BP-\d{8}-\d{5}$/);
    const reg = regText;
    await shot(citizen, '02-ajukan-success');

    // Operator verifies the documents: the PNG is previewed inline, the PDF is a link.
    const operator = await newPage();
    await login(operator, 'operator1');
    await shot(operator, '03-operator-tasks');
    await openFromTasks(operator, reg);
    await expect.poll(() => operator.locator('figure[data-kind="KK"] img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await operator.locator('figure[data-kind="OTHER"] a').textContent()).toContain('Buka PDF');
    expect(await operator.locator('form.action-form').evaluateAll((fs) => fs.map((f) => (f as unknown as { dataset: Record<string, string> }).dataset.action))).toEqual(['verify-documents']);
    await shot(operator, '04-operator-case');
    await submitAction(operator, 'verify-documents', (f) => f.getByLabel('Setujui').check(), 'PRINT_VERIFICATION');

    // Sub-coordinator: print verification.
    const subko = await newPage();
    await login(subko, 'subko1');
    await openFromTasks(subko, reg);
    await submitAction(subko, 'verify-print', (f) => f.getByLabel('Setujui').check(), 'APPROVAL');

    // Head of division: approval with the electronic signature.
    const kabid = await newPage();
    await login(kabid, 'kabid1');
    await openFromTasks(kabid, reg);
    await shot(kabid, '05-kabid-case');
    const approve = kabid.locator('form.action-form[data-action="approve"]');
    await approve.getByLabel('Setujui').check();
    await approve.getByRole('button', { name: 'Simpan' }).click();
    // The TTE asks the account password again (signing passphrase) after a preview of what is signed.
    const signing = kabid.locator('dialog.decision-dialog');
    await signing.getByLabel('Frasa sandi TTE').fill(PASSWORD);
    await signing.getByRole('button', { name: 'Setujui dan tandatangani (TTE)' }).click();
    await expect.poll(() => kabid.locator('#case-step').getAttribute('data-step'), { timeout: 30_000 }).toBe('PRINTING');

    // The worker prints; the operator confirms the physical result.
    await waitForCase(operator, reg, 'PRINTING', 'Menunggu konfirmasi hasil cetak');
    await shot(operator, '06-operator-confirm-print');
    // The courier notice is a short automatic step: the case may already be at the handover.
    await submitAction(operator, 'confirm-print', (f) => f.getByLabel('Tercetak baik').check(), /^(COURIER_NOTICE|HANDOVER)$/);
    // Step 6 is automatic: the courier-group message (retried while the gateway is slow, as on a
    // loaded CI machine), then the handover. The courier's queue shows the case from then on.
    await waitForCase(operator, reg, 'HANDOVER');

    // Courier on a phone: records the handover with a camera photo.
    const courier = await newPage({ width: 390, height: 844 });
    await login(courier, 'kurir1');
    await openFromTasks(courier, reg);
    await shot(courier, '07-courier-case-phone');
    const handover = courier.locator('form.action-form[data-action="handover"]');
    expect(await handover.locator('input[type=file]').getAttribute('capture')).toBe('environment');
    await handover.getByLabel('Nama penerima').fill('Rudi Hartono');
    await handover.getByLabel('Yang bersangkutan').check();
    await handover.locator('input[type=file]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png(64, 48, [200, 120, 40]) });
    // The recipient signs on the screen (signature_pad canvas; issue #14 item 4).
    // Mouse events go to viewport coordinates: the pad must be on screen (below the pickup form on a phone).
    await handover.locator('canvas').scrollIntoViewIfNeeded();
    const pad = (await handover.locator('canvas').boundingBox())!;
    await courier.mouse.move(pad.x + 30, pad.y + 90);
    await courier.mouse.down();
    for (let i = 1; i <= 15; i++) await courier.mouse.move(pad.x + 30 + i * 16, pad.y + 90 + (i % 4) * 12 - 18);
    await courier.mouse.up();
    await handover.getByRole('button', { name: 'Simpan' }).click();
    await courier.locator('.notice.ok').first().waitFor({ timeout: 30_000 });
    await waitForCase(courier, reg, 'DONE');
    await shot(courier, '08-courier-done-phone');

    // Citizen tracks: "Selesai" with the receipt, then checks the signature.
    await citizen.goto(`${stack.baseUrl}/lacak?reg=${reg}`);
    await citizen.getByLabel('NIK pemilik dokumen').fill(nik);
    await citizen.getByRole('button', { name: 'Lacak' }).click();
    await expect.poll(() => citizen.locator('#tracking-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('COMPLETED');
    expect(await citizen.locator('#tracking-status').textContent()).toContain('Selesai');
    expect(await citizen.locator('#receipt').textContent()).toMatch(/Nomor tanda terima/);
    expect(await citizen.locator('ol.steps-plain li[data-state="done"]').count()).toBeGreaterThanOrEqual(7);
    // Plain words beside the office's titles, no jargon as the main line.
    expect(await citizen.locator('ol.steps-plain li[data-step="COURIER_NOTICE"] .title').textContent()).toContain('Kurir diberi tahu');
    expect(await citizen.locator('ol.steps-plain li[data-step="PRINT_VERIFICATION"] .title').textContent()).not.toContain('SIAK');
    await shot(citizen, '09-lacak-selesai');
    await citizen.getByRole('link', { name: 'Periksa keabsahan tanda tangan elektronik' }).click();
    await citizen.waitForURL(`**/verifikasi/${reg}`);
    expect(await citizen.locator('#verify-verdict').textContent({ timeout: 15_000 })).toContain('SAH');
    expect(await citizen.locator('[data-valid]').getAttribute('data-valid')).toBe('true');
    expect(await citizen.locator('#verify-result').textContent()).toContain('Citra Kabid');
    await shot(citizen, '10-verifikasi');

    // Supervisor's dashboard with the SLA chart; operator's blank stock.
    await kabid.goto(`${stack.baseUrl}/#/dasbor`);
    await kabid.locator('#sla-chart svg').waitFor({ timeout: 15_000 });
    await shot(kabid, '11-dashboard');
    await operator.goto(`${stack.baseUrl}/#/blangko`);
    await operator.locator('#blank-stock tr[data-type="KTP_EL"]').waitFor();
    expect(await operator.locator('#blank-stock tr[data-type="KTP_EL"]').textContent()).toContain('9');
    await shot(operator, '12-blangko');

    expect(pageErrors).toEqual([]);
  });

  it('shows a rejection with its reason on /lacak, after the reason is required at the field', async () => {
    pageErrors.length = 0;
    const birth = '1985-11-03';
    const nik = nikFor(birth, 2);
    const reg = await applyByApi(nik, birth);

    const operator = await newPage();
    await login(operator, 'operator1');
    await openFromTasks(operator, reg);
    const form = operator.locator('form.action-form[data-action="verify-documents"]');
    // Reject without a reason: the server's message appears at the reason field.
    expectedHttpErrors = [400];
    await form.getByLabel('Tolak').check();
    await form.getByRole('button', { name: 'Simpan' }).click();
    const reasonField = form.locator('.field[data-path="reason"]');
    await expect.poll(() => reasonField.getAttribute('class')).toContain('invalid');
    expect(await reasonField.locator('.field-error').textContent()).toMatch(/Alasan/);
    await shot(operator, '13-operator-reject-error');
    expectedHttpErrors = [];
    const reason = 'Foto Kartu Keluarga buram, mohon unggah ulang yang jelas.';
    await form.getByLabel(exactLabel('Alasan')).fill(reason);
    await form.getByRole('button', { name: 'Simpan' }).click();
    await expect.poll(() => operator.locator('#case-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('AWAITING_RESUBMISSION');

    const citizen = await newPage({ width: 390, height: 844 });
    await citizen.goto(`${stack.baseUrl}/lacak`);
    await citizen.getByLabel('Nomor registrasi').fill(reg);
    await citizen.getByLabel('NIK pemilik dokumen').fill(nik);
    await citizen.getByRole('button', { name: 'Lacak' }).click();
    expect(await citizen.locator('#rejection-reason').textContent({ timeout: 15_000 })).toContain(reason);
    expect(await citizen.locator('#tracking-status').getAttribute('data-status')).toBe('AWAITING_RESUBMISSION');
    await citizen.locator('#resubmission-form').waitFor();
    await shot(citizen, '14-lacak-ditolak');

    // The citizen resubmits; the case returns to document verification.
    await citizen.locator('#resubmission-form').getByLabel(exactLabel('Kartu Keluarga (KK)')).setInputFiles({ name: 'kk-baru.png', mimeType: 'image/png', buffer: png(120, 80, [90, 90, 200]) });
    await citizen.locator('#resubmission-form').getByRole('button', { name: 'Kirim perbaikan' }).click();
    await expect.poll(() => citizen.locator('#tracking-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('IN_PROGRESS');
    await shot(citizen, '15-lacak-diperbaiki');

    expect(pageErrors).toEqual([]);
  });

  it('lets the applicant cancel on /lacak with a reason, after a too-short reason is refused at the field', async () => {
    pageErrors.length = 0;
    const birth = '1992-08-17';
    const nik = nikFor(birth, 4);
    const reg = await applyByApi(nik, birth);

    const citizen = await newPage({ width: 390, height: 844 });
    await citizen.goto(`${stack.baseUrl}/lacak?reg=${reg}`);
    await citizen.getByLabel('NIK pemilik dokumen').fill(nik);
    // The case reaches document verification (a cancellable step) a moment after submission.
    const form = citizen.locator('#cancellation-form');
    await expect.poll(async () => {
      await citizen.getByRole('button', { name: 'Lacak' }).click();
      await citizen.locator('#tracking-status').waitFor({ timeout: 15_000 });
      return form.count();
    }, { timeout: 30_000, interval: 500 }).toBe(1);
    // Cancellation sits behind a confirmation: first a button, then the form with a check.
    expect(await form.isVisible()).toBe(false);
    await citizen.locator('#open-cancellation').click();
    await form.getByLabel('Saya mengerti').check();
    expect(await citizen.locator('#tracking-status').getAttribute('data-status')).toBe('IN_PROGRESS');

    // Too short: the server's message appears at the reason field, the case is untouched.
    expectedHttpErrors = [400];
    await form.getByLabel(exactLabel('Alasan pembatalan')).fill('batal');
    await form.getByRole('button', { name: 'Ya, batalkan permohonan' }).click();
    const reasonField = form.locator('.field[data-path="reason"]');
    await expect.poll(() => reasonField.getAttribute('class')).toContain('invalid');
    expect(await reasonField.locator('.field-error').textContent()).toMatch(/Alasan/);
    expect(await citizen.locator('#tracking-status').getAttribute('data-status')).toBe('IN_PROGRESS');
    expectedHttpErrors = [];

    await form.getByLabel(exactLabel('Alasan pembatalan')).fill('Sudah mengurus langsung di kantor kecamatan.');
    await form.getByRole('button', { name: 'Ya, batalkan permohonan' }).click();
    await expect.poll(() => citizen.locator('#tracking-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('CANCELLED');
    expect(await citizen.locator('#tracking-status').textContent()).toContain('Dibatalkan');
    expect(await citizen.locator('#cancellation-reason').textContent()).toContain('Sudah mengurus langsung');
    await citizen.locator('#tracking-result .notice.ok').waitFor();
    expect(await citizen.locator('#cancellation-form').count()).toBe(0);
    await shot(citizen, '18-lacak-batal');

    expect(pageErrors).toEqual([]);
  });

  it('opens a case from the tracking link in its WhatsApp message (/lacak/{token}) without asking for the NIK', async () => {
    pageErrors.length = 0;
    const birth = '1993-09-18';
    const reg = await applyByApi(nikFor(birth, 5), birth);
    const received = () => stack.db.selectFrom('notifications').select('text').where('registration_number', '=', reg).where('kind', '=', 'APPLICANT').executeTakeFirst();
    await expect.poll(async () => (await received())?.text ?? '', { timeout: 30_000 }).toContain('/lacak/');
    const message = (await received())!;
    const link = /https?:\/\/\S+\/lacak\/([A-Za-z0-9_-]+)/.exec(message.text);
    expect(link, message.text).not.toBeNull();
    const citizen = await newPage({ width: 390, height: 844 });
    await citizen.goto(`${stack.baseUrl}/lacak/${link![1]}`);
    await expect.poll(() => citizen.locator('#tracking-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('IN_PROGRESS');
    expect(await citizen.locator('#tracking-result').textContent()).toContain(reg);
    // Changing the case still needs the NIK: no cancellation form from the link alone.
    expect(await citizen.locator('#cancellation-form').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("shows the validation messages (the server's rules, run in the browser) at the fields of /ajukan", async () => {
    pageErrors.length = 0;
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${stack.baseUrl}/ajukan`);
    await page.getByLabel('NIK', { exact: true }).fill('12345');
    await page.getByLabel('Nomor HP / WhatsApp').fill('12345');
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    const nikField = page.locator('.field[data-path="subject.nik"]');
    await expect.poll(() => nikField.getAttribute('class')).toContain('invalid');
    expect(await nikField.locator('.field-error').textContent()).toMatch(/NIK/);
    expect(await page.locator('.field[data-path="subject.name"] .field-error').textContent()).not.toBe('');
    expect(await page.locator('.form-errors').count()).toBe(1);
    await shot(page, '16-ajukan-errors');
    expect(pageErrors).toEqual([]);
  });

  it('offers each role only its own actions for the current step', async () => {
    pageErrors.length = 0;
    const birth = '1979-02-21';
    const reg = await applyByApi(nikFor(birth, 3), birth);

    const operator = await newPage();
    await login(operator, 'operator1');
    await openFromTasks(operator, reg);
    expect(await operator.locator('form.action-form').evaluateAll((fs) => fs.map((f) => (f as unknown as { dataset: Record<string, string> }).dataset.action))).toEqual(['verify-documents']);

    for (const username of ['kurir1', 'kabid1', 'subko1']) {
      const page = await newPage({ width: 390, height: 844 });
      await login(page, username);
      await page.goto(`${stack.baseUrl}/#/kasus/${reg}`);
      await page.locator('#case-step').waitFor();
      expect(await page.locator('#case-step').getAttribute('data-step')).toBe('DOCUMENT_VERIFICATION');
      await page.locator('#no-actions').waitFor();
      expect(await page.locator('form.action-form').count()).toBe(0);
      // Not in their queue either.
      if (username === 'kurir1') {
        await page.goto(`${stack.baseUrl}/#/tugas`);
        // The list (rows, or cards on a phone) or the "no tasks" notice.
        await page.locator('#tasks tbody tr, #tasks .notice').first().waitFor({ state: 'attached' });
        expect(await page.locator(`#tasks tr[data-reg="${reg}"]`).count()).toBe(0);
        await shot(page, '17-courier-no-actions-phone');
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
