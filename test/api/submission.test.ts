/**
 * Submission and the public routes against a real database and a Temporal dev server without a
 * worker (workflows are started, not run): every rule of SPEC §3, duplicates, Idempotency-Key,
 * tracking, problem+json, limits, headers, metrics, readiness, the start sweeper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDevServerEnv } from '../helpers/temporal.js';
import { call, JPEG, nikFor, PDF, PNG, startApiHarness, validSubmission, type ApiHarness } from './harness.js';
import { jakartaDateString, MAX_JSON_BODY_BYTES } from '../../domain/citizen.js';
import { startWorkflowSweeper } from '../../api/bootstrap.js';
import { startCaseWorkflow } from '../../api/submission.js';
import { createLogger } from '../../infra/logger.js';

let env: TestWorkflowEnvironment;
let h: ApiHarness;
const logLines: string[] = [];

beforeAll(async () => {
  env = await createDevServerEnv();
  h = await startApiHarness({ temporal: env.client, logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }) });
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

const submit = (body: unknown, headers?: Record<string, string>) => call(h.baseUrl, 'POST', '/api/applications', { body, headers });

/** Age `years` today (Jakarta), birthday a few days ago. */
function birthDateForAge(years: number): string {
  const today = new Date(Date.now() - 3 * 24 * 3600_000);
  return `${today.getUTCFullYear() - years}-${String(today.getUTCMonth() + 1).padStart(2, '0')}-${String(today.getUTCDate()).padStart(2, '0')}`;
}

describe('POST /api/applications: accepted submissions', () => {
  it('answers 201 with a registration number of today (Asia/Jakarta), stores the case and starts its workflow', async () => {
    const body = validSubmission();
    const res = await submit(body);
    expect(res.status).toBe(201);
    const today = jakartaDateString(Date.now()).replace(/-/g, '');
    expect(res.body).toEqual({ registrationNumber: expect.stringMatching(new RegExp(`^BP-${today}-\\d{5}$`)), status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION' });
    const regNo = res.body.registrationNumber as string;

    const row = await h.dbh.db.selectFrom('cases').selectAll().where('registration_number', '=', regNo).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject_nik: body.subject.nik, contact_phone: '+6281234567890', district: 'Purwodadi', workflow_started: true });
    const atts = await h.dbh.db.selectFrom('attachments').selectAll().where('registration_number', '=', regNo).execute();
    expect(atts).toHaveLength(1);
    expect(atts[0]).toMatchObject({ kind: 'KK', content_type: 'application/pdf', round: 0, storage_path: `attachments/${regNo}/${atts[0]!.id}` });
    expect((await h.files.read(atts[0]!.storage_path)).subarray(0, 5).toString()).toBe('%PDF-');

    const handle = env.client.workflow.getHandle(regNo);
    const description = await handle.describe();
    expect(description.type).toBe('caseWorkflow');
    expect(description.taskQueue).toBe('becak-pintar');
    // No personal data in what Temporal stores: the start event's input, memo, search attributes, summary.
    const history = await handle.fetchHistory();
    const texts: string[] = [];
    const walk = (node: unknown) => {
      if (node instanceof Uint8Array) texts.push(Buffer.from(node).toString('utf8'));
      else if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
      else if (typeof node === 'string') texts.push(node);
    };
    walk(history);
    const stored = texts.join('\n');
    expect(stored).toContain(regNo); // positive control: payloads are decoded
    expect(stored).toContain('Purwodadi'); // the district is not personal data
    for (const secret of [body.subject.nik, body.subject.name, body.subject.kkNumber, '81234567890', body.delivery.address, 'Kuripan', body.subject.birthDate]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('gives consecutive sequence numbers on the same day', async () => {
    const a = await submit(validSubmission());
    const b = await submit(validSubmission());
    const seq = (r: string) => Number(r.slice(-5));
    expect(seq(b.body.registrationNumber) - seq(a.body.registrationNumber)).toBe(1);
  });

  it.each([
    ['a woman’s NIK (day + 40)', () => validSubmission({ female: true })],
    ['a NIK first issued outside Grobogan (3374 Semarang)', () => ({ ...validSubmission(), subject: { ...validSubmission().subject, nik: nikFor('1990-05-15', { region: '337401' }) } })],
    ['a +62 phone number', () => ({ ...validSubmission(), contact: { name: 'Ani', phone: '+62 857-1234-5678' } })],
    ['a 628 phone number', () => ({ ...validSubmission(), contact: { name: 'Ani', phone: '6285712345678' } })],
    ['a district written in lower case', () => ({ ...validSubmission(), delivery: { ...validSubmission().delivery, district: 'tawangharjo' } })],
    ['a married 16-year-old applying for a KTP-el', () => {
      const b = validSubmission({ birthDate: birthDateForAge(16) });
      return { ...b, subject: { ...b.subject, married: true } };
    }],
    ['a KIA for a 4-year-old without a photo', () => validSubmission({ documentType: 'KIA', birthDate: birthDateForAge(4) })],
    ['a KIA for a 6-year-old with a photo (PNG)', () => {
      const b = validSubmission({ documentType: 'KIA', birthDate: birthDateForAge(6) });
      return { ...b, attachments: [...b.attachments, { kind: 'PHOTO', fileName: 'foto.png', contentType: 'image/png', contentBase64: PNG }] };
    }],
    ['a DAMAGED request with the old card', () => validSubmission({ reason: 'DAMAGED' })],
    ['a LOST request with the police report', () => validSubmission({ reason: 'LOST' })],
    ['a DATA_CHANGE request with a supporting document', () => validSubmission({ reason: 'DATA_CHANGE' })],
    ['a file whose declared content type is wrong but whose content is JPEG', () => {
      const b = validSubmission();
      return { ...b, attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: JPEG }] };
    }],
    ['a data: URL attachment', () => {
      const b = validSubmission();
      return { ...b, attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: `data:application/pdf;base64,${PDF}` }] };
    }],
  ])('accepts %s', async (_name, make) => {
    const res = await submit(make());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('stores the content type found in the file, not the declared one', async () => {
    const b = validSubmission();
    const res = await submit({ ...b, attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: JPEG }] });
    const att = await h.dbh.db.selectFrom('attachments').select('content_type').where('registration_number', '=', res.body.registrationNumber).executeTakeFirstOrThrow();
    expect(att.content_type).toBe('image/jpeg');
  });
});

