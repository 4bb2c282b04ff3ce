/**
 * Console sessions: the same signed token as the API's bearer token, carried by an HttpOnly,
 * SameSite=Strict cookie so that every tab of the browser shares one login (sessionStorage was
 * per tab). CSRF protection on top of SameSite: a request authenticated by the cookie that is not
 * GET/HEAD/OPTIONS must carry `X-CSRF-Token`, an HMAC of the token's id (so it is bound to this
 * session and cannot be planted by another site or subdomain). The console learns it from the
 * login answer or from GET /api/auth/me (same-origin only: no CORS is served).
 *
 * API clients and tests keep sending `Authorization: Bearer <token>`; a request carrying that
 * header is judged by it alone (no cookie, no CSRF check: a browser never adds it by itself).
 */
import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'becak_session';
export const CSRF_HEADER = 'x-csrf-token';
/** The login (and password change) answers with a cookie instead of a token in the body when asked by this header. */
export const SESSION_MODE_HEADER = 'x-session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The console asks for a cookie session with `X-Session: cookie`. */
export function wantsCookieSession(req: Request): boolean {
  return (req.get(SESSION_MODE_HEADER) ?? '').trim().toLowerCase() === 'cookie';
}

/** The session cookie's value, if any (a tiny parser: one cookie name, no dependency). */
export function readSessionCookie(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() !== SESSION_COOKIE) continue;
    const v = part.slice(i + 1).trim();
    return v.length > 0 && v.length < 4096 ? v : null;
  }
  return null;
}

function secureRequest(req: Request, publicBaseUrl: string): boolean {
  return req.secure || publicBaseUrl.startsWith('https://');
}

/**
 * A readable companion of the session cookie, holding nothing but "1": it tells a new tab that a
 * session may exist, so a console without one shows the login without asking /api/auth/me (whose
 * 401 the browser would report as a failed request on every fresh start).
 */
export const SESSION_HINT_COOKIE = 'becak_session_hint';

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, publicBaseUrl: string): void {
  const secure = secureRequest(req, publicBaseUrl);
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: expiresAt });
  res.cookie(SESSION_HINT_COOKIE, '1', { httpOnly: false, sameSite: 'strict', secure, path: '/', expires: expiresAt });
}

export function clearSessionCookie(req: Request, res: Response, publicBaseUrl: string): void {
  const secure = secureRequest(req, publicBaseUrl);
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  res.clearCookie(SESSION_HINT_COOKIE, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}

/** The CSRF token of a session: HMAC of its token id under the auth secret. */
export function csrfTokenFor(secret: Buffer, jti: string): string {
  return createHmac('sha256', secret).update(`csrf:${jti}`).digest('base64url');
}

/**
 * Answers a login or password change: with `X-Session: cookie` the token goes into the HttpOnly
 * cookie and the body carries the CSRF token instead; otherwise the token is in the body (API clients).
 */
export function sessionAnswer(
  req: Request,
  res: Response,
  issued: { token: string; expiresAt: Date; csrfToken: string },
  publicBaseUrl: string,
): { token?: string; csrfToken?: string; expiresAt: string } {
  res.setHeader('Cache-Control', 'no-store');
  const expiresAt = issued.expiresAt.toISOString();
  if (wantsCookieSession(req)) {
    setSessionCookie(req, res, issued.token, issued.expiresAt, publicBaseUrl);
    return { csrfToken: issued.csrfToken, expiresAt };
  }
  return { token: issued.token, expiresAt };
}
