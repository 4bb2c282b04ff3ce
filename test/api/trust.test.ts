/**
 * Issue #12 (citizen-side trust) over HTTP against the whole service (dev server, worker, API):
 * no case found or changed by NIK alone, tracking links, NIK + number/token for changes with
 * per-case and per-NIK limits, the operator's contact correction, consent, retention and erasure
 * (also after a crash midway).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, JPEG, nikFor, PDF, validSubmission } from './harness.js';
import { ROLES, type Role } from '../../domain/sop.js';
import { jakartaDateString } from '../../domain/citizen.js';
import { createFileStore } from '../../infra/files.js';
import { eraseCasePersonalData, eraseExpiredCases } from '../../activities/erasure.js';
import { RETENTION_SCHEDULE_ID } from '../../worker/schedules.js';
import { PRIVACY_NOTICE_VERSION } from '../../domain/privacy.js';

let stack: TestStack;
const tokens = {} as Record<Role, string>;
// Small enough that the cases of this file are due when the retention tests run at its end.
const RETENTION_DAYS = '0.0002'; // 17.28 s

beforeAll(async () => {
  stack = await startTestStack({ RETENTION_DAYS });
  const admin = await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } });
  expect(admin.status).toBe(200);
  tokens.admin = admin.body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const password = `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026`;
    const created = await call(stack.baseUrl, 'POST', '/api/staff', { token: tokens.admin, body: { username: `${role}-trust`, name: `Petugas ${role}`, role, password } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[role] = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-trust`, password } })).body.token;
  }
}, 180_000);
afterAll(async () => {
  await stack?.shutdown();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const post = (p: string, body: unknown, token?: string) => call(stack.baseUrl, 'POST', p, { body, token });
const caseRow = (regNo: string) => stack.db.selectFrom('cases').selectAll().where('registration_number', '=', regNo).executeTakeFirstOrThrow();
const applicantMessages = (regNo: string) =>
  stack.db.selectFrom('notifications').selectAll().where('registration_number', '=', regNo).where('kind', '=', 'APPLICANT').orderBy('id').execute();

/** Submits a case and waits for the workflow to reach document verification; returns its tracking token from the RECEIVED message. */
async function submitCase(overrides: Parameters<typeof validSubmission>[0] = {}) {
  const body = validSubmission(overrides);
  const res = await post('/api/applications', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const regNo = res.body.registrationNumber as string;
  const received = await waitFor('RECEIVED message', async () => (await applicantMessages(regNo)).find((m) => m.text.includes('telah kami terima')));
  const m = /\/lacak\/([A-Za-z0-9_-]+)/.exec(received.text);
  expect(m, received.text).not.toBeNull();
  await waitFor('document verification', async () => (await caseRow(regNo)).waiting_for === 'STAFF_ACTION');
  return { regNo, body, token: m![1]! };
}

/** The neighbours of a registration number: what an attacker would guess. */
function neighbours(regNo: string): string[] {
  const n = Number(regNo.slice(-5));
  return [n - 1, n + 1, n + 2].filter((k) => k > 0).map((k) => `${regNo.slice(0, -5)}${String(k).padStart(5, '0')}`);
}

describe('no case found or changed by NIK alone', () => {
  it('tracking a known number with guessed NIKs is refused after 20 misses, even with the right NIK; successful tracking is not limited per case', async () => {
    // First in the file: no other test has guessed this number yet (guesses are neighbours of their own case).
    const victim = await submitCase();
    for (let i = 0; i < 70; i++) expect((await post('/api/tracking', { registrationNumber: victim.regNo, nik: victim.body.subject.nik })).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await post('/api/tracking', { registrationNumber: victim.regNo, nik: nikFor('1970-07-07') })).status).toBe(404);
    const right = await post('/api/tracking', { registrationNumber: victim.regNo, nik: victim.body.subject.nik });
    expect(right.status).toBe(429);
    // The tracking link still works for the applicant.
    expect((await call(stack.baseUrl, 'GET', `/api/tracking/${victim.token}`)).status).toBe(200);
  });

  it('a duplicate submission answers 409 without the number and re-sends it to the open case’s WhatsApp, at most once an hour', async () => {
    const victim = await submitCase();
    const attack = { ...victim.body, contact: { name: 'Penyerang', phone: '081311112222' } };
    const first = await post('/api/applications', attack);
    expect(first.status).toBe(409);
    expect(JSON.stringify(first.body)).not.toContain(victim.regNo);
    expect(first.body.registrationNumber).toBeUndefined();
    expect(first.body.detail).toMatch(/kirim ulang ke nomor WhatsApp/);
    const second = await post('/api/applications', attack);
    expect(second.status).toBe(409);
    expect(second.body).toEqual(first.body);

    const resent = await waitFor('re-sent number delivered', async () => {
      const rows = (await applicantMessages(victim.regNo)).filter((r) => r.idempotency_key.startsWith('resend-number:'));
      return rows.length === 1 && rows[0]!.status === 'SENT' ? rows : null;
    });
    // To the victim's own number (the one on the open case), never to the duplicate's.
    expect(resent[0]!.recipient).toBe('+6281234567890');
    expect(resent[0]!.text).toContain(victim.regNo);
    expect(resent[0]!.text).toContain(`/lacak/${victim.token}`);
    // Still one re-send after the second duplicate (once an hour per case).
    expect((await applicantMessages(victim.regNo)).filter((r) => r.idempotency_key.startsWith('resend-number:'))).toHaveLength(1);
  });

  it('NIK + guessed registration numbers neither track, cancel, resubmit nor change the address, and the NIK is locked after 5 misses', async () => {
    const victim = await submitCase();
    const nik = victim.body.subject.nik;
    const guesses = neighbours(victim.regNo);
    const answers = [];
    for (const g of guesses) answers.push(await post('/api/tracking', { registrationNumber: g, nik }));
    answers.push(await post(`/api/applications/${guesses[0]}/cancellation`, { nik, reason: 'Tidak jadi mengajukan' }));
    answers.push(await post(`/api/applications/${guesses[1]}/address`, { nik, delivery: { ...victim.body.delivery, address: 'Jl. Penyerang No. 1' } }));
    for (const a of answers) expect(a.status).toBe(404);
    // Wrong NIK and unknown number look the same.
    expect(answers[0]!.body.detail).toBe(answers[1]!.body.detail);
    // Five misses: the NIK is refused even with the right number (guessing numbers is bounded).
    const locked = await post('/api/tracking', { registrationNumber: victim.regNo, nik });
    expect(locked.status).toBe(429);
    const resub = await post(`/api/applications/${victim.regNo}/resubmission`, { nik, attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF }] });
    expect(resub.status).toBe(429);
    const row = await caseRow(victim.regNo);
    expect(row.status).toBe('IN_PROGRESS');
    expect(row.address).toBe(victim.body.delivery.address);
  });

  it('NIK + a guessed token is refused (404) on every token route', async () => {
    const victim = await submitCase();
    const nik = victim.body.subject.nik;
    const guessed = Buffer.alloc(32, 7).toString('base64url');
    for (const [p, body] of [
      [`/api/tracking/${guessed}/cancellation`, { nik, reason: 'Tidak jadi mengajukan' }],
      [`/api/tracking/${guessed}/address`, { nik, delivery: victim.body.delivery }],
      [`/api/tracking/${guessed}/resubmission`, { nik, attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF }] }],
    ] as const) {
      expect((await post(p, body)).status, p).toBe(404);
    }
    expect((await call(stack.baseUrl, 'GET', `/api/tracking/${guessed}`)).status).toBe(404);
    expect((await call(stack.baseUrl, 'GET', '/api/tracking/pendek')).status).toBe(404);
    expect((await caseRow(victim.regNo)).status).toBe('IN_PROGRESS');
  });
});