describe('POST /api/applications: refused submissions name the field (400 problem+json)', () => {
  const base = () => validSubmission();
  const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(2 * 1024 * 1024)]).toString('base64');
  const cases: Array<[string, () => unknown, string]> = [
    ['a NIK of 15 digits', () => ({ ...base(), subject: { ...base().subject, nik: '331501150590001' } }), 'subject.nik'],
    ['a NIK with letters', () => ({ ...base(), subject: { ...base().subject, nik: '33150115059000AB' } }), 'subject.nik'],
    ['a NIK whose date part is not a real date', () => ({ ...base(), subject: { ...base().subject, nik: '3315013102900001', birthDate: '1990-02-28' } }), 'subject.nik'],
    ['a NIK with serial 0000', () => ({ ...base(), subject: { ...base().subject, nik: '3315011505900000' } }), 'subject.nik'],
    ['a birth date different from the NIK’s', () => ({ ...base(), subject: { ...base().subject, birthDate: '1990-05-16' } }), 'subject.birthDate'],
    ['a birth date that does not exist', () => ({ ...base(), subject: { ...base().subject, birthDate: '1990-02-30' } }), 'subject.birthDate'],
    ['a KK number of 15 digits', () => ({ ...base(), subject: { ...base().subject, kkNumber: '331501010120000' } }), 'subject.kkNumber'],
    ['a KIA for a 17-year-old', () => validSubmission({ documentType: 'KIA', birthDate: birthDateForAge(17) }), 'documentType'],
    ['a KTP-el for an unmarried 16-year-old', () => validSubmission({ birthDate: birthDateForAge(16) }), 'documentType'],
    ['a DAMAGED request without the old card', () => ({ ...validSubmission({ reason: 'DAMAGED' }), attachments: base().attachments }), 'attachments'],
    ['a LOST request without the police report', () => ({ ...validSubmission({ reason: 'LOST' }), attachments: base().attachments }), 'attachments'],
    ['a DATA_CHANGE request without a supporting document', () => ({ ...validSubmission({ reason: 'DATA_CHANGE' }), attachments: base().attachments }), 'attachments'],
    ['a request without the KK', () => ({ ...validSubmission({ reason: 'DAMAGED' }), attachments: [{ kind: 'OLD_CARD', fileName: 'a.jpg', contentType: 'image/jpeg', contentBase64: JPEG }] }), 'attachments'],
    ['a KIA without the birth certificate', () => ({ ...validSubmission({ documentType: 'KIA', birthDate: birthDateForAge(3) }), attachments: base().attachments }), 'attachments'],
    ['a KIA for a 5-year-old without a photo', () => validSubmission({ documentType: 'KIA', birthDate: birthDateForAge(5) }), 'attachments'],
    ['a GIF attachment declared as JPEG', () => ({ ...base(), attachments: [{ kind: 'KK', fileName: 'kk.jpg', contentType: 'image/jpeg', contentBase64: Buffer.from('GIF89a....').toString('base64') }] }), 'attachments.0.contentBase64'],
    ['an attachment over 2 MiB', () => ({ ...base(), attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: big }] }), 'attachments.0.contentBase64'],
    ['an attachment that is not base64', () => ({ ...base(), attachments: [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: '%%%not-base64' }] }), 'attachments.0.contentBase64'],
    ['seven attachments', () => ({ ...base(), attachments: Array.from({ length: 7 }, () => base().attachments[0]) }), 'attachments'],
    ['an unknown attachment kind', () => ({ ...base(), attachments: [{ ...base().attachments[0], kind: 'SELFIE' }] }), 'attachments.0.kind'],
    ['a landline phone number', () => ({ ...base(), contact: { name: 'Ani', phone: '0292421000' } }), 'contact.phone'],
    ['a district outside Grobogan', () => ({ ...base(), delivery: { ...base().delivery, district: 'Semarang Tengah' } }), 'delivery.district'],
    ['a missing RT', () => ({ ...base(), delivery: { ...base().delivery, rt: undefined } }), 'delivery.rt'],
    ['an RW with letters', () => ({ ...base(), delivery: { ...base().delivery, rw: 'lima' } }), 'delivery.rw'],
    ['a missing village', () => ({ ...base(), delivery: { ...base().delivery, village: '' } }), 'delivery.village'],
    ['an unknown document type', () => ({ ...base(), documentType: 'SIM' }), 'documentType'],
    ['an unknown reason', () => ({ ...base(), reason: 'LUPA' }), 'reason'],
    ['a birth date in another format', () => ({ ...base(), subject: { ...base().subject, birthDate: '15-05-1990' } }), 'subject.birthDate'],
  ];
  it.each(cases)('refuses %s at %s', async (_name, make, path) => {
    const res = await submit(make());
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'https://becak-pintar.grobogan.go.id/problems/validation', status: 400, title: expect.any(String), detail: expect.any(String) });
    const paths = (res.body.errors as Array<{ path: string; message: string }>).map((e) => e.path);
    expect(paths).toContain(path);
    for (const e of res.body.errors) expect(e.message).not.toMatch(/\b(expected|invalid input|required)\b/i);
  });

  it('refuses unknown fields', async () => {
    const res = await submit({ ...base(), hobby: 'catur' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain('hobby');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications', { raw: '{"documentType": "KTP_EL",' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'https://becak-pintar.grobogan.go.id/problems/malformed-json', status: 400 });
  });

  it('answers a body over the limit derived from the attachment limits with 413 problem+json', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications', { raw: JSON.stringify({ pad: 'x'.repeat(MAX_JSON_BODY_BYTES + 1) }) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ type: 'https://becak-pintar.grobogan.go.id/problems/too-large', status: 413 });
  });

  it('answers a body that is not an object with 400', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications', { raw: '[1,2]' });
    expect(res.status).toBe(400);
  });
});

