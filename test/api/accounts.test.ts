/**
 * Accounts (issue #11 item 4, SPEC §4 and §9): PATCH staff, password reset and the forced change,
 * changing one's own password, logout, token revocation that lives in the database (checked
 * through a second API app on the same database), the per-account login lockout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, login, startApiHarness, testSigner, type ApiHarness } from './harness.js';
import { createApp } from '../../api/app.js';
import { createHmac } from 'node:crypto';
import { hashPassword, loadAuthSecretSync } from '../../api/auth.js';
import { ensureAdmin } from '../../api/bootstrap.js';
import { parseConfig } from '../../infra/config.js';
import { silentLogger } from '../../infra/logger.js';
import { createFileStore } from '../../infra/files.js';
import { createTestDatabase } from '../helpers/db.js';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Role } from '../../domain/sop.js';

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

/** A second API app (as a second process would be) over the same database and DATA_DIR. */
async function secondApp(h: { dbh: DatabaseHandle; config: ApiHarness['config'] }): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = createApp({
    config: h.config,
    db: h.dbh.db,
    pingDatabase: () => h.dbh.ping(),
    temporal: noTemporal,
    pingTemporal: async () => undefined,
    files: createFileStore(h.config.filesDir),
    signer: testSigner(),
    logger: silentLogger,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let h: ApiHarness;
let b: { baseUrl: string; close(): Promise<void> };
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
  b = await secondApp(h);
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const PASSWORD = 'Lintang-Kemukus-Sawah-41';
async function addStaff(username: string, role: Role, name = 'Wulan Ayu'): Promise<void> {
  await h.dbh.db.insertInto('staff').values({ username, name, role, password_hash: await hashPassword(PASSWORD), phone: null }).execute();
}
const me = (baseUrl: string, token: string) => call(baseUrl, 'GET', '/api/auth/me', { token });
const list = (baseUrl: string, token: string) => call(baseUrl, 'GET', '/api/applications', { token });

describe('PATCH /api/staff/{username}', () => {
  it('deactivating revokes the account’s tokens at once in both API apps, refuses its login, and reactivating lets it log in again', async () => {
    await addStaff('keluar1', 'operator');
    const tokenA = await login(h.baseUrl, 'keluar1', PASSWORD);
    const tokenB = await login(b.baseUrl, 'keluar1', PASSWORD);
    expect((await list(h.baseUrl, tokenA)).status).toBe(200);
    expect((await list(b.baseUrl, tokenB)).status).toBe(200);

    const res = await call(b.baseUrl, 'PATCH', '/api/staff/keluar1', { token: h.tokens.admin, body: { active: false } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'keluar1', active: false });

    for (const [url, token] of [[h.baseUrl, tokenA], [b.baseUrl, tokenA], [h.baseUrl, tokenB], [b.baseUrl, tokenB]] as const) {
      expect((await list(url, token)).status).toBe(401);
    }
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'keluar1', password: PASSWORD } })).status).toBe(401);

    expect((await call(h.baseUrl, 'PATCH', '/api/staff/keluar1', { token: h.tokens.admin, body: { active: true } })).status).toBe(200);
    // A reactivated account needs a new login: the old tokens stay revoked.
    expect((await list(h.baseUrl, tokenA)).status).toBe(401);
    expect((await list(b.baseUrl, await login(b.baseUrl, 'keluar1', PASSWORD))).status).toBe(200);
  });

  it('changing the role revokes the old tokens in both apps (401, not merely 403); a new login carries the new role', async () => {
    await addStaff('pindah1', 'admin');
    const tokenA = await login(h.baseUrl, 'pindah1', PASSWORD);
    const tokenB = await login(b.baseUrl, 'pindah1', PASSWORD);
    const res = await call(h.baseUrl, 'PATCH', '/api/staff/pindah1', { token: h.tokens.admin, body: { role: 'kabid' } });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('kabid');
    expect((await me(b.baseUrl, tokenA)).status).toBe(401);
    expect((await me(h.baseUrl, tokenB)).status).toBe(401);
    const fresh = await login(h.baseUrl, 'pindah1', PASSWORD);
    expect((await me(b.baseUrl, fresh)).body).toMatchObject({ username: 'pindah1', role: 'kabid' });
  });

  it('changes name and phone (stored as +62…) without revoking tokens; clears the phone with null', async () => {
    await addStaff('ubah1', 'operator');
    const token = await login(h.baseUrl, 'ubah1', PASSWORD);
    const res = await call(h.baseUrl, 'PATCH', '/api/staff/ubah1', { token: h.tokens.admin, body: { name: 'Wulan Sari', phone: '0812-3456-7890' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: 'ubah1', name: 'Wulan Sari', role: 'operator', phone: '+6281234567890', nip: null, active: true, mustChangePassword: false, createdAt: expect.any(String) });
    expect((await me(b.baseUrl, token)).body.name).toBe('Wulan Sari');
    const listed = await call(h.baseUrl, 'GET', '/api/staff', { token: h.tokens.admin });
    expect(listed.body.items.find((s: { username: string }) => s.username === 'ubah1').phone).toBe('+6281234567890');
    expect((await call(h.baseUrl, 'PATCH', '/api/staff/ubah1', { token: h.tokens.admin, body: { phone: null } })).body.phone).toBeNull();
  });

  it('sets the NIP the TTE signs with (18 digits; 400 in Indonesian otherwise) and clears it with null', async () => {
    await addStaff('nip1', 'kabid');
    const set = await call(h.baseUrl, 'PATCH', '/api/staff/nip1', { token: h.tokens.admin, body: { nip: '198705122010011003' } });
    expect(set.status).toBe(200);
    expect(set.body.nip).toBe('198705122010011003');
    expect((await h.dbh.db.selectFrom('staff').select('nip').where('username', '=', 'nip1').executeTakeFirstOrThrow()).nip).toBe('198705122010011003');
    const bad = await call(h.baseUrl, 'PATCH', '/api/staff/nip1', { token: h.tokens.admin, body: { nip: '1987-05' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'nip', message: 'NIP terdiri atas 18 angka' }]);
    expect((await call(h.baseUrl, 'PATCH', '/api/staff/nip1', { token: h.tokens.admin, body: { nip: null } })).body.nip).toBeNull();
  });

  it('answers 400 for a bad phone, an unknown field or an empty body, 404 for an unknown account, 403 for other roles', async () => {
    const bad = await call(h.baseUrl, 'PATCH', '/api/staff/operator1', { token: h.tokens.admin, body: { phone: '021555' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'phone', message: expect.stringContaining('Nomor HP') }]);
    expect((await call(h.baseUrl, 'PATCH', '/api/staff/operator1', { token: h.tokens.admin, body: { password: 'x' } })).status).toBe(400);
    expect((await call(h.baseUrl, 'PATCH', '/api/staff/operator1', { token: h.tokens.admin, body: {} })).status).toBe(400);
    expect((await call(h.baseUrl, 'PATCH', '/api/staff/tidakada', { token: h.tokens.admin, body: { name: 'Siapa' } })).status).toBe(404);
    for (const role of ['operator', 'kadis', 'ekspedisi'] as const) {
      expect((await call(h.baseUrl, 'PATCH', '/api/staff/operator1', { token: h.tokens[role], body: { active: false } })).status).toBe(403);
    }
  });

  it('refuses with 409 to deactivate or demote the last active admin', async () => {
    const other = await startApiHarness({ temporal: noTemporal });
    try {
      // In this fresh harness admin1 is the only admin.
      const off = await call(other.baseUrl, 'PATCH', '/api/staff/admin1', { token: other.tokens.admin, body: { active: false } });
      expect(off.status).toBe(409);
      expect(off.body.detail).toContain('admin aktif');
      expect((await call(other.baseUrl, 'PATCH', '/api/staff/admin1', { token: other.tokens.admin, body: { role: 'kadis' } })).status).toBe(409);
      expect((await me(other.baseUrl, other.tokens.admin)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('password reset and the forced change', () => {
  it('gives a temporary password once, revokes old tokens, and until it is changed every route but me/password/logout answers 403 in Indonesian', async () => {
    await addStaff('lupa1', 'operator');
    const old = await login(h.baseUrl, 'lupa1', PASSWORD);
    const reset = await call(h.baseUrl, 'POST', '/api/staff/lupa1/password-reset', { token: h.tokens.admin });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    expect(reset.body).toEqual({ username: 'lupa1', temporaryPassword: expect.stringMatching(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/), mustChangePassword: true });
    expect((await me(b.baseUrl, old)).status).toBe(401);
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'lupa1', password: PASSWORD } })).status).toBe(401);

    const temp = reset.body.temporaryPassword as string;
    const signIn = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'lupa1', password: temp } });
    expect(signIn.status).toBe(200);
    expect(signIn.body.mustChangePassword).toBe(true);
    const token = signIn.body.token as string;

    for (const [method, p] of [['GET', '/api/applications'], ['GET', '/api/tasks'], ['GET', '/api/forms'], ['GET', '/api/blanks']]) {
      for (const url of [h.baseUrl, b.baseUrl]) {
        const res = await call(url, method!, p!, { token });
        expect(res.status, `${method} ${p}`).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ reason: 'password_change_required', detail: expect.stringContaining('mengganti kata sandi') });
      }
    }
    expect((await me(h.baseUrl, token)).body).toMatchObject({ username: 'lupa1', mustChangePassword: true });

    const changed = await call(b.baseUrl, 'POST', '/api/auth/password', { token, body: { currentPassword: temp, newPassword: 'Gunung-Kendeng-Mendung-73' } });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect((await list(h.baseUrl, changed.body.token)).status).toBe(200);
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'lupa1', password: 'Gunung-Kendeng-Mendung-73' } })).body.mustChangePassword).toBe(false);
  });

  it('unlocks an account locked by failed logins', async () => {
    await addStaff('kunci2', 'operator');
    for (let i = 0; i < 10; i++) await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'kunci2', password: 'salah-salah-salah' } });
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'kunci2', password: PASSWORD } })).status).toBe(429);
    const reset = await call(h.baseUrl, 'POST', '/api/staff/kunci2/password-reset', { token: h.tokens.admin });
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'kunci2', password: reset.body.temporaryPassword } })).status).toBe(200);
  });

  it('is for the admin only, and answers 404 for an unknown account', async () => {
    expect((await call(h.baseUrl, 'POST', '/api/staff/operator1/password-reset', { token: h.tokens.kadis })).status).toBe(403);
    expect((await call(h.baseUrl, 'POST', '/api/staff/tidakada/password-reset', { token: h.tokens.admin })).status).toBe(404);
  });
});

