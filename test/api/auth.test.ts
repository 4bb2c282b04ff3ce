/**
 * Authentication and the role rules that the API enforces by itself (before any workflow is
 * asked): login, tokens (missing, forged, expired), roles per route, the 403 half of the action
 * matrix, staff administration, the first admin. No Temporal: the client here refuses every call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, type Client } from '@temporalio/client';
import { call, login, startApiHarness, type ApiHarness } from './harness.js';
import { ACTION_NAMES, ACTION_RULES, ROLES, type Role } from '../../domain/sop.js';
import { createTokenService, hashPassword, loadAuthSecretSync, verifyPassword } from '../../api/auth.js';
import { ensureAdmin } from '../../api/bootstrap.js';
import { parseConfig } from '../../infra/config.js';
import { silentLogger } from '../../infra/logger.js';
import { createTestDatabase } from '../helpers/db.js';

const noTemporal = {
  workflow: {
    getHandle: () => {
      throw new Error('Temporal must not be called in this test');
    },
    start: () => {
      throw new Error('Temporal must not be called in this test');
    },
  },
} as unknown as Client;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
});
afterAll(async () => {
  await h?.close();
});

/** A case row at DOCUMENT_VERIFICATION, inserted directly (no workflow needed for 401/403 checks). */
let nikSerial = 1;
async function insertCase(regNo: string, nik = `33150115059${String(nikSerial++).padStart(5, '0')}`) {
  const now = new Date();
  await h.dbh.db
    .insertInto('cases')
    .values({
      registration_number: regNo,
      document_type: 'KTP_EL',
      reason: 'NEW',
      status: 'IN_PROGRESS',
      current_step: 'DOCUMENT_VERIFICATION',
      subject_nik: nik,
      subject_name: 'Budi',
      subject_birth_date: '1990-05-15',
      subject_married: false,
      kk_number: '3315010101200003',
      contact_name: 'Budi',
      contact_phone: '+6281234567890',
      address: 'Jl. Mawar 1',
      rt: '001',
      rw: '002',
      village: 'Kuripan',
      district: 'Purwodadi',
      delivery_note: null,
      workflow_started: true,
      submitted_at: now,
      updated_at: now,
    })
    .execute();
}

describe('POST /api/auth/login', () => {
  it('answers a token, its expiry and the user for the right password', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'operator1', password: 'password-operator' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), expiresAt: expect.any(String), user: { username: 'operator1', role: 'operator', name: 'Petugas operator' } });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'operator1', password: 'salah-sekali' } });
    const unknown = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'nobody', password: 'salah-sekali' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses a deactivated account', async () => {
    await h.dbh.db.insertInto('staff').values({ username: 'pensiun', name: 'Pensiun', role: 'operator', password_hash: await hashPassword('password-pensiun'), phone: null, active: false }).execute();
    const res = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'pensiun', password: 'password-pensiun' } });
    expect(res.status).toBe(401);
  });
});

describe('password hashes and tokens', () => {
  it('stores scrypt with its parameters and salt, and verifies only the right password', async () => {
    const a = await hashPassword('rahasia-sekali');
    const b = await hashPassword('rahasia-sekali');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // salted
    expect(await verifyPassword('rahasia-sekali', a)).toBe(true);
    expect(await verifyPassword('rahasia-sekalI', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('generates the token secret once into data/auth-secret with mode 0600', () => {
    const file = path.join(h.config.dataDir, 'auth-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const before = fs.readFileSync(file, 'utf8');
    expect(loadAuthSecretSync(h.config).toString()).toBe(before);
  });

  it('answers 401 without a token, with a forged token and with an expired one', async () => {
    const noToken = await call(h.baseUrl, 'GET', '/api/applications');
    expect(noToken.status).toBe(401);
    expect(noToken.body.type).toBe('https://becak-pintar.grobogan.go.id/problems/unauthorized');

    const [payload, sig] = h.tokens.operator.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: 'admin1' })).toString('base64url');
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: `${forgedPayload}.${sig}` })).status).toBe(401);
    const otherSecret = createTokenService(Buffer.from('x'.repeat(48)), 60).issue({ username: 'admin1', role: 'admin', name: 'A' }).token;
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: otherSecret })).status).toBe(401);
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: 'not-a-token' })).status).toBe(401);

    const service = createTokenService(loadAuthSecretSync(h.config), h.config.TOKEN_TTL_MINUTES);
    const expired = service.issue({ username: 'admin1', role: 'admin', name: 'A' }, Date.now() - (h.config.TOKEN_TTL_MINUTES + 1) * 60_000).token;
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: expired })).status).toBe(401);
    const fresh = service.issue({ username: 'admin1', role: 'admin', name: 'A' }).token;
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: fresh })).status).toBe(200);
  });

  it('takes the role from the account, not from the token, so a changed role applies at once', async () => {
    await h.dbh.db.insertInto('staff').values({ username: 'pindah', name: 'Pindah', role: 'admin', password_hash: await hashPassword('password-pindah'), phone: null }).execute();
    const token = await login(h.baseUrl, 'pindah', 'password-pindah');
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token })).status).toBe(200);
    await h.dbh.db.updateTable('staff').set({ role: 'operator' }).where('username', '=', 'pindah').execute();
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token })).status).toBe(403);
  });
});