describe('tracking links', () => {
  it('GET /api/tracking/{token} answers like POST /api/tracking, without NIK or name; only the token’s hash is findable in the database', async () => {
    const c = await submitCase();
    const byToken = await call(stack.baseUrl, 'GET', `/api/tracking/${c.token}`);
    expect(byToken.status).toBe(200);
    const byNik = await post('/api/tracking', { registrationNumber: c.regNo, nik: c.body.subject.nik });
    expect(byToken.body).toEqual(byNik.body);
    const text = JSON.stringify(byToken.body);
    for (const secret of [c.body.subject.nik, c.body.subject.name, c.body.contact.phone.slice(1), c.body.delivery.address]) expect(text).not.toContain(secret);

    const row = await stack.db.selectFrom('tracking_tokens').selectAll().where('registration_number', '=', c.regNo).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(c.token).digest('hex'));
    expect(row.token_sealed).not.toContain(c.token);
    expect(Buffer.from(c.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    // The token never enters Temporal: not in the case workflow's history.
    const history = JSON.stringify(await stack.client.workflow.getHandle(c.regNo).fetchHistory(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
    expect(history).not.toContain(c.token);
    // The page route serves the tracking page.
    const page = await fetch(`${stack.baseUrl}/lacak/${c.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('every message to the applicant carries the tracking link', async () => {
    const c = await submitCase();
    const reject = await post(`/api/applications/${c.regNo}/actions/verify-documents`, { decision: 'reject', reason: 'Pindaian KK tidak terbaca jelas' }, tokens.operator);
    expect(reject.status).toBe(200);
    const cancel = await post(`/api/tracking/${c.token}/cancellation`, { nik: c.body.subject.nik, reason: 'Sudah diurus langsung di kantor' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const messages = await waitFor('three applicant messages', async () => {
      const rows = await applicantMessages(c.regNo);
      return rows.length >= 3 ? rows : null;
    });
    for (const m of messages) expect(m.text).toContain(`${stack.config.publicBaseUrl}/lacak/${c.token}`);
  });
});

describe('changes with NIK and registration number or token', () => {
  it('the address is corrected with token + NIK and with number + NIK; before/after land in the timeline, not in Temporal', async () => {
    const c = await submitCase();
    const wrongNik = await post(`/api/tracking/${c.token}/address`, { nik: nikFor('1980-02-02'), delivery: c.body.delivery });
    expect(wrongNik.status).toBe(404);
    const byToken = await post(`/api/tracking/${c.token}/address`, {
      nik: c.body.subject.nik,
      delivery: { address: 'Jl. Melati No. 3', rt: '004', rw: '001', village: 'Danyang', district: 'purwodadi' },
    });
    expect(byToken.status, JSON.stringify(byToken.body)).toBe(200);
    expect(byToken.body).toEqual({ registrationNumber: c.regNo, changed: true, district: 'Purwodadi' });
    const byNumber = await post(`/api/applications/${c.regNo}/address`, {
      nik: c.body.subject.nik,
      delivery: { address: 'Jl. Melati No. 3', rt: '004', rw: '001', village: 'Danyang', district: 'Godong', note: 'Depan masjid' },
    });
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toMatchObject({ changed: true, district: 'Godong' });
    const row = await caseRow(c.regNo);
    expect(row).toMatchObject({ address: 'Jl. Melati No. 3', rt: '004', village: 'Danyang', district: 'Godong', delivery_note: 'Depan masjid' });
    const events = await stack.db.selectFrom('case_events').selectAll().where('registration_number', '=', c.regNo).where('type', '=', 'ADDRESS_CORRECTED').orderBy('id').execute();
    expect(events).toHaveLength(2);
    expect(events[0]!.data).toMatchObject({ before: { address: c.body.delivery.address, village: 'Kuripan' }, after: { address: 'Jl. Melati No. 3', village: 'Danyang' } });
    expect(events[1]!.data).toEqual({ before: { district: 'Purwodadi', note: null }, after: { district: 'Godong', note: 'Depan masjid' } });
    const history = JSON.stringify(await stack.client.workflow.getHandle(c.regNo).fetchHistory(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
    expect(history).not.toContain('Melati');
  });

  it('resubmission with token + NIK returns a rejected case to document verification', async () => {
    const c = await submitCase();
    expect((await post(`/api/applications/${c.regNo}/actions/verify-documents`, { decision: 'reject', reason: 'Pindaian KK tidak terbaca jelas' }, tokens.operator)).status).toBe(200);
    await waitFor('awaiting resubmission', async () => (await caseRow(c.regNo)).status === 'AWAITING_RESUBMISSION');
    const res = await post(`/api/tracking/${c.token}/resubmission`, {
      nik: c.body.subject.nik,
      attachments: [{ kind: 'KK', fileName: 'kk-baru.pdf', contentType: 'application/pdf', contentBase64: PDF }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION' });
  });

  it('changes are limited per case: after 10 attempts even the right NIK and token get 429', async () => {
    const c = await submitCase();
    for (let i = 0; i < 10; i++) {
      const r = await post(`/api/tracking/${c.token}/cancellation`, { nik: nikFor('1985-03-03'), reason: 'Mencoba membatalkan' });
      expect(r.status).toBe(404);
    }
    const right = await post(`/api/tracking/${c.token}/cancellation`, { nik: c.body.subject.nik, reason: 'Sudah tidak diperlukan' });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await caseRow(c.regNo)).status).toBe('IN_PROGRESS');
  });

  it('the operator corrects the phone and address with a reason; other roles get 403; a closed case 409', async () => {
    const c = await submitCase();
    const body = { contactPhone: '0857-1111-2222', delivery: { ...c.body.delivery, address: 'Jl. Kenari No. 8' }, reason: 'Pemohon menelepon, nomor lama hilang' };
    expect((await post(`/api/applications/${c.regNo}/contact-correction`, body, tokens.kabid)).status).toBe(403);
    expect((await post(`/api/applications/${c.regNo}/contact-correction`, { reason: 'Tidak ada perubahan' }, tokens.operator)).status).toBe(400);
    const ok = await post(`/api/applications/${c.regNo}/contact-correction`, body, tokens.operator);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const row = await caseRow(c.regNo);
    expect(row).toMatchObject({ contact_phone: '+6285711112222', address: 'Jl. Kenari No. 8' });
    const ev = await stack.db.selectFrom('case_events').selectAll().where('registration_number', '=', c.regNo).where('type', '=', 'CONTACT_CORRECTED').executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ actor_username: 'operator-trust', actor_role: 'operator' });
    expect(ev.data).toEqual({
      before: { address: c.body.delivery.address, phone: '+6281234567890' },
      after: { address: 'Jl. Kenari No. 8', phone: '+6285711112222' },
      reason: 'Pemohon menelepon, nomor lama hilang',
    });
    expect((await post(`/api/tracking/${c.token}/cancellation`, { nik: c.body.subject.nik, reason: 'Sudah tidak diperlukan' })).status).toBe(200);
    await waitFor('cancelled', async () => (await caseRow(c.regNo)).status === 'CANCELLED');
    expect((await post(`/api/applications/${c.regNo}/contact-correction`, body, tokens.operator)).status).toBe(409);
    expect((await post(`/api/applications/${c.regNo}/address`, { nik: c.body.subject.nik, delivery: c.body.delivery })).status).toBe(409);
  });
});

describe('privacy notice and consent', () => {
  it('refuses a submission without privacyConsent: true (400, Indonesian) and a KIA without the guardian declaration', async () => {
    const { privacyConsent: _omit, ...noConsent } = validSubmission();
    const a = await post('/api/applications', noConsent);
    expect(a.status).toBe(400);
    expect(a.body.errors).toContainEqual({ path: 'privacyConsent', message: expect.stringMatching(/menyetujui pemberitahuan pelindungan data pribadi/) });
    const b = await post('/api/applications', { ...validSubmission(), privacyConsent: false });
    expect(b.status).toBe(400);
    const birth = `${new Date().getUTCFullYear() - 8}-03-10`;
    const { guardianDeclaration: _g, ...kia } = validSubmission({ documentType: 'KIA', birthDate: birth }) as Record<string, unknown>;
    (kia.attachments as unknown[]).push({ kind: 'PHOTO', fileName: 'foto.jpg', contentType: 'image/jpeg', contentBase64: JPEG });
    const k = await post('/api/applications', kia);
    expect(k.status).toBe(400);
    expect(k.body.errors.map((e: { path: string }) => e.path)).toEqual(['guardianDeclaration']);
    expect((await post('/api/applications', { ...kia, guardianDeclaration: true })).status).toBe(201);
  });

  it('serves the notice with its version, the DPO contact and the retention period; the case records the version', async () => {
    const n = await call(stack.baseUrl, 'GET', '/api/privacy-notice');
    expect(n.status).toBe(200);
    expect(n.body.version).toBe(PRIVACY_NOTICE_VERSION);
    const text = JSON.stringify(n.body);
    expect(text).toContain(stack.config.OFFICE_DPO_CONTACT);
    expect(text).toMatch(/Kurir ekspedisi hanya melihat/);
    expect(n.body.retentionDays).toBe(Number(RETENTION_DAYS));
    const c = await submitCase();
    expect((await caseRow(c.regNo)).privacy_notice_version).toBe(PRIVACY_NOTICE_VERSION);
  });
});

describe('retention and erasure (RETENTION_DAYS = 0.0002)', () => {
  const slaReport = async () => {
    const today = jakartaDateString(Date.now());
    const r = await call(stack.baseUrl, 'GET', `/api/reports/sla?from=${today}&to=${today}`, { token: tokens.kadis });
    expect(r.status).toBe(200);
    // `until` is the moment the report was asked for (the period ends at "now"); the rest must not move.
    const { until: _until, ...figures } = r.body as Record<string, unknown>;
    return figures;
  };

  /** A closed case (cancelled by the applicant with NIK + token). */
  async function closedCase() {
    const c = await submitCase();
    expect((await post(`/api/tracking/${c.token}/cancellation`, { nik: c.body.subject.nik, reason: 'Sudah tidak diperlukan' })).status).toBe(200);
    await waitFor('closed', async () => (await caseRow(c.regNo)).closed_at);
    return c;
  }

  it('the Schedule erases exactly the personal data of cases closed long enough ago, and the SLA report stays the same', async () => {
    const open = await submitCase();
    const c = await closedCase();
    const before = await caseRow(c.regNo);
    const attachments = await stack.db.selectFrom('attachments').selectAll().where('registration_number', '=', c.regNo).execute();
    expect(attachments.length).toBeGreaterThan(0);
    const files = createFileStore(stack.config.filesDir);
    for (const a of attachments) expect(await files.exists(a.storage_path)).toBe(true);
    const stepRunsBefore = await stack.db.selectFrom('step_runs').selectAll().where('registration_number', '=', c.regNo).orderBy('seq').execute();
    // Wait until the case is past its retention, then run the Schedule now (the scheduled time the
    // workflow sees is whole seconds: a margin of 2 s).
    await new Promise((r) => setTimeout(r, Number(RETENTION_DAYS) * 86_400_000 + 2_000));
    const reportBefore = await slaReport();
    await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).trigger();
    const erased = await waitFor('erased by the schedule', async () => {
      const r = await caseRow(c.regNo);
      return r.personal_data_erased_at ? r : null;
    }).catch(async (e: unknown) => {
      const runs = [];
      for await (const w of stack.client.workflow.list({ query: `WorkflowType = 'retentionWorkflow'` })) runs.push(`${w.workflowId} ${w.status.name} ${JSON.stringify(await stack.client.workflow.getHandle(w.workflowId).result())} ${JSON.stringify(w.searchAttributes)} closed=${JSON.stringify((await caseRow(c.regNo)).closed_at)}`);
      const desc = await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
      throw new Error(`${String(e)}; runs: ${runs.join(', ')}; schedule: ${JSON.stringify(desc.info.recentActions)}`);
    });

    expect(erased).toMatchObject({
      subject_nik: '',
      subject_name: '',
      subject_birth_date: '',
      kk_number: '',
      contact_name: '',
      contact_phone: '',
      subject_name_search: null,
      contact_name_search: null,
      address: '',
      rt: '',
      rw: '',
      village: '',
      delivery_note: null,
      // Non-personal facts stay.
      registration_number: c.regNo,
      document_type: before.document_type,
      reason: before.reason,
      status: 'CANCELLED',
      district: before.district,
      submitted_at: before.submitted_at,
      closed_at: before.closed_at,
    });
    const attachmentsAfter = await stack.db.selectFrom('attachments').selectAll().where('registration_number', '=', c.regNo).execute();
    expect(attachmentsAfter.map((a) => a.sha256).sort()).toEqual(attachments.map((a) => a.sha256).sort());
    for (const a of attachmentsAfter) expect(a).toMatchObject({ file_name: '', storage_path: '' });
    for (const a of attachments) expect(await files.exists(a.storage_path)).toBe(false);
    expect(fs.existsSync(path.join(stack.config.filesDir, 'attachments', c.regNo))).toBe(false);
    expect(await stack.db.selectFrom('step_runs').selectAll().where('registration_number', '=', c.regNo).orderBy('seq').execute()).toEqual(stepRunsBefore);
    const messages = await applicantMessages(c.regNo);
    for (const m of messages) expect(m).toMatchObject({ recipient: '', text: '' });
    const token = await stack.db.selectFrom('tracking_tokens').selectAll().where('registration_number', '=', c.regNo).executeTakeFirstOrThrow();
    expect(token.token_sealed).toBeNull();
    const log = await stack.db.selectFrom('erasure_log').selectAll().where('registration_number', '=', c.regNo).executeTakeFirstOrThrow();
    expect(log).toMatchObject({ trigger: 'RETENTION', actor_username: null, completed_at: expect.any(Date) });
    expect(log.files_deleted).toBeGreaterThan(0);
    // The SLA report is computed from the same step runs: unchanged.
    expect(await slaReport()).toEqual(reportBefore);
    // An open case is never erased, however old.
    expect((await caseRow(open.regNo)).personal_data_erased_at).toBeNull();
    // Tracking says the data was erased, by token and by number.
    const byToken = await call(stack.baseUrl, 'GET', `/api/tracking/${c.token}`);
    expect(byToken.status).toBe(410);
    expect(byToken.body.detail).toBe('Data pribadi telah dihapus sesuai masa retensi.');
    const byNumber = await post('/api/tracking', { registrationNumber: c.regNo, nik: c.body.subject.nik });
    expect(byNumber.status).toBe(410);
    // The staff detail shows no personal data any more.
    const d = await call(stack.baseUrl, 'GET', `/api/applications/${c.regNo}`, { token: tokens.kadis });
    expect(d.status).toBe(200);
    expect(d.body.subject).toMatchObject({ nik: '', name: '', age: null });
    expect(JSON.stringify(d.body)).not.toContain(c.body.subject.nik);
    expect(JSON.stringify(d.body)).not.toContain(c.body.delivery.address);
  }, 120_000);

  it('the admin erases a closed case on request with a reason (409 while open, 403 for others, idempotent)', async () => {
    const open = await submitCase();
    expect((await post(`/api/applications/${open.regNo}/erasure`, { reason: 'Permintaan pemohon melalui surat' }, tokens.admin)).status).toBe(409);
    const c = await closedCase();
    expect((await post(`/api/applications/${c.regNo}/erasure`, { reason: 'Permintaan pemohon melalui surat' }, tokens.operator)).status).toBe(403);
    const first = await post(`/api/applications/${c.regNo}/erasure`, { reason: 'Permintaan pemohon melalui surat' }, tokens.admin);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ registrationNumber: c.regNo, trigger: 'REQUEST', reason: 'Permintaan pemohon melalui surat' });
    const again = await post(`/api/applications/${c.regNo}/erasure`, { reason: 'Permintaan kedua' }, tokens.admin);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await caseRow(c.regNo)).subject_nik).toBe('');
    const events = await stack.db.selectFrom('case_events').selectAll().where('registration_number', '=', c.regNo).where('type', '=', 'PERSONAL_DATA_ERASED').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_username: stack.adminUsername, data: { trigger: 'REQUEST', reason: 'Permintaan pemohon melalui surat' } });
  });

  it('an erasure that crashed after deleting the files (or right after starting) is completed by the next run', async () => {
    const files = createFileStore(stack.config.filesDir);
    const deps = { db: stack.db, files };
    const a = await closedCase();
    const b = await closedCase();
    // An archived case: its manifest (as archiveCase writes it for completed cases) holds event data.
    const manifestPath = `archive/${a.regNo}/manifest.json`;
    const original = await files.put(manifestPath, JSON.stringify({ registrationNumber: a.regNo, events: [{ type: 'DELIVERED', data: { receivedBy: a.body.subject.name, nik: a.body.subject.nik } }] }));
    await stack.db
      .insertInto('documents')
      .values({ registration_number: a.regNo, kind: 'archive', version: 1, storage_path: manifestPath, content_type: 'application/json', sha256: original.sha256, size_bytes: original.size })
      .execute();
    const attachmentHashes = (await stack.db.selectFrom('attachments').select('sha256').where('registration_number', '=', a.regNo).execute()).map((r) => r.sha256);
    const crash = () => {
      throw new Error('simulated crash');
    };
    await expect(eraseCasePersonalData(deps, a.regNo, { trigger: 'RETENTION', reason: 'uji', actorUsername: null, at: Date.now() }, { afterFiles: crash })).rejects.toThrow('simulated crash');
    await expect(eraseCasePersonalData(deps, b.regNo, { trigger: 'RETENTION', reason: 'uji', actorUsername: null, at: Date.now() }, { afterStarted: crash })).rejects.toThrow('simulated crash');
    // Midway: a's files are gone but its row still holds the personal data; b's files are still there.
    expect(fs.existsSync(path.join(stack.config.filesDir, 'attachments', a.regNo))).toBe(false);
    expect((await caseRow(a.regNo)).subject_nik).toBe(a.body.subject.nik);
    expect(fs.existsSync(path.join(stack.config.filesDir, 'attachments', b.regNo))).toBe(true);
    const pending = await stack.db.selectFrom('erasure_log').select('registration_number').where('completed_at', 'is', null).execute();
    expect(pending.map((p) => p.registration_number).sort()).toEqual([a.regNo, b.regNo].sort());

    // The next run (retention far in the future, so only the interrupted ones are due) finishes both.
    const r = await eraseExpiredCases(deps, { at: Date.now(), retentionDays: 10_000, limit: 50 });
    expect(r.erased).toBe(2);
    for (const x of [a, b]) {
      const row = await caseRow(x.regNo);
      expect(row.personal_data_erased_at).not.toBeNull();
      expect(row.subject_nik).toBe('');
      expect(fs.existsSync(path.join(stack.config.filesDir, 'attachments', x.regNo))).toBe(false);
    }
    expect(await stack.db.selectFrom('erasure_log').select('id').where('completed_at', 'is', null).execute()).toEqual([]);
    // The archive manifest now lists hashes only, and its document row vouches for the new file.
    const manifest = (await files.read(manifestPath)).toString('utf8');
    expect(manifest).not.toContain(a.body.subject.nik);
    expect(manifest).not.toContain(a.body.subject.name);
    for (const h of attachmentHashes) expect(manifest).toContain(h);
    const archiveRow = await stack.db.selectFrom('documents').selectAll().where('registration_number', '=', a.regNo).where('kind', '=', 'archive').executeTakeFirstOrThrow();
    expect(archiveRow.sha256).toBe(createHash('sha256').update(manifest).digest('hex'));
    expect(archiveRow.storage_path).toBe(manifestPath);
    // Once more: nothing left to do, nothing changes.
    expect(await eraseExpiredCases(deps, { at: Date.now(), retentionDays: 10_000, limit: 50 })).toEqual({ erased: 0, more: false });
  });
});