describe('POST /api/auth/password', () => {
  it('revokes the account’s other tokens (also in the other app) and the request’s own; the answer’s new token works', async () => {
    await addStaff('ganti1', 'kadis');
    const here = await login(h.baseUrl, 'ganti1', PASSWORD);
    const elsewhere = await login(b.baseUrl, 'ganti1', PASSWORD);
    const res = await call(h.baseUrl, 'POST', '/api/auth/password', { token: here, body: { currentPassword: PASSWORD, newPassword: 'Wayang-Kulit-Semarang-58' } });
    expect(res.status).toBe(200);
    expect((await me(b.baseUrl, elsewhere)).status).toBe(401);
    expect((await me(h.baseUrl, here)).status).toBe(401);
    expect((await me(b.baseUrl, res.body.token)).status).toBe(200);
    expect((await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'ganti1', password: PASSWORD } })).status).toBe(401);
    await login(h.baseUrl, 'ganti1', 'Wayang-Kulit-Semarang-58');
  });

  it('refuses a wrong current password, the same password, and a weak new one with the reason in Indonesian', async () => {
    await addStaff('ganti2', 'operator', 'Sekar Melati');
    const token = await login(h.baseUrl, 'ganti2', PASSWORD);
    const wrong = await call(h.baseUrl, 'POST', '/api/auth/password', { token, body: { currentPassword: 'bukan-ini-sandinya', newPassword: 'Wayang-Kulit-Semarang-58' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'currentPassword', message: 'Kata sandi saat ini salah.' }]);
    const same = await call(h.baseUrl, 'POST', '/api/auth/password', { token, body: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expect(same.body.errors[0]).toMatchObject({ path: 'newPassword', message: expect.stringContaining('berbeda') });
    const cases: Array<[string, RegExp]> = [
      ['pendek123', /minimal 12 karakter/],
      ['password12345', /terlalu umum/],
      ['ganti2-2026-ganti2', /nama pengguna/],
      ['melati-melati-2026', /nama petugas/],
    ];
    for (const [newPassword, reason] of cases) {
      const res = await call(h.baseUrl, 'POST', '/api/auth/password', { token, body: { currentPassword: PASSWORD, newPassword } });
      expect(res.status, newPassword).toBe(400);
      expect(res.body.errors[0].path).toBe('newPassword');
      expect(res.body.errors[0].message, newPassword).toMatch(reason);
    }
    // Nothing was changed: the token still works.
    expect((await me(h.baseUrl, token)).status).toBe(200);
  });
});