describe('roles per staff route (SPEC §4)', () => {
  const routes: Array<[string, string, readonly Role[]]> = [
    ['GET', '/api/tasks', ['operator', 'subkoordinator', 'kabid', 'ekspedisi']],
    ['GET', '/api/applications', ROLES],
    ['GET', '/api/forms', ROLES],
    ['GET', '/api/forms/verify-documents', ROLES],
    ['GET', '/api/blanks', ['operator', 'admin']],
    ['GET', '/api/notifications', ['admin', 'operator', 'subkoordinator', 'kabid', 'kadis']],
    ['GET', '/api/reports/sla?from=2026-11-01&to=2026-11-30', ['subkoordinator', 'kabid', 'kadis']],
    ['GET', '/api/staff', ['admin']],
    ['GET', '/api/access-log', ['admin', 'kadis']],
  ];
  for (const [method, p, allowed] of routes) {
    for (const role of ROLES) {
      const expected = allowed.includes(role) ? 200 : 403;
      it(`${method} ${p} as ${role} → ${expected}`, async () => {
        const res = await call(h.baseUrl, method, p, { token: h.tokens[role] });
        expect(res.status, JSON.stringify(res.body)).toBe(expected);
      });
    }
    it(`${method} ${p} without a token → 401`, async () => {
      expect((await call(h.baseUrl, method, p)).status).toBe(401);
    });
  }
});

describe('actions: roles that may not act get 403 before the workflow is asked', () => {
  const regNo = 'BP-20261123-07777';
  beforeAll(async () => {
    await insertCase(regNo);
  });
  const validBody: Record<string, unknown> = {
    'verify-documents': { decision: 'approve' },
    'verify-print': { decision: 'approve' },
    approve: { decision: 'approve' },
    'confirm-print': { result: 'ok' },
    pickup: { courierName: 'Slamet' },
    handover: { receivedBy: 'Budi', relationship: 'SELF' },
    'courier-notified-manually': { note: 'Ekspedisi ditelepon operator' },
    'delivery-failed': { reason: 'NOT_HOME' },
    'office-handover': { receivedBy: 'Budi', relationship: 'SELF' },
    cancel: { reason: 'Dibatalkan karena data ganda' },
  };
  for (const action of ACTION_NAMES) {
    for (const role of ROLES.filter((r) => !ACTION_RULES[action].roles.includes(r))) {
      it(`${action} as ${role} → 403`, async () => {
        const res = await call(h.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: h.tokens[role], body: validBody[action] });
        expect(res.status).toBe(403);
        expect(res.body.type).toBe('https://becak-pintar.grobogan.go.id/problems/forbidden');
      });
    }
    it(`${action} without a token → 401`, async () => {
      expect((await call(h.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { body: validBody[action] })).status).toBe(401);
    });
    it(`${action} by its role with a bad body → 400 naming the field`, async () => {
      const role = ACTION_RULES[action].roles[0]!;
      const res = await call(h.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: h.tokens[role], body: { bogus: true } });
      expect(res.status).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    });
    it(`${action} by its role on an unknown case → 404`, async () => {
      const role = ACTION_RULES[action].roles[0]!;
      const res = await call(h.baseUrl, 'POST', `/api/applications/BP-20200101-00001/actions/${action}`, { token: h.tokens[role], body: validBody[action] });
      expect(res.status).toBe(404);
    });
  }
  it('answers an unknown action with 404', async () => {
    expect((await call(h.baseUrl, 'POST', `/api/applications/${regNo}/actions/teleport`, { token: h.tokens.admin, body: {} })).status).toBe(404);
  });
  it('refuses a reject without a reason with a field error in Indonesian', async () => {
    const res = await call(h.baseUrl, 'POST', `/api/applications/${regNo}/actions/verify-documents`, { token: h.tokens.operator, body: { decision: 'reject' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'reason', message: expect.stringContaining('Alasan') }]);
  });
});

