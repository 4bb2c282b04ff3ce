/**
 * Inputs the API fuzzing (scripts/fuzz.sh) turned into 500s, now answered 400 with the field:
 * - a U+0000 (NUL) in any string of a request: PostgreSQL stores NUL neither in text nor (as
 *   `\u0000`) in jsonb, so the value used to reach the database and fail there;
 * - a notification id past the int4 range of its column reached the database (now 404);
 * - a list cursor that decodes to something `encodeCursor` never writes (a registration number
 *   with a NUL, a date outside the database's range) went into the keyset query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, validSubmission, type ApiHarness } from './harness.js';
import { NO_NUL_PATTERN } from '../../api/openapi.js';

// Every request here is refused before a workflow would be started or signalled.
const noTemporal = {} as Client;
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
});
afterAll(async () => {
  await h?.close();
});

const NUL = '\u0000';

function expectNulRefused(res: { status: number; headers: Headers; body: any }, path: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.errors).toContainEqual({ path, message: expect.stringContaining('NUL') });
}

describe('a NUL character in a request', () => {
  it('is refused in a submission field (the name) with 400, and nothing is stored', async () => {
    const body = validSubmission();
    body.subject.name = `Budi${NUL}Santoso`;
    expectNulRefused(await call(h.baseUrl, 'POST', '/api/applications', { body }), 'subject.name');
    const body2 = validSubmission();
    body2.attachments[0]!.fileName = `kk${NUL}.pdf`;
    expectNulRefused(await call(h.baseUrl, 'POST', '/api/applications', { body: body2 }), 'attachments.0.fileName');
    expect(await h.dbh.db.selectFrom('cases').select('registration_number').execute()).toEqual([]);
  });

  it('is refused in a login name (looked up in the database) with 400', async () => {
    expectNulRefused(await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: `admin${NUL}`, password: 'password-admin' } }), 'username');
  });

  it('is refused in staff data and a blank-stock note with 400', async () => {
    const staff = await call(h.baseUrl, 'POST', '/api/staff', {
      token: h.tokens.admin,
      body: { username: 'petugas.baru', name: `Petugas${NUL}Baru`, role: 'operator', password: 'sandi-rahasia-123' },
    });
    expectNulRefused(staff, 'name');
    const blanks = await call(h.baseUrl, 'POST', '/api/blanks', { token: h.tokens.operator, body: { documentType: 'KIA', quantity: 1, note: `stok${NUL}` } });
    expectNulRefused(blanks, 'note');
  });

  it('is refused in a staff action body (stored as jsonb) with 400', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications/BP-20261123-00001/actions/pickup', {
      token: h.tokens.ekspedisi,
      body: { courierName: `Kurir${NUL}` },
    });
    expectNulRefused(res, 'courierName');
  });

  it('is refused in a query parameter with 400', async () => {
    const res = await call(h.baseUrl, 'GET', `/api/applications?q=${encodeURIComponent(`BP-${NUL}`)}`, { token: h.tokens.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'q', message: expect.stringContaining('NUL') });
  });
});

describe('the list cursor', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('holding a registration number with a NUL (or any other text) is refused with 400, not sent to the database', async () => {
    for (const c of [
      cursor(['2026-11-23T01:00:00.000Z', `BP-20261123-00001${NUL}`]),
      cursor(['2026-11-23T01:00:00.000Z', 'bukan nomor']),
      cursor(['-271821-04-20T00:00:00.000Z', 'BP-20261123-00001']),
      cursor(['+275760-09-13T00:00:00.000Z', 'BP-20261123-00001']),
    ]) {
      const res = await call(h.baseUrl, 'GET', `/api/applications?cursor=${c}`, { token: h.tokens.admin });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'cursor', message: 'Cursor tidak valid' }]);
    }
  });

  it('that is well formed still pages', async () => {
    const res = await call(h.baseUrl, 'GET', `/api/applications?cursor=${cursor(['2026-11-23T01:00:00.000Z', 'BP-20261123-00001'])}`, { token: h.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('the OpenAPI document', () => {
  it('says of every free-text input string that it holds no NUL', async () => {
    const doc = (await call(h.baseUrl, 'GET', '/api/openapi.json')).body;
    const login = doc.components.schemas.LoginRequest.properties;
    expect(login.username.pattern).toBe(NO_NUL_PATTERN);
    expect(login.password.pattern).toBe(NO_NUL_PATTERN);
    expect(new RegExp(NO_NUL_PATTERN).test(`a${NUL}b`)).toBe(false);
    expect(new RegExp(NO_NUL_PATTERN).test('Budi Santoso')).toBe(true);
    const q = doc.paths['/api/applications'].get.parameters.find((p: any) => p.name === 'q');
    expect(q.schema.pattern).toBe(NO_NUL_PATTERN);
    // Patterns that already restrict the characters stay as they are.
    expect(doc.components.schemas.StaffCreateRequest.properties.username.pattern).toBe('^[a-z0-9._-]{3,32}$');
  });
});

describe('found by the fuzzer after the parallel branches were merged', () => {
  it('answers 404 (not 500) for a notification id past the range of its column', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/notifications/9007199254740990/resend', { token: h.tokens.operator });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('documents every field the staff list answers (the NIP included) and the 410 of an erased file', async () => {
    const doc = (await call(h.baseUrl, 'GET', '/api/openapi.json')).body;
    const listed = (await call(h.baseUrl, 'GET', '/api/staff', { token: h.tokens.admin })).body.items[0];
    // The list's own schema, through its $ref when it has one.
    const itemSchema = doc.components.schemas.StaffList.properties.items.items;
    const item = (itemSchema.$ref ? doc.components.schemas[itemSchema.$ref.split('/').pop()] : itemSchema).properties;
    expect(Object.keys(listed).sort()).toEqual(Object.keys(item).sort());
    expect(Object.keys(listed)).toContain('nip');
    expect(doc.paths['/api/applications/{regNo}/attachments/{id}'].get.responses['410']).toBeDefined();
    expect(doc.paths['/api/applications/{regNo}/documents/{kind}'].get.responses['410']).toBeDefined();
  });
});