describe('tokens', () => {
  it('refuses a correctly signed token without id or version (issued before revocation existed): it cannot be revoked, so it must log in again', async () => {
    const secret = loadAuthSecretSync(h.config);
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(JSON.stringify({ sub: 'admin1', role: 'admin', name: 'A', iat: now, exp: now + 600 })).toString('base64url');
    const legacy = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    expect((await me(h.baseUrl, legacy)).status).toBe(401);
    // The same claims with an id and the account's version are accepted: only the missing fields made the difference.
    const withId = Buffer.from(JSON.stringify({ sub: 'admin1', role: 'admin', name: 'A', iat: now, exp: now + 600, jti: 'x'.repeat(22), ver: 0 })).toString('base64url');
    expect((await me(h.baseUrl, `${withId}.${createHmac('sha256', secret).update(withId).digest('base64url')}`)).status).toBe(200);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes this token in both apps and leaves the account’s other sessions working', async () => {
    await addStaff('pulang1', 'ekspedisi');
    const t1 = await login(h.baseUrl, 'pulang1', PASSWORD);
    const t2 = await login(h.baseUrl, 'pulang1', PASSWORD);
    const res = await call(b.baseUrl, 'POST', '/api/auth/logout', { token: t1 });
    expect(res.status).toBe(204);
    expect((await me(h.baseUrl, t1)).status).toBe(401);
    expect((await me(b.baseUrl, t1)).status).toBe(401);
    expect((await call(h.baseUrl, 'POST', '/api/auth/logout', { token: t1 })).status).toBe(401);
    expect((await me(b.baseUrl, t2)).status).toBe(200);
  });
});