describe('GET /api/applications and the case detail (read model only)', () => {
  it('lists with filters and registration number prefixes (a NIK only through POST search), and pages with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) await insertCase(`BP-20261124-0010${i}`, `33150115059070${i}1`);
    const page1 = await call(h.baseUrl, 'GET', '/api/applications?q=BP-20261124&limit=2', { token: h.tokens.kadis });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((c: { registrationNumber: string }) => c.registrationNumber)).toHaveLength(2);
    const seen = [...page1.body.items];
    let cursor = page1.body.nextCursor as string | null;
    while (cursor) {
      const next = await call(h.baseUrl, 'GET', `/api/applications?q=BP-20261124&limit=2&cursor=${encodeURIComponent(cursor)}`, { token: h.tokens.kadis });
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(new Set(seen.map((c) => c.registrationNumber)).size).toBe(5);
    // A NIK never travels in a URL: refused here, found by POST /api/applications/search.
    expect((await call(h.baseUrl, 'GET', '/api/applications?q=3315011505907021', { token: h.tokens.kadis })).status).toBe(400);
    const byNik = await call(h.baseUrl, 'POST', '/api/applications/search', { token: h.tokens.kadis, body: { q: '3315011505907021' } });
    expect(byNik.body.items.map((c: { registrationNumber: string }) => c.registrationNumber)).toEqual(['BP-20261124-00102']);
    const partialNik = await call(h.baseUrl, 'POST', '/api/applications/search', { token: h.tokens.kadis, body: { q: '33150115059070' } });
    expect(partialNik.status).toBe(400);
    expect((await call(h.baseUrl, 'GET', '/api/applications?status=DONE', { token: h.tokens.kadis })).status).toBe(400);
    expect((await call(h.baseUrl, 'GET', '/api/applications?cursor=zzz', { token: h.tokens.kadis })).status).toBe(400);
    const filtered = await call(h.baseUrl, 'GET', '/api/applications?status=IN_PROGRESS&step=DOCUMENT_VERIFICATION&overdue=false', { token: h.tokens.kadis });
    expect(filtered.body.items.every((c: { currentStep: string }) => c.currentStep === 'DOCUMENT_VERIFICATION')).toBe(true);
  });

  it('shows the full case with steps carrying role and standard minutes from the SOP table', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/applications/BP-20261124-00100', { token: h.tokens.operator });
    expect(res.status).toBe(200);
    expect(res.body.subject).toMatchObject({ nik: '3315011505907001', name: 'Budi' });
    const step = res.body.steps.find((s: { key: string }) => s.key === 'DOCUMENT_VERIFICATION');
    expect(step).toMatchObject({ role: 'operator', standardMinutes: h.config.policy.standardMinutes.DOCUMENT_VERIFICATION, state: 'current', escalations: [] });
    expect((await call(h.baseUrl, 'GET', '/api/applications/BP-20261124-99999', { token: h.tokens.operator })).status).toBe(404);
  });

  it('lists the operator’s tasks most urgent first (overdue, then earliest due)', async () => {
    const now = Date.now();
    await h.dbh.db.updateTable('cases').set({ step_due_at: new Date(now + 60_000), overdue: false }).where('registration_number', '=', 'BP-20261124-00101').execute();
    await h.dbh.db.updateTable('cases').set({ step_due_at: new Date(now + 30_000), overdue: false }).where('registration_number', '=', 'BP-20261124-00102').execute();
    await h.dbh.db.updateTable('cases').set({ step_due_at: new Date(now - 60_000), overdue: true }).where('registration_number', '=', 'BP-20261124-00103').execute();
    const res = await call(h.baseUrl, 'GET', '/api/tasks', { token: h.tokens.operator });
    const order = res.body.items.map((c: { registrationNumber: string }) => c.registrationNumber);
    expect(order.slice(0, 3)).toEqual(['BP-20261124-00103', 'BP-20261124-00102', 'BP-20261124-00101']);
    const kabid = await call(h.baseUrl, 'GET', '/api/tasks', { token: h.tokens.kabid });
    expect(kabid.body.items).toEqual([]);
  });
});

