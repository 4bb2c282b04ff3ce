/**
 * One login for every tab, in Debian's Chromium, against the API alone (no workflow needed): the
 * staff member logs in through the form in one tab, a second tab of the same browser opens the
 * console already logged in (HttpOnly cookie, restored through /api/auth/me) and can change
 * something (CSRF token learned by that tab); logging out in one tab ends the session in the
 * other. The console warns five minutes before the session expires and shows the login at expiry.
 * Screenshots: test-results/e2e/session-*.png (desktop 1366x768 and phone 390x844).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { call, startApiHarness, type ApiHarness } from '../api/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test-results/e2e');

let h: ApiHarness;
let browser: Browser;
const pageErrors: string[] = [];

function watch(page: Page): Page {
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function loginThroughForm(page: Page, role: string): Promise<void> {
  await page.goto(`${h.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(`${role}1`);
  await page.getByLabel('Kata sandi').fill(`password-${role}`);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
}

describe.skipIf(!hasChromium)('console sessions across tabs', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    h = await startApiHarness({ temporal: {} as Client, login: false });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('a second tab opens logged in, can save a change, and a logout in it ends the session in the first tab too', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const first = watch(await context.newPage());
    await loginThroughForm(first, 'admin');
    // The token is not readable by scripts: only an HttpOnly cookie.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'becak_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Scripts see only the hint ("becak_session_hint=1"), never the session token.
    expect(await first.evaluate('document.cookie')).not.toMatch(/(^|;\s*)becak_session=/);

    const second = watch(await context.newPage());
    await second.goto(`${h.baseUrl}/#/petugas`);
    await second.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
    expect(await second.locator('#login-form').count()).toBe(0);
    await expect.poll(() => second.locator('#who').innerText(), { timeout: 10_000 }).toContain('Petugas admin');
    await second.locator('#staff-list').waitFor();
    await second.screenshot({ path: path.join(SHOTS, 'session-second-tab.png'), fullPage: true });

    // A change from the second tab (POST with the CSRF token that tab learned from /api/auth/me).
    await second.locator('#who').getByRole('link', { name: 'Ganti kata sandi' }).click();
    const form = second.locator('#password-form');
    await form.getByLabel('Kata sandi saat ini').fill('password-admin');
    await form.locator('input[name="newPassword"]').fill('Kunci-Lumbung-Padi-2026');
    await form.getByLabel('Ulangi kata sandi baru').fill('Kunci-Lumbung-Padi-2026');
    await form.getByRole('button', { name: /Simpan/ }).click();
    await expect.poll(() => second.locator('main').innerText(), { timeout: 30_000 }).toContain('Kata sandi berhasil diganti');
    // The first tab carries on with the replaced cookie (its stale CSRF token is renewed by itself).
    await first.goto(`${h.baseUrl}/#/petugas`);
    await first.locator('#staff-list').waitFor();
    expect(await first.locator('#login-form').count()).toBe(0);

    const cookie = (await context.cookies()).find((c) => c.name === 'becak_session')!;
    await second.locator('#who').getByRole('button', { name: 'Keluar' }).click();
    await second.locator('#login-form').waitFor();
    // The other tab hears of it at once, and the server has revoked the session.
    await first.locator('#login-form').waitFor();
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie: `becak_session=${cookie.value}` } })).status).toBe(401);
    expect((await context.cookies()).find((c) => c.name === 'becak_session')).toBeUndefined();
    await first.screenshot({ path: path.join(SHOTS, 'session-logged-out-elsewhere.png'), fullPage: true });
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('warns five minutes before the session expires (time and minutes left) and shows the login at expiry', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', isMobile: true, hasTouch: true });
    await context.clock.install({ time: new Date() });
    const page = watch(await context.newPage());
    await loginThroughForm(page, 'operator');
    expect(await page.locator('#session-expiry').count()).toBe(0);
    const expiresAt = Date.parse((await page.evaluate('sessionStorage.getItem("becak.expires")')) as string);
    const now = (await page.evaluate('Date.now()')) as number;
    // Six minutes before: no warning yet; four minutes before: the warning.
    await context.clock.fastForward(expiresAt - now - 6 * 60_000);
    expect(await page.locator('#session-expiry').count()).toBe(0);
    await context.clock.fastForward(2 * 60_000);
    const banner = page.locator('#session-expiry');
    await banner.waitFor();
    const hhmm = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(expiresAt)).replace(':', '.');
    expect(await banner.innerText()).toMatch(new RegExp(`^Sesi Anda berakhir pukul ${hhmm.replace('.', '\\.')} WIB \\((3|4) menit lagi\\)`));
    await page.screenshot({ path: path.join(SHOTS, 'session-expiry-warning-phone.png'), fullPage: true });
    await context.clock.fastForward(5 * 60_000);
    await page.locator('#login-form').waitFor();
    expect(await page.locator('#login-form').innerText()).toContain('Sesi Anda berakhir. Silakan masuk kembali.');
    expect(await page.locator('#session-expiry').count()).toBe(0);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
