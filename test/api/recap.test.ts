/**
 * The daily recap as a record that never changes after the fact: a past date is closed once and
 * archived with its SHA-256 (a second request returns the same bytes, later changes to the data
 * do not touch it), a print confirmed at 16:20 (or late evening) is in its day's recap, today is a
 * SEMENTARA preview that is never archived, and a case's archive manifest is served to the roles allowed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { jakartaDate, jakartaInstant } from '../../domain/calendar.js';
import { recordDamagedBlank } from '../../db/repositories/blanks.js';
import { closeDailyRecap } from '../../activities/recap.js';
import type { DocumentType } from '../../domain/sop.js';

const noTemporal = { workflow: { getHandle: () => { throw new Error('Temporal must not be called in this test'); } } } as unknown as Client;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
});
afterAll(async () => {
  await h?.close();
});

let n = 0;
async function confirmedPrint(regNo: string, confirmedAt: number, documentType: DocumentType = 'KTP_EL') {
  const at = new Date(confirmedAt);
  await h.dbh.db
    .insertInto('cases')
    .values({
      registration_number: regNo, document_type: documentType, reason: 'NEW', status: 'IN_PROGRESS', current_step: 'COURIER_NOTICE',
      subject_nik: `33150115059${String(++n).padStart(5, '0')}`, subject_name: 'Budi Santoso', subject_birth_date: '1990-05-15', subject_married: false,
      kk_number: '3315010101200003', contact_name: 'Budi Santoso', contact_phone: '+6281234567890', address: 'Jl. Mawar 1', rt: '001', rw: '002',
      village: 'Kuripan', district: 'Purwodadi', delivery_note: null, workflow_started: true, submitted_at: at, updated_at: at,
    })
    .execute();
  await h.dbh.db
    .insertInto('print_jobs')
    .values({ registration_number: regNo, attempt: 1, document_type: documentType, status: 'CONFIRMED', job_path: `x/${regNo}`, failure_reason: null, printed_at: new Date(confirmedAt - 600_000), confirmed_at: at })
    .execute();
}

async function get(path: string, token = h.tokens.kabid) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a past date', () => {
  const date = '2026-11-26'; // a Thursday
  it('includes a print confirmed at 16:20 and one at 21:45 WIB, totals per type, damaged blanks and signature blocks', async () => {
    await confirmedPrint('BP-20261126-00001', jakartaInstant(date, '09:10'));
    await confirmedPrint('BP-20261126-00002', jakartaInstant(date, '16:20'), 'KIA');
    await confirmedPrint('BP-20261126-00003', jakartaInstant(date, '21:45'));
    await confirmedPrint('BP-20261127-00001', jakartaInstant('2026-11-27', '00:10')); // the next day
    await recordDamagedBlank(h.dbh.db, { documentType: 'KTP_EL', registrationNumber: 'BP-20261126-00001', idempotencyKey: 'damaged:BP-20261126-00001:0', note: 'Hasil cetak bergaris', actorUsername: 'operator1', at: new Date(jakartaInstant(date, '08:50')) });
    const res = await get(`/api/reports/daily-recap?date=${date}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-recap-status')).toBe('FINAL');
    expect(res.headers.get('x-content-sha256')).toBe(sha(res.bytes));
    const text = pdfText(res.bytes);
    expect(text).toContain('Kamis, 26 November 2026');
    expect(text).toContain('BP-20261126-00002');
    expect(text).toContain('16:20');
    expect(text).toContain('BP-20261126-00003');
    expect(text).not.toContain('BP-20261127-00001');
    expect(text).toMatch(/Jumlah dokumen tercetak: 3 +\(KTP-el: 2 +KIA: 1\)/);
    expect(text).toContain('Blangko rusak: 1');
    expect(text).toContain('Hasil cetak bergaris');
    expect(text).toContain('Mengetahui');
    expect(text).toContain('Kepala Bidang');
    expect(text).not.toContain('SEMENTARA');
    expect(text).not.toContain('Budi Santoso'); // no personal data in the recap
  });

  it('is closed once: a second request returns the same bytes, even after the data changed, and the archive row holds their hash', async () => {
    const first = await get(`/api/reports/daily-recap?date=${date}`);
    await confirmedPrint('BP-20261126-00009', jakartaInstant(date, '23:30')); // arrives after the close
    const second = await get(`/api/reports/daily-recap?date=${date}`, h.tokens.kadis);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const row = await h.dbh.db.selectFrom('daily_recaps').selectAll().where('date', '=', date).executeTakeFirstOrThrow();
    expect(row.pdf_sha256).toBe(sha(first.bytes));
    expect(row.closed_at).not.toBeNull();
    expect(row.printed_count).toBe(3);
    expect(sha(await h.files.read(row.pdf_path))).toBe(row.pdf_sha256);
  });

  it('the CSV uses ; and a UTF-8 BOM, and is archived too (same bytes twice)', async () => {
    const a = await get(`/api/reports/daily-recap?date=${date}&format=csv`);
    const b = await get(`/api/reports/daily-recap?date=${date}&format=csv`);
    expect(a.headers.get('content-type')).toContain('text/csv');
    expect([...a.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = a.bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('no;tanggal;nomor_registrasi;dokumen;alasan;kecamatan;cetakan_ke;waktu_konfirmasi_wib;status_rekap');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('BP-20261126-00002;KIA;');
    expect(lines[2]).toMatch(/;FINAL$/);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    const row = await h.dbh.db.selectFrom('daily_recaps').select('csv_sha256').where('date', '=', date).executeTakeFirstOrThrow();
    expect(row.csv_sha256).toBe(sha(a.bytes));
  });

  it('concurrent first requests for a never-closed date close it once and all get the same bytes', async () => {
    const d = '2026-11-20';
    await confirmedPrint('BP-20261120-00001', jakartaInstant(d, '10:00'));
    const answers = await Promise.all([1, 2, 3, 4].map(() => get(`/api/reports/daily-recap?date=${d}`)));
    expect(answers.map((a) => a.status + ':' + sha(a.bytes))).toEqual(answers.map(() => '200:' + sha(answers[0]!.bytes)));
    expect(await h.dbh.db.selectFrom('daily_recaps').selectAll().where('date', '=', d).execute()).toHaveLength(1);
  });

  it('a row left by the old rebuilding recap (never closed) is replaced once by the closed one', async () => {
    const d = '2026-11-19';
    await h.dbh.db.insertInto('daily_recaps').values({ date: d, printed_count: 0, pdf_path: 'recaps/old.pdf', csv_path: 'recaps/old.csv' }).execute();
    const r = await closeDailyRecap({ db: h.dbh.db, files: h.files }, d);
    expect(r.closedNow).toBe(true);
    const again = await closeDailyRecap({ db: h.dbh.db, files: h.files }, d);
    expect(again.closedNow).toBe(false);
    expect(again.pdf.equals(r.pdf)).toBe(true);
  });
});

describe('today', () => {
  it('is a preview marked SEMENTARA that is never archived', async () => {
    const today = jakartaDate(Date.now());
    await confirmedPrint(`BP-${today.replaceAll('-', '')}-00001`, Date.now() - 60_000);
    const res = await get(`/api/reports/daily-recap?date=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-recap-status')).toBe('SEMENTARA');
    expect(res.headers.get('content-disposition')).toContain('sementara');
    expect(pdfText(res.bytes)).toContain('SEMENTARA');
    const csv = await get(`/api/reports/daily-recap?date=${today}&format=csv`);
    expect(csv.bytes.toString('utf8')).toMatch(/;SEMENTARA\r\n$/);
    expect(await h.dbh.db.selectFrom('daily_recaps').selectAll().where('date', '=', today).execute()).toHaveLength(0);
    await expect(closeDailyRecap({ db: h.dbh.db, files: h.files }, today)).rejects.toThrow(RangeError);
  });

  it('a future date is refused with 400', async () => {
    const future = jakartaDate(Date.now() + 3 * 86_400_000);
    const res = await call(h.baseUrl, 'GET', `/api/reports/daily-recap?date=${future}`, { token: h.tokens.kabid });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Tanggal belum terjadi');
  });
});

describe('archive manifest', () => {
  it('is served to operator and kadis with its hash; other roles get 403; a case not archived yet 404', async () => {
    const regNo = 'BP-20261126-00001';
    expect((await get(`/api/applications/${regNo}/archive`, h.tokens.operator)).status).toBe(404);
    const manifest = JSON.stringify({ registrationNumber: regNo, archivedAt: '2026-11-27T03:00:00.000Z', events: [], documents: [] });
    const f = await h.files.put(`archive/${regNo}/manifest.json`, manifest);
    await h.dbh.db.insertInto('documents').values({ registration_number: regNo, kind: 'archive', version: 1, storage_path: f.path, content_type: 'application/json', sha256: f.sha256, size_bytes: f.size }).execute();
    for (const role of ['operator', 'kadis'] as const) {
      const res = await get(`/api/applications/${regNo}/archive`, h.tokens[role]);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-sha256')).toBe(f.sha256);
      expect(JSON.parse(res.bytes.toString()).registrationNumber).toBe(regNo);
    }
    for (const role of ['ekspedisi', 'admin', 'kabid'] as const) expect((await get(`/api/applications/${regNo}/archive`, h.tokens[role])).status).toBe(403);
  });
});