describe('per-account login lockout', () => {
  const attempt = (url: string, username: string, password: string, ip: string) =>
    call(url, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

  it('after 10 failures in 15 minutes answers 429 with Retry-After for 15 minutes, even with the right password, from any X-Forwarded-For and in the other app', async () => {
    await addStaff('target1', 'admin');
    for (let i = 0; i < 10; i++) {
      const res = await attempt(i % 2 ? h.baseUrl : b.baseUrl, 'target1', `tebakan-ke-${i}`, `203.0.113.${i + 1}`);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    for (const url of [h.baseUrl, b.baseUrl]) {
      const res = await attempt(url, 'target1', PASSWORD, '198.51.100.77');
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const retry = Number(res.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(14 * 60);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      expect(res.body.detail).toContain('dikunci');
    }
    // Other accounts are not affected.
    expect((await attempt(h.baseUrl, 'operator1', 'password-operator', '198.51.100.77')).status).toBe(200);
    // Once the 15 minutes have passed, the right password works again.
    await h.dbh.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1000), window_started_at: new Date(Date.now() - 31 * 60_000) }).where('username', '=', 'target1').execute();
    expect((await attempt(h.baseUrl, 'target1', PASSWORD, '198.51.100.77')).status).toBe(200);
  });

  it('a successful login resets the count', async () => {
    await addStaff('target2', 'operator');
    for (let i = 0; i < 9; i++) expect((await attempt(h.baseUrl, 'target2', 'salah-lagi-salah', '203.0.113.9')).status).toBe(401);
    expect((await attempt(h.baseUrl, 'target2', PASSWORD, '203.0.113.9')).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await attempt(h.baseUrl, 'target2', 'salah-lagi-salah', '203.0.113.9')).status).toBe(401);
    expect((await attempt(h.baseUrl, 'target2', PASSWORD, '203.0.113.9')).status).toBe(200);
  });

  it('locks an unknown username the same way, so the lockout does not reveal which accounts exist', async () => {
    for (let i = 0; i < 10; i++) await attempt(h.baseUrl, 'hantu', `tebakan-${i}`, '203.0.113.50');
    expect((await attempt(h.baseUrl, 'hantu', 'apa-saja-apa-saja', '203.0.113.50')).status).toBe(429);
  });
});

describe('the generated first admin', () => {
  it('must change the password at first login, and the saved password file is deleted then', async () => {
    const dbh = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-admin-'));
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000' });
    const app = await secondApp({ dbh, config });
    try {
      const first = await ensureAdmin(dbh.db, config, silentLogger);
      const file = path.join(dataDir, 'initial-admin-password.txt');
      expect(fs.existsSync(file)).toBe(true);
      const signIn = await call(app.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: first.generatedPassword } });
      expect(signIn.body.mustChangePassword).toBe(true);
      expect((await call(app.baseUrl, 'GET', '/api/staff', { token: signIn.body.token })).status).toBe(403);
      const changed = await call(app.baseUrl, 'POST', '/api/auth/password', {
        token: signIn.body.token,
        body: { currentPassword: first.generatedPassword, newPassword: 'Kantor-Dukcapil-Grobogan-Baru-9' },
      });
      expect(changed.status).toBe(200);
      expect(fs.existsSync(file)).toBe(false);
      expect((await call(app.baseUrl, 'GET', '/api/staff', { token: changed.body.token })).status).toBe(200);
    } finally {
      await app.close();
      await dbh.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