describe('staff administration', () => {
  it('lets the admin create staff (with an optional phone) who can then log in', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/staff', { token: h.tokens.admin, body: { username: 'sari', name: 'Sari Dewi', role: 'kabid', password: 'Embun-Pagi-Kedungjati-62', phone: '0812 1111 2222' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ username: 'sari', name: 'Sari Dewi', role: 'kabid', phone: '+6281211112222' });
    expect(await login(h.baseUrl, 'sari', 'Embun-Pagi-Kedungjati-62')).toMatch(/\./);
    const list = await call(h.baseUrl, 'GET', '/api/staff', { token: h.tokens.admin });
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
    expect((await call(h.baseUrl, 'POST', '/api/staff', { token: h.tokens.admin, body: { username: 'sari', name: 'Sari', role: 'kabid', password: 'Embun-Pagi-Kedungjati-62' } })).status).toBe(409);
  });
  it('refuses a common password, one built from the username or the name, with the reason in Indonesian', async () => {
    const cases: Array<[string, RegExp]> = [
      ['password123456', /terlalu umum/],
      ['qwertyuiop1234', /terlalu umum/],
      ['tono.w-2026-tono.w', /nama pengguna/],
      ['wibowo-wibowo-77', /nama petugas/],
    ];
    for (const [password, reason] of cases) {
      const res = await call(h.baseUrl, 'POST', '/api/staff', { token: h.tokens.admin, body: { username: 'tono.w', name: 'Tono Wibowo', role: 'operator', password } });
      expect(res.status, password).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'password', message: expect.stringMatching(reason) }]);
    }
    expect((await call(h.baseUrl, 'GET', '/api/staff', { token: h.tokens.admin })).body.items.map((s: { username: string }) => s.username)).not.toContain('tono.w');
  });
  it('refuses a short password, an unknown role and a bad phone with field errors', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/staff', { token: h.tokens.admin, body: { username: 'x', name: 'X', role: 'raja', password: 'pendek' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'password', 'role', 'username']);
    const phone = await call(h.baseUrl, 'POST', '/api/staff', { token: h.tokens.admin, body: { username: 'yani', name: 'Yani', role: 'operator', password: 'Embun-Pagi-Kedungjati-62', phone: '021555' } });
    expect(phone.body.errors).toEqual([{ path: 'phone', message: expect.any(String) }]);
  });
});

describe('ensureAdmin', () => {
  it('creates the first admin with a generated password written once to a 0600 file, then does nothing', async () => {
    const dbh = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-admin-'));
    try {
      const config = parseConfig({ DATA_DIR: dataDir, ADMIN_USERNAME: 'kepala' });
      const first = await ensureAdmin(dbh.db, config, silentLogger);
      expect(first).toMatchObject({ created: true, username: 'kepala', generatedPassword: expect.any(String) });
      const file = path.join(dataDir, 'initial-admin-password.txt');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8')).toContain(first.generatedPassword!);
      const row = await dbh.db.selectFrom('staff').selectAll().where('username', '=', 'kepala').executeTakeFirstOrThrow();
      expect(row.role).toBe('admin');
      expect(await verifyPassword(first.generatedPassword!, row.password_hash)).toBe(true);
      expect(await ensureAdmin(dbh.db, config, silentLogger)).toEqual({ created: false, username: 'kepala' });
    } finally {
      await dbh.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('uses ADMIN_PASSWORD when set and writes no file', async () => {
    const dbh = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-admin-'));
    try {
      const config = parseConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'sandi-admin-panjang' });
      expect(await ensureAdmin(dbh.db, config, silentLogger)).toEqual({ created: true, username: 'admin' });
      expect(fs.existsSync(path.join(dataDir, 'initial-admin-password.txt'))).toBe(false);
    } finally {
      await dbh.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Temporal unreachable', () => {
  const unavailable = () => new ServiceError('14 UNAVAILABLE: No connection established', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 14 }) });
  const downTemporal = {
    workflow: {
      getHandle: () => ({
        query: async () => {
          throw unavailable();
        },
        executeUpdate: async () => {
          throw unavailable();
        },
      }),
      start: async () => {
        throw unavailable();
      },
    },
  } as unknown as Client;

  it('answers a staff action with 503 problem+json, and still records a submission for the sweeper (201)', async () => {
    const down = await startApiHarness({ temporal: downTemporal });
    try {
      const regNo = 'BP-20261123-05555';
      const now = new Date();
      await down.dbh.db
        .insertInto('cases')
        .values({
          registration_number: regNo, document_type: 'KTP_EL', reason: 'NEW', status: 'IN_PROGRESS', current_step: 'DOCUMENT_VERIFICATION',
          subject_nik: '3315011505905555', subject_name: 'Budi', subject_birth_date: '1990-05-15', subject_married: false, kk_number: '3315010101200003',
          contact_name: 'Budi', contact_phone: '+6281234567890', address: 'Jl. Mawar 1', rt: '001', rw: '002', village: 'Kuripan', district: 'Purwodadi',
          delivery_note: null, workflow_started: true, submitted_at: now, updated_at: now,
        })
        .execute();
      const res = await call(down.baseUrl, 'POST', `/api/applications/${regNo}/actions/verify-documents`, { token: down.tokens.operator, body: { decision: 'approve' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.type).toBe('https://becak-pintar.grobogan.go.id/problems/unavailable');

      const { validSubmission } = await import('./harness.js');
      const submitted = await call(down.baseUrl, 'POST', '/api/applications', { body: validSubmission() });
      expect(submitted.status).toBe(201);
      const row = await down.dbh.db.selectFrom('cases').select('workflow_started').where('registration_number', '=', submitted.body.registrationNumber).executeTakeFirstOrThrow();
      expect(row.workflow_started).toBe(false);
    } finally {
      await down.close();
    }
  });
});