describe('duplicates and Idempotency-Key', () => {
  it('refuses a second open case for the same NIK and document type with 409 that does not name the open number', async () => {
    const body = validSubmission();
    const first = await submit(body);
    const second = await submit({ ...body, contact: { name: 'Lain', phone: '081298765432' } });
    expect(second.status).toBe(409);
    expect(second.body.registrationNumber).toBeUndefined();
    expect(JSON.stringify(second.body)).not.toContain(first.body.registrationNumber);
    expect(second.body.detail).toContain('WhatsApp');
  });

  it('lets two concurrent submissions for one NIK create exactly one case', async () => {
    const body = validSubmission();
    const answers = await Promise.all([submit(body), submit(body), submit(body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    const rows = await h.dbh.db.selectFrom('cases').select('registration_number').where('subject_nik', '=', body.subject.nik).execute();
    expect(rows).toHaveLength(1);
  });

  it('answers a retry with the same Idempotency-Key and body with the first answer, creating nothing new', async () => {
    const body = validSubmission();
    const key = `key-${Date.now()}`;
    const first = await submit(body, { 'Idempotency-Key': key });
    const again = await submit(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const rows = await h.dbh.db.selectFrom('cases').select('registration_number').where('subject_nik', '=', body.subject.nik).execute();
    expect(rows).toHaveLength(1);
  });

  it('answers concurrent retries with one Idempotency-Key with the same registration number', async () => {
    const body = validSubmission();
    const key = `key-par-${Date.now()}`;
    const answers = await Promise.all([submit(body, { 'Idempotency-Key': key }), submit(body, { 'Idempotency-Key': key })]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers[0]!.body.registrationNumber).toBe(answers[1]!.body.registrationNumber);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    const key = `key-diff-${Date.now()}`;
    await submit(validSubmission(), { 'Idempotency-Key': key });
    const other = await submit(validSubmission(), { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('https://becak-pintar.grobogan.go.id/problems/idempotency-conflict');
  });
});

describe('POST /api/tracking', () => {
  it('shows the case to the holder of its NIK: steps, current step, no personal data', async () => {
    const body = validSubmission();
    const { registrationNumber } = (await submit(body)).body;
    const res = await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber, nik: body.subject.nik } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ registrationNumber, status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION' });
    expect(res.body.steps.map((s: { key: string }) => s.key)).toEqual(['SUBMISSION', 'DOCUMENT_VERIFICATION', 'PRINT_VERIFICATION', 'APPROVAL', 'PRINTING', 'COURIER_NOTICE', 'HANDOVER', 'DONE']);
    expect(res.body.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'current', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending']);
    expect(JSON.stringify(res.body)).not.toContain(body.subject.name);
  });

  it('answers a wrong NIK exactly like an unknown registration number (404)', async () => {
    const body = validSubmission();
    const { registrationNumber } = (await submit(body)).body;
    const wrong = await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber, nik: nikFor('1990-05-15') } });
    const unknown = await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: 'BP-20200101-99999', nik: body.subject.nik } });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('validates the tracking body', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: 'nomor', nik: '12' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['nik', 'registrationNumber']);
  });
});

