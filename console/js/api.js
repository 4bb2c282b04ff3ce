// Thin fetch wrapper: JSON in, JSON out, RFC 9457 problems turned into ApiError.

const USER_KEY = 'becak.user';
const CSRF_KEY = 'becak.csrf';
const EXPIRES_KEY = 'becak.expires';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `Permintaan gagal (HTTP ${status})`);
    this.status = status;
    this.problem = problem || {};
    /** Validation errors: [{ path, message }] with path normalised to dotted form ("subject.nik"). */
    this.errors = Array.isArray(this.problem.errors)
      ? this.problem.errors.map((e) => ({ path: normalisePath(e.path), message: String(e.message ?? '') }))
      : [];
  }
}

/** "/subject/nik", "body.subject.nik", ["subject","nik"], "$.subject.nik" → "subject.nik". */
export function normalisePath(path) {
  if (Array.isArray(path)) return path.join('.');
  let p = String(path ?? '');
  p = p.replace(/^#?\/?/, '').replace(/^\$\.?/, '').replace(/\//g, '.').replace(/\[(\d+)\]/g, '.$1');
  p = p.replace(/^body\./, '');
  return p.replace(/^\.+/, '');
}

/**
 * The console's session: the token itself lives in an HttpOnly, SameSite=Strict cookie that every
 * tab shares (JS never sees it). Each tab keeps the user, the session's CSRF token and its expiry;
 * a new tab learns them from GET /api/auth/me (restore()).
 */
export const session = {
  get user() {
    try {
      return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
    } catch {
      return null;
    }
  },
  get csrf() {
    return sessionStorage.getItem(CSRF_KEY);
  },
  /** Expiry as epoch milliseconds, or null. */
  get expiresAt() {
    const v = Date.parse(sessionStorage.getItem(EXPIRES_KEY) || '');
    return Number.isFinite(v) ? v : null;
  },
  save(user, { csrfToken, expiresAt } = {}) {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    if (csrfToken) sessionStorage.setItem(CSRF_KEY, csrfToken);
    if (expiresAt) sessionStorage.setItem(EXPIRES_KEY, expiresAt);
  },
  clear() {
    sessionStorage.removeItem(USER_KEY);
    sessionStorage.removeItem(CSRF_KEY);
    sessionStorage.removeItem(EXPIRES_KEY);
  },
  /** Asks the server whether the browser's cookie is a live session (another tab logged in). */
  async restore() {
    // No hint cookie (api/auth/session.ts): no session to restore, so no request that would 401.
    if (!document.cookie.split(';').some((c) => c.trim().startsWith('becak_session_hint='))) return false;
    let res;
    try {
      res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    } catch {
      return false;
    }
    if (!res.ok) return false;
    const me = await res.json();
    this.save(
      { username: me.username, name: me.name, role: me.role, mustChangePassword: me.mustChangePassword === true },
      { csrfToken: me.csrfToken, expiresAt: me.expiresAt },
    );
    return true;
  },
};

/** Called when a staff request answers 401 (expired token): the console shows the login again. */
let onUnauthorized = null;
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** Called when a staff request answers 403 because the account must first change its password. */
let onPasswordChangeRequired = null;
export function setPasswordChangeRequiredHandler(fn) {
  onPasswordChangeRequired = fn;
}

export async function request(path, { method = 'GET', body, auth = false, headers = {}, raw = false, retried = false } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  // The session cookie goes along by itself; changes also carry the session's CSRF token.
  if (auth && method !== 'GET' && method !== 'HEAD' && session.csrf) h['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch(path, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: 'Tidak dapat terhubung', detail: 'Tidak dapat terhubung ke server. Periksa koneksi lalu coba lagi.' });
  }
  if (res.status === 401 && auth && onUnauthorized) onUnauthorized();
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      problem = { title: res.statusText };
    }
    if (res.status === 403 && auth && problem?.reason === 'password_change_required' && onPasswordChangeRequired) onPasswordChangeRequired();
    // Another tab logged in again or changed the password: the cookie is new, so is its CSRF token.
    if (res.status === 403 && auth && problem?.reason === 'csrf' && !retried && (await session.restore())) {
      return request(path, { method, body, auth, headers, raw, retried: true });
    }
    if (res.status === 413 && !problem.detail) problem.detail = 'Berkas terlalu besar.';
    if (res.status === 429 && !problem.detail) problem.detail = 'Terlalu banyak permintaan. Coba lagi sebentar lagi.';
    throw new ApiError(res.status, problem);
  }
  if (raw) return res;
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export const api = {
  get: (path, opts = {}) => request(path, { ...opts }),
  post: (path, body, opts = {}) => request(path, { ...opts, method: 'POST', body }),
  staffGet: (path) => request(path, { auth: true }),
  staffPost: (path, body) => request(path, { auth: true, method: 'POST', body }),
  staffPatch: (path, body) => request(path, { auth: true, method: 'PATCH', body }),
  /** A protected file (attachment, PDF) as a Blob (fetched, so that a failure shows as a message). */
  async staffBlob(path) {
    const res = await request(path, { auth: true, raw: true, headers: { Accept: '*/*' } });
    return res.blob();
  },
};

/** A random key for Idempotency-Key; crypto.randomUUID needs a secure context, so fall back. */
export function randomKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Reads a File or Blob as base64 (without the data: prefix). */
export function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Reads a Blob as a data: URL (images are previewed this way: CSP allows data:, not blob:, in img-src). */
export function blobToDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
