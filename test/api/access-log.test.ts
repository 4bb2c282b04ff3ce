/**
 * The access log (SPEC §9): one append-only row per staff read of personal data (case, attachment,
 * document, search), none for a view without personal data; GET /api/access-log with filters and
 * CSV; the citizen's dataAccess in the tracking answer (role, never the staff member's name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { insertTestCase } from '../helpers/cases.js';
import type { Role } from '../../domain/sop.js';

let h: ApiHarness;
const REG = 'BP-20261202-00042';
const OTHER = 'BP-20261202-00043';
const NIK = '3315011505900042';
const attachmentId = randomUUID();

const addCase = (regNo: string, nik: string, step: 'DOCUMENT_VERIFICATION' | 'HANDOVER') =>
  insertTestCase(h.dbh.db, { registration_number: regNo, subject_nik: nik, current_step: step });

beforeAll(async () => {
  h = await startApiHarness({ temporal: {} as Client });
  await addCase(REG, NIK, 'DOCUMENT_VERIFICATION');
  await addCase(OTHER, '3315011505900043', 'HANDOVER');
  const stored = await h.files.put(`attachments/${REG}/${attachmentId}`, '%PDF-1.4\n% kk\n');
  await h.dbh.db
    .insertInto('attachments')
    .values({ id: attachmentId, registration_number: REG, kind: 'KK', file_name: 'kk.pdf', content_type: 'application/pdf', size_bytes: 14, sha256: stored.sha256, storage_path: stored.path, round: 0 })
    .execute();
  const label = await h.files.put(`documents/${OTHER}/label-1.pdf`, '%PDF-1.4\n% label\n');
  await h.dbh.db
    .insertInto('documents')
    .values({ registration_number: OTHER, kind: 'label', version: 1, storage_path: label.path, content_type: 'application/pdf', sha256: label.sha256, size_bytes: 17 })
    .execute();
});
afterAll(async () => {
  await h?.close();
});

const rowsOf = (regNo: string | null) => {
  let q = h.dbh.db.selectFrom('access_log').selectAll().orderBy('id');
  q = regNo === null ? q.where('registration_number', 'is', null) : q.where('registration_number', '=', regNo);
  return q.execute();
};
const get = (role: Role, p: string) => call(h.baseUrl, 'GET', p, { token: h.tokens[role] });

describe('each kind of read is logged once, by the layer that served it', () => {
  it('case: the operator opening the detail at step 2 → one row (who, role, kind, case, step, client address)', async () => {
    expect((await get('operator', `/api/applications/${REG}`)).status).toBe(200);
    const rows = await rowsOf(REG);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'operator1', role: 'operator', kind: 'case', registration_number: REG, step_key: 'DOCUMENT_VERIFICATION' });
    expect(rows[0]!.client_address).toMatch(/127\.0\.0\.1/);
  });

  it('no row for a view without personal data (admin, the courier at step 2), nor for lists and tasks', async () => {
    const before = (await rowsOf(REG)).length;
    expect((await get('admin', `/api/applications/${REG}`)).status).toBe(200);
    expect((await get('ekspedisi', `/api/applications/${REG}`)).status).toBe(200);
    expect((await get('operator', '/api/applications?q=BP-20261202')).status).toBe(200);
    expect((await get('operator', '/api/tasks')).status).toBe(200);
    expect((await rowsOf(REG)).length).toBe(before);
  });

  it('attachment: one row with the attachment kind; a refused one (403) logs nothing', async () => {
    const before = (await rowsOf(REG)).length;
    expect((await fetch(`${h.baseUrl}/api/applications/${REG}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${h.tokens.ekspedisi}` } })).status).toBe(403);
    expect((await fetch(`${h.baseUrl}/api/applications/${REG}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${h.tokens.kadis}` } })).status).toBe(200);
    const rows = await rowsOf(REG);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ username: 'kadis1', role: 'kadis', kind: 'attachment', detail: `KK ${attachmentId}` });
  });

  it('document: the courier opening the step-7 label → one row', async () => {
    const res = await fetch(`${h.baseUrl}/api/applications/${OTHER}/documents/label`, { headers: { authorization: `Bearer ${h.tokens.ekspedisi}` } });
    expect(res.status).toBe(200);
    const rows = await rowsOf(OTHER);
    expect(rows.map((r) => [r.role, r.kind, r.detail])).toEqual([['ekspedisi', 'document', 'label v1']]);
  });

  it('search: a NIK search logs a row per case found (never the NIK), and one without a case when nothing is found', async () => {
    const before = (await rowsOf(REG)).length;
    const res = await call(h.baseUrl, 'POST', '/api/applications/search', { token: h.tokens.operator, body: { q: NIK } });
    expect(res.body.items).toHaveLength(1);
    const rows = await rowsOf(REG);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ kind: 'search', username: 'operator1', detail: 'pencarian NIK' });
    await call(h.baseUrl, 'POST', '/api/applications/search', { token: h.tokens.operator, body: { q: '3315019999999999' } });
    const none = await rowsOf(null);
    expect(none.at(-1)).toMatchObject({ kind: 'search', detail: 'pencarian NIK, tidak ada hasil' });
    const all = await h.dbh.db.selectFrom('access_log').selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(NIK);
  });

  it('is append-only in the database: UPDATE and DELETE are refused', async () => {
    await expect(sql`update access_log set username = 'someone'`.execute(h.dbh.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from access_log`.execute(h.dbh.db)).rejects.toThrow(/append-only/);
  });
});

describe('GET /api/access-log', () => {
  it('filters by case and user, newest first, for admin and kadis', async () => {
    const res = await get('admin', `/api/access-log?registrationNumber=${REG}&username=operator1`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    expect(res.body.items.every((i: { username: string; registrationNumber: string }) => i.username === 'operator1' && i.registrationNumber === REG)).toBe(true);
    expect(res.body.items[0].kind).toBe('search');
    expect(res.body.items[0]).toMatchObject({ roleLabel: 'Operator', kindLabel: 'Pencarian' });
    const dates = await get('kadis', '/api/access-log?from=2000-01-01&to=2000-01-31');
    expect(dates.body.items).toEqual([]);
    expect((await get('kadis', '/api/access-log?from=2026-12-05&to=2026-12-01')).status).toBe(400);
  });

  it('format=csv: BOM, semicolons, Indonesian header, one line per read', async () => {
    const res = await fetch(`${h.baseUrl}/api/access-log?registrationNumber=${OTHER}&format=csv`, { headers: { authorization: `Bearer ${h.tokens.kadis}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM (checked above as bytes).
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('Waktu (WIB);Nama pengguna;Peran;Jenis;Nomor registrasi;Keterangan;Alamat klien');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(';').slice(1, 6)).toEqual(['ekspedisi1', 'Jasa Ekspedisi', 'Dokumen', OTHER, 'label v1']);
  });
});

describe("the citizen's dataAccess", () => {
  it('POST /api/tracking lists the roles that read the data, when and what for — never a username', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: REG, nik: NIK } });
    expect(res.status).toBe(200);
    const access = res.body.dataAccess as Array<Record<string, unknown>>;
    expect(access.map((a) => [a.role, a.kind])).toEqual([
      ['operator', 'case'],
      ['kadis', 'attachment'],
      ['operator', 'search'],
    ]);
    expect(access[0]).toMatchObject({ roleLabel: 'Operator', step: 'DOCUMENT_VERIFICATION', purpose: 'verifikasi dokumen' });
    expect(Date.parse(access[0]!.at as string)).toBeGreaterThan(Date.now() - 600_000);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('operator1');
    expect(text).not.toContain('kadis1');
    expect(text).not.toContain('127.0.0.1');
  });
});