describe('resubmission and cancellation preconditions', () => {
  it('refuses a resubmission while the case is not awaiting one (409), and a wrong NIK with 404', async () => {
    const body = validSubmission();
    const { registrationNumber } = (await submit(body)).body;
    const attachments = [{ kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF }];
    const res = await call(h.baseUrl, 'POST', `/api/applications/${registrationNumber}/resubmission`, { body: { nik: body.subject.nik, attachments } });
    expect(res.status).toBe(409);
    const wrong = await call(h.baseUrl, 'POST', `/api/applications/${registrationNumber}/resubmission`, { body: { nik: nikFor('1980-01-01'), attachments } });
    expect(wrong.status).toBe(404);
    const cancelWrong = await call(h.baseUrl, 'POST', `/api/applications/${registrationNumber}/cancellation`, { body: { nik: nikFor('1980-01-01'), reason: 'Sudah tidak diperlukan lagi' } });
    expect(cancelWrong.status).toBe(404);
    const cancelShort = await call(h.baseUrl, 'POST', `/api/applications/${registrationNumber}/cancellation`, { body: { nik: body.subject.nik, reason: 'batal' } });
    expect(cancelShort.status).toBe(400);
    expect(cancelShort.body.errors[0].path).toBe('reason');
  });
});

describe('GET /api/verify/{regNo}', () => {
  it('answers 404 for a case without a signature, valid for a good one, invalid for a tampered one', async () => {
    const { registrationNumber } = (await submit(validSubmission())).body;
    expect((await call(h.baseUrl, 'GET', `/api/verify/${registrationNumber}`)).status).toBe(404);
    // A v1 payload (as signed before payload v2): still verifies under the v1 rules.
    const payload = JSON.stringify({ documentType: 'KTP_EL', registrationNumber, signedAt: new Date().toISOString(), signer: { name: 'Petugas kabid', role: 'kabid', username: 'kabid1' } });
    await h.dbh.db
      .insertInto('signatures')
      .values({ registration_number: registrationNumber, signer_username: 'kabid1', signer_name: 'Petugas kabid', signer_role: 'kabid', document_type: 'KTP_EL', signed_at: new Date(), payload, signature: h.signer.sign(payload), key_id: 'test-key' })
      .execute();
    const ok = await call(h.baseUrl, 'GET', `/api/verify/${registrationNumber}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, signer: { name: 'Petugas kabid', role: 'kabid' }, documentType: 'KTP_EL', signedAt: expect.any(String) });
    await h.dbh.db.updateTable('signatures').set({ payload: payload.replace('KTP_EL', 'KIA') }).where('registration_number', '=', registrationNumber).execute();
    expect((await call(h.baseUrl, 'GET', `/api/verify/${registrationNumber}`)).body.valid).toBe(false);
  });
});

describe('operations', () => {
  it('serves the SOP table with effective standard minutes', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/sop');
    expect(res.status).toBe(200);
    expect(res.body.steps).toHaveLength(8);
    expect(res.body.steps[1]).toMatchObject({ key: 'DOCUMENT_VERIFICATION', role: 'operator', standardMinutes: h.config.policy.standardMinutes.DOCUMENT_VERIFICATION });
  });

  it('answers /healthz and /readyz', async () => {
    expect((await call(h.baseUrl, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call(h.baseUrl, 'GET', '/readyz')).body).toEqual({ status: 'ok', database: 'ok', temporal: 'ok' });
  });

  it('labels metrics by route template, never by registration number', async () => {
    const { registrationNumber } = (await submit(validSubmission())).body;
    await call(h.baseUrl, 'GET', `/api/verify/${registrationNumber}`);
    const text = (await call(h.baseUrl, 'GET', '/metrics')).body as string;
    expect(text).toContain('route="/api/verify/:regNo"');
    expect(text).toContain('becak_http_request_duration_seconds');
    expect(text).not.toContain(registrationNumber);
  });

  it('sends security headers with a CSP of self only', async () => {
    const res = await fetch(`${h.baseUrl}/api/sop`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps NIKs, names and phone numbers out of the logs; logs method, route template, status and duration', async () => {
    const body = validSubmission();
    const { registrationNumber } = (await submit(body)).body;
    await call(h.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber, nik: body.subject.nik } });
    const all = logLines.join('');
    expect(all).toContain('"route":"/api/tracking"');
    expect(all).toMatch(/"method":"POST","route":"\/api\/applications","status":201,"durationMs":\d+/);
    for (const secret of [body.subject.nik, body.subject.name, '81234567890', body.delivery.address]) expect(all).not.toContain(secret);
  });
});

describe('answers 503 when a dependency is down', () => {
  it('reports /readyz 503 problem when Temporal does not answer', async () => {
    const down = await startApiHarness({ temporal: env.client, pingTemporal: async () => { throw new Error('UNAVAILABLE'); } });
    try {
      const res = await call(down.baseUrl, 'GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: 'https://becak-pintar.grobogan.go.id/problems/unavailable', database: 'ok', temporal: 'down' });
    } finally {
      await down.close();
    }
  });

  it('answers 503 (not 500) when the database is closed', async () => {
    const down = await startApiHarness({ temporal: env.client });
    try {
      await down.dbh.db.destroy();
      const res = await call(down.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: 'BP-20261123-00001', nik: '3315011505900001' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await down.close().catch(() => undefined);
    }
  });
});

describe('rate limiting of public routes', () => {
  it('answers 429 problem with Retry-After once the per-IP budget is spent', async () => {
    const limited = await startApiHarness({ temporal: env.client, env: { RATE_LIMIT_PER_MINUTE: '3' }, login: false });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof call<any>>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await call(limited.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: 'BP-20261123-00001', nik: '3315011505900001' } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.body.type).toBe('https://becak-pintar.grobogan.go.id/problems/rate-limited');
      // Health checks are not rate limited.
      expect((await call(limited.baseUrl, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('workflow start sweeper', () => {
  it('starts the workflow of a case row left with workflow_started = false', async () => {
    const body = validSubmission();
    const { registrationNumber } = (await submit(body)).body;
    // Simulate a crash between insert and start: another row, never started.
    const orphan = registrationNumber.replace(/\d{5}$/, '99990');
    const row = await h.dbh.db.selectFrom('cases').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirstOrThrow();
    await h.dbh.db
      .insertInto('cases')
      .values({ ...row, registration_number: orphan, subject_nik: nikFor('1991-01-01'), status: 'IN_PROGRESS', workflow_started: false, submitted_at: new Date(Date.now() - 60_000) })
      .execute();
    const sweeper = startWorkflowSweeper({ db: h.dbh.db, temporal: env.client, logger: createLogger({ write: () => undefined }), config: h.config, intervalMs: 3_600_000, graceMs: 1_000 });
    try {
      await sweeper.sweepOnce();
      const started = await h.dbh.db.selectFrom('cases').select('workflow_started').where('registration_number', '=', orphan).executeTakeFirstOrThrow();
      expect(started.workflow_started).toBe(true);
      expect((await env.client.workflow.getHandle(orphan).describe()).type).toBe('caseWorkflow');
    } finally {
      await sweeper.stop();
    }
  });

  it('marks a row started when its own workflow already runs (crash after start), but never adopts another submission\'s workflow under the same number', async () => {
    const { registrationNumber: reg } = (await submit(validSubmission())).body;
    const row = await h.dbh.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
    const lines: string[] = [];
    const sweeper = startWorkflowSweeper({ db: h.dbh.db, temporal: env.client, logger: createLogger({ write: (l) => lines.push(l) }), config: h.config, intervalMs: 3_600_000, graceMs: 0 });
    const setRow = (submittedAt: Date) => h.dbh.db.updateTable('cases').set({ workflow_started: false, submitted_at: submittedAt }).where('registration_number', '=', reg).execute();
    const started = async () => (await h.dbh.db.selectFrom('cases').select('workflow_started').where('registration_number', '=', reg).executeTakeFirstOrThrow()).workflow_started;
    try {
      // The start went through but the flag write was lost: its own workflow, adopted.
      await setRow(row.submitted_at);
      await sweeper.sweepOnce();
      expect(await started()).toBe(true);

      // A row of another submission under the same number (a database reset without Temporal).
      await setRow(new Date(row.submitted_at.getTime() - 86_400_000));
      await sweeper.sweepOnce();
      expect(await started()).toBe(false);
      expect(lines.some((l) => l.includes('already used by another case workflow'))).toBe(true);
      expect(lines.join('\n')).not.toContain(row.subject_nik);
    } finally {
      await sweeper.stop();
    }
  });

  it('a start decided on an earlier read of the row does not mark the row that replaced it (a sweeper pass racing a reset)', async () => {
    const { registrationNumber: reg } = (await submit(validSubmission())).body;
    const row = await h.dbh.db.selectFrom('cases').selectAll().where('registration_number', '=', reg).executeTakeFirstOrThrow();
    // The row is replaced by another submission under the same number after a pass listed it.
    await h.dbh.db
      .updateTable('cases')
      .set({ workflow_started: false, submitted_at: new Date(row.submitted_at.getTime() - 86_400_000) })
      .where('registration_number', '=', reg)
      .execute();
    // The pass goes on with what it listed: its own workflow, already started, so it would adopt it.
    const deps = { db: h.dbh.db, temporal: env.client, config: h.config, logger: createLogger({ write: () => undefined }) };
    const ok = await startCaseWorkflow(deps, { registrationNumber: reg, documentType: row.document_type, reason: row.reason, district: row.district, submittedAt: row.submitted_at });
    expect(ok).toBe(false);
    const now = await h.dbh.db.selectFrom('cases').select('workflow_started').where('registration_number', '=', reg).executeTakeFirstOrThrow();
    expect(now.workflow_started).toBe(false);
  });
});
