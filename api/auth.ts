/**
 * Staff authentication: scrypt password hashes (memory-hard; salt and parameters inside the
 * stored string) and signed expiring tokens (HMAC-SHA256 over a JSON payload).
 */
import { createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import { ROLE_LABELS, type Role } from '../domain/sop.js';
import { findStaffForToken } from '../db/repositories/staff.js';
import { ApiError } from './errors.js';
import { CSRF_HEADER, csrfTokenFor, isSafeMethod, readSessionCookie } from './auth/session.js';

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

// N=2^15, r=8: 32 MiB per hash; slow enough for guessing, fast enough for a login.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: maxmem(SCRYPT.N, SCRYPT.r) });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/**
 * The token secret: AUTH_SECRET, or one generated once into `${dataDir}/auth-secret` (mode 0600).
 * Synchronous: read once while the app is built.
 */
export function loadAuthSecretSync(config: Readonly<Config>): Buffer {
  if (config.AUTH_SECRET) return Buffer.from(config.AUTH_SECRET, 'utf8');
  const file = path.join(config.dataDir, 'auth-secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx': of two processes starting together, one creates it and both read the same secret.
    fs.writeFileSync(file, randomBytes(48).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file}: secret too short`);
  return Buffer.from(secret, 'utf8');
}

export interface TokenPayload {
  sub: string;
  role: Role;
  name: string;
  /** epoch seconds */
  iat: number;
  exp: number;
  /** Random token id: a logout records its hash in revoked_tokens. */
  jti: string;
  /** The account's token_version at issue; a bump (deactivation, role or password change) revokes it. */
  ver: number;
}

export interface TokenService {
  issue(user: { username: string; role: Role; name: string; tokenVersion?: number }, nowMs?: number): { token: string; expiresAt: Date; csrfToken: string };
  verify(token: string, nowMs?: number): TokenPayload | null;
  /** The CSRF token of the session with this token id (cookie sessions; see api/auth/session.ts). */
  csrfFor(jti: string): string;
}

/** What revoked_tokens stores for a token id (never the id itself). */
export function tokenIdHash(jti: string): string {
  return createHash('sha256').update(jti).digest('hex');
}

export function createTokenService(secret: Buffer, ttlMinutes: number): TokenService {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    issue(user, nowMs = Date.now()) {
      const iat = Math.floor(nowMs / 1000);
      const payload: TokenPayload = {
        sub: user.username,
        role: user.role,
        name: user.name,
        iat,
        exp: iat + ttlMinutes * 60,
        jti: randomBytes(16).toString('base64url'),
        ver: user.tokenVersion ?? 0,
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return { token: `${body}.${mac(body).toString('base64url')}`, expiresAt: new Date(payload.exp * 1000), csrfToken: csrfTokenFor(secret, payload.jti) };
    },
    verify(token, nowMs = Date.now()) {
      const [body, sig, extra] = token.split('.');
      if (!body || !sig || extra !== undefined) return null;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let payload: TokenPayload;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
      } catch {
        return null;
      }
      if (typeof payload !== 'object' || payload === null) return null;
      if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs || typeof payload.sub !== 'string') return null;
      // Tokens from before revocation existed carry no id or version: they must log in again.
      if (typeof payload.jti !== 'string' || payload.jti.length < 16 || !Number.isInteger(payload.ver)) return null;
      return payload;
    },
    csrfFor: (jti) => csrfTokenFor(secret, jti),
  };
}

export interface AuthUser {
  username: string;
  name: string;
  role: Role;
  /** true until the account has replaced a reset (or generated) password. */
  mustChangePassword: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
    /** The token this request came with (for logout): hash of its id, expiry, how it came, its CSRF token. */
    authToken?: { idHash: string; expiresAt: Date; via: 'bearer' | 'cookie'; csrfToken: string };
  }
}

export const PASSWORD_CHANGE_REQUIRED_DETAIL = 'Anda harus mengganti kata sandi terlebih dahulu sebelum dapat memakai layanan ini.';

/**
 * Requires a valid token of an active staff member whose role is one of `roles`. Everything is
 * read from the database on every request, so that deactivation, a role change, a password
 * change or reset (token_version) and a logout (revoked_tokens) take effect at once, in every
 * API process. An account that must change its password gets 403 everywhere except on the
 * routes that pass `allowPendingPasswordChange` (me, change password, logout).
 */
export function requireRole(
  db: Kysely<Database>,
  tokens: TokenService,
  roles: readonly Role[] | 'any',
  opts: { allowPendingPasswordChange?: boolean } = {},
): RequestHandler {
  return async (req, _res, next) => {
    // A Bearer header (API clients) wins; otherwise the console's HttpOnly session cookie.
    const header = req.get('authorization');
    const m = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    const cookie = header === undefined ? readSessionCookie(req) : null;
    const raw = m?.[1] ?? cookie;
    if (!raw) throw new ApiError('unauthorized', 'Sertakan token: Authorization: Bearer <token>. Silakan masuk terlebih dahulu.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
    const via = m ? 'bearer' : 'cookie';
    const payload = tokens.verify(raw);
    if (!payload) throw new ApiError('unauthorized', 'Token tidak sah atau sudah kedaluwarsa. Silakan masuk kembali.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
    const csrfToken = tokens.csrfFor(payload.jti);
    if (via === 'cookie' && !isSafeMethod(req.method)) {
      const given = req.get(CSRF_HEADER) ?? '';
      const a = Buffer.from(given);
      const b = Buffer.from(csrfToken);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        throw new ApiError('forbidden', 'Permintaan ditolak karena tanda keamanan sesi tidak cocok. Muat ulang halaman lalu coba lagi.', { reason: 'csrf' });
      }
    }
    const idHash = tokenIdHash(payload.jti);
    const staff = await findStaffForToken(db, payload.sub, idHash);
    if (!staff || !staff.active) throw new ApiError('unauthorized', 'Akun tidak aktif. Silakan hubungi administrator.');
    if (staff.revoked || payload.ver !== staff.token_version) {
      throw new ApiError('unauthorized', 'Sesi ini sudah berakhir (keluar, kata sandi atau peran berubah). Silakan masuk kembali.', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (staff.must_change_password && !opts.allowPendingPasswordChange) {
      throw new ApiError('forbidden', PASSWORD_CHANGE_REQUIRED_DETAIL, { reason: 'password_change_required' });
    }
    if (roles !== 'any' && !roles.includes(staff.role)) {
      throw new ApiError('forbidden', `Akun ${ROLE_LABELS[staff.role]} tidak berwenang untuk permintaan ini.`);
    }
    req.user = { username: staff.username, name: staff.name, role: staff.role, mustChangePassword: staff.must_change_password };
    req.authToken = { idHash, expiresAt: new Date(payload.exp * 1000), via, csrfToken };
    next();
  };
}

/** A random password for a reset or the first admin: 20 characters from an unambiguous alphabet, in groups of 5. */
export function generateTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let out = '';
  // 256 % 54 != 0: reject the top values so every character is equally likely.
  for (let i = 0, b = 0; out.replace(/-/g, '').length < 20; b++) {
    const v = b < bytes.length ? bytes[b]! : randomBytes(1)[0]!;
    if (v >= 256 - (256 % alphabet.length)) continue;
    if (i > 0 && i % 5 === 0) out += '-';
    out += alphabet[v % alphabet.length];
    i++;
  }
  return out;
}
