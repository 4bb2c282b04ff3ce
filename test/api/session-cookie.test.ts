/**
 * Console sessions: login with `X-Session: cookie` sets an HttpOnly SameSite=Strict cookie (no
 * token in the body); the cookie authenticates reads everywhere (one login for every tab), and
 * changes only with the session's CSRF token in X-CSRF-Token; logout revokes and clears it; a
 * password change replaces it. Bearer tokens keep working for API clients without any CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, login, startApiHarness, type ApiHarness } from './harness.js';

const noTemporal = {} as unknown as Client;
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal, login: false });
});
afterAll(async () => {
  await h?.close();
});

async function cookieLogin(username: string, password: string) {
  const res = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-session': 'cookie' } });
  expect(res.status).toBe(200);
  const setCookies = res.headers.getSetCookie();
  // The session cookie and its readable hint (which holds only "1"; api/auth/session.ts).
  expect(setCookies).toHaveLength(2);
  const setCookie = setCookies.find((c) => c.startsWith('becak_session='))!;
  const hint = setCookies.find((c) => c.startsWith('becak_session_hint='))!;
  expect(hint).toMatch(/^becak_session_hint=1;/);
  expect(hint).not.toMatch(/HttpOnly/i);
  expect(hint).toMatch(/;\s*SameSite=Strict/i);
  const cookie = setCookie.split(';')[0]!;
  return { res, setCookie, cookie, csrf: res.body.csrfToken as string };
}

describe('cookie session (console)', () => {
  it('login with X-Session: cookie sets an HttpOnly SameSite=Strict cookie and answers a CSRF token instead of the token', async () => {
    const { res, setCookie, cookie, csrf } = await cookieLogin('operator1', 'password-operator');
    expect(setCookie).toMatch(/^becak_session=[^;]+/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).toMatch(/;\s*Expires=/i);
    expect(res.body.token).toBeUndefined();
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookie.split('=')[1]).not.toContain(csrf);
    expect(res.body.user).toMatchObject({ username: 'operator1', role: 'operator' });
  });

  it('the cookie alone authenticates a read (another tab) and /api/auth/me tells that tab the CSRF token and the expiry', async () => {
    const { cookie, csrf, res } = await cookieLogin('operator1', 'password-operator');
    const me = await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'operator1', csrfToken: csrf, expiresAt: res.body.expiresAt });
    expect((await call(h.baseUrl, 'GET', '/api/tasks', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a change by cookie without the CSRF token, or with another session’s, with 403 reason csrf', async () => {
    const a = await cookieLogin('operator1', 'password-operator');
    const b = await cookieLogin('operator1', 'password-operator');
    const none = await call(h.baseUrl, 'POST', '/api/auth/logout', { headers: { cookie: a.cookie } });
    expect(none.status).toBe(403);
    expect(none.body.reason).toBe('csrf');
    const other = await call(h.baseUrl, 'POST', '/api/auth/logout', { headers: { cookie: a.cookie, 'x-csrf-token': b.csrf } });
    expect(other.status).toBe(403);
    expect(other.body.reason).toBe('csrf');
    // Not logged out by the refused requests.
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie: a.cookie } })).status).toBe(200);
  });

  it('logout with the CSRF token revokes the session on the server and clears the cookie', async () => {
    const { cookie, csrf } = await cookieLogin('operator1', 'password-operator');
    const out = await call(h.baseUrl, 'POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join('\n')).toMatch(/becak_session=;.*Expires=Thu, 01 Jan 1970/i);
    // A copy of the cookie kept elsewhere is dead too.
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('a password change by cookie replaces the cookie; the old cookie stops working', async () => {
    const { cookie, csrf } = await cookieLogin('kabid1', 'password-kabid');
    const res = await call(h.baseUrl, 'POST', '/api/auth/password', {
      headers: { cookie, 'x-csrf-token': csrf },
      body: { currentPassword: 'password-kabid', newPassword: 'Kunci-Lumbung-Padi-2026' },
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toBeUndefined();
    const fresh = res.headers.getSetCookie().find((c) => c.startsWith('becak_session='))!.split(';')[0]!;
    expect(fresh).not.toBe(cookie);
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
    const me = await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { cookie: fresh } });
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
  });
});

describe('bearer tokens (API clients, tests)', () => {
  it('login without X-Session answers the token in the body and sets no cookie', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin1', password: 'password-admin' } });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('a Bearer request changes things without a CSRF token, and a Bearer header is judged alone (a cookie does not rescue a bad one)', async () => {
    const token = await login(h.baseUrl, 'operator1', 'password-operator');
    const { cookie } = await cookieLogin('operator1', 'password-operator');
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { token })).body.csrfToken).toBeUndefined();
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { headers: { authorization: 'Bearer forged.token', cookie } })).status).toBe(401);
    expect((await call(h.baseUrl, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await call(h.baseUrl, 'GET', '/api/auth/me', { token })).status).toBe(401);
  });
});
