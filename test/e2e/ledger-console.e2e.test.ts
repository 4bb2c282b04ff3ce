/**
 * The console's ledger additions in Chromium, against the API alone (no Temporal needed): the
 * blanks screen shows the ledger and takes a stock-taking correction from the schema-rendered
 * form (and shows the 409 below zero), the dashboard's recap date picker, and the case page's
 * readable timeline and internal-note form.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Client } from '@temporalio/client';
import { startApiHarness, type ApiHarness } from '../api/harness.js';
import { saveActionInput } from '../../db/repositories/action-inputs.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const noTemporal = { workflow: { getHandle: () => { throw new Error('no Temporal here'); } } } as unknown as Client;
const REG = 'BP-20261201-00077';

let h: ApiHarness;
let browser: Browser;
beforeAll(async () => {
  if (!hasChromium) return;
  h = await startApiHarness({ temporal: noTemporal });
  const now = new Date();
  await h.dbh.db
    .insertInto('cases')
    .values({
      registration_number: REG, document_type: 'KTP_EL', reason: 'NEW', status: 'AWAITING_RESUBMISSION', current_step: 'DOCUMENT_VERIFICATION',
      subject_nik: '3315011505900002', subject_name: 'Budi Santoso', subject_birth_date: '1990-05-15', subject_married: false,
      kk_number: '3315010101200003', contact_name: 'Budi Santoso', contact_phone: '+6281234567890', address: 'Jl. Mawar 1', rt: '001', rw: '002',
      village: 'Kuripan', district: 'Purwodadi', delivery_note: null, workflow_started: true, submitted_at: now, updated_at: now,
    })
    .execute();
  const id = '00000000-0000-4000-a000-000000000001';
  await saveActionInput(h.dbh.db, { id, registrationNumber: REG, action: 'verify-documents', actorUsername: 'operator1', actorRole: 'operator', body: { decision: 'reject', reason: 'Foto KK buram, mohon unggah ulang' } });
  await h.dbh.db.insertInto('case_events').values({ registration_number: REG, event_key: '1:0:REJECTED', type: 'REJECTED', step_key: 'DOCUMENT_VERIFICATION', actor_username: 'operator1', actor_role: 'operator', data: JSON.stringify({ inputId: id }), at: now }).execute();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function login(username: string, password: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${h.baseUrl}/`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#who').getByRole('button', { name: 'Keluar' }).waitFor();
  return page;
}

describe.skipIf(!hasChromium)('console: ledger, recap date, timeline and notes', () => {
  it('blanks screen: ledger rows, a correction from the schema form, and the 409 text below zero', async () => {
    const page = await login('operator1', 'password-operator');
    await page.goto(`${h.baseUrl}/#/blangko`);
    await page.locator('#ledger-table tr[data-kind="OPENING"]').first().waitFor();
    const adjust = page.locator('#adjust-form');
    // The document types read as people write them, not as codes.
    expect(await adjust.locator('fieldset').first().textContent()).toContain('KTP-el');
    expect(await adjust.textContent()).not.toContain('KTP_EL');
    await adjust.locator('input[value="KIA"]').check();
    await adjust.locator('input[name="adjust-delta"]').fill('-5');
    await adjust.locator('textarea[name="adjust-reason"]').fill('Stok opname akhir bulan');
    await adjust.getByRole('button', { name: 'Simpan koreksi' }).click();
    await expect.poll(() => adjust.textContent()).toContain('kurang dari nol');
    await adjust.locator('input[name="adjust-delta"]').fill('3');
    await adjust.getByRole('button', { name: 'Simpan koreksi' }).click();
    await page.locator('#ledger-table tr[data-kind="CORRECTION"]').waitFor();
    expect(await page.locator('#ledger-table tr[data-kind="CORRECTION"]').textContent()).toContain('Stok opname akhir bulan');
    expect(await page.locator('#blank-stock tr[data-type="KIA"]').textContent()).toContain('3');
    await page.locator('#damaged-report-form').waitFor();
    await page.close();
  });

  it('dashboard: the recap date picker says SEMENTARA for today and final for a past date', async () => {
    const page = await login('kabid1', 'password-kabid');
    await page.goto(`${h.baseUrl}/#/dasbor`);
    await page.locator('#recap-date').waitFor();
    expect(await page.locator('#recap-status').textContent()).toContain('SEMENTARA');
    await page.locator('#recap-date').fill('2026-11-02');
    await page.locator('#recap-date').dispatchEvent('change');
    expect(await page.locator('#recap-status').textContent()).toContain('arsip final');
    await page.close();
  });

  it('case page: the rejection reason as text in the timeline, and a note added from the form', async () => {
    const page = await login('operator1', 'password-operator');
    await page.goto(`${h.baseUrl}/#/kasus/${REG}`);
    await page.locator('#timeline li[data-type="REJECTED"]').waitFor();
    expect(await page.locator('#timeline li[data-type="REJECTED"]').textContent()).toContain('Foto KK buram, mohon unggah ulang');
    await page.locator('#note-form textarea, #note-form input[type=text]').first().fill('Pemohon sudah ditelepon');
    await page.getByRole('button', { name: 'Simpan catatan' }).click();
    await page.locator('#timeline li[data-type="NOTE"]').waitFor();
    const note = await page.locator('#timeline li[data-type="NOTE"]').textContent();
    expect(note).toContain('Pemohon sudah ditelepon');
    expect(note).toContain('Petugas operator (Operator)');
    await page.close();
  });
});
