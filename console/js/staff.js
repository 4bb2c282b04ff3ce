// The staff console: login, hash routes, and the navigation a role is allowed to use.
import { api, request, session, setUnauthorizedHandler, setPasswordChangeRequiredHandler, ApiError } from './api.js';
import { h, clear, notice, startCountdowns, setSlaClock } from './dom.js';
import { field, showErrors, handleSubmit } from './forms.js';
import { loadSop, roleLabel, sopRoles } from './sop.js';
import { caseView } from './staff-case.js';
import { searchView, blanksView, dashboardView, notificationsView } from './staff-views.js';
import { tasksView } from './staff-tasks.js';
import { staffAdminView, passwordView } from './staff-accounts.js';
import { accessLogView } from './staff-access.js';
import { controlView, escalationsView, slaReportView, escalationBadge } from './control.js';
import { routeView, courierCaseView } from './courier.js';
import { announceSession, onSessionAnnounced, stopExpiryWatch, watchSessionExpiry } from './session-expiry.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

// Which roles may call which staff endpoints (SPEC §4); the API enforces it, the console only
// avoids offering pages that would answer 403. Supervisors come from /api/sop.
const CAN = {
  blanks: (r) => r === 'operator' || r === 'admin',
  notifications: (r, sop) => r === 'admin' || r === 'operator' || sop.supervisorRoles.includes(r),
  accessLog: (r) => r === 'admin' || r === 'kadis',
  reports: (r, sop) => sop.supervisorRoles.includes(r),
  staff: (r) => r === 'admin',
};

/** Timers and listeners of the current view, stopped when the route changes. */
const cleanups = [];
export function onLeave(fn) {
  cleanups.push(fn);
}

function routes(sop, user) {
  const hasQueue = sopRoles(sop).has(user.role);
  const list = [];
  // The courier's day starts on the route (grouped by kecamatan and desa, phone first).
  if (user.role === 'ekspedisi') list.push({ path: 'rute', label: 'Rute hari ini', view: routeView });
  if (hasQueue) list.push({ path: 'tugas', label: 'Tugas saya', view: tasksView });
  if (CAN.reports(user.role, sop)) {
    list.push({ path: 'kendali', label: 'Ruang kendali', view: controlView });
    list.push({ path: 'eskalasi', label: 'Eskalasi untuk saya', view: escalationsView, badge: escalationBadge });
    list.push({ path: 'laporan', label: 'Laporan SLA', view: slaReportView });
  }
  list.push({ path: 'cari', label: 'Permohonan', view: searchView });
  list.push({ path: 'dasbor', label: 'Dasbor', view: dashboardView });
  if (CAN.blanks(user.role)) list.push({ path: 'blangko', label: 'Blangko', view: blanksView });
  if (CAN.notifications(user.role, sop)) list.push({ path: 'notifikasi', label: 'Notifikasi', view: notificationsView });
  if (CAN.staff(user.role)) list.push({ path: 'petugas', label: 'Petugas', view: staffAdminView });
  if (CAN.accessLog(user.role)) list.push({ path: 'log-akses', label: 'Log akses', view: accessLogView });
  return list;
}

/**
 * Renders run one at a time, each for the address as it is once it starts: a page chosen while
 * another is still loading (a link tapped right after login) waits for it instead of interleaving,
 * where the slower view's late answer could replace the chosen one under the chosen address.
 */
let rendering = Promise.resolve();
function render(options) {
  const next = rendering.then(() => renderNow(options));
  rendering = next.catch(() => {});
  return next;
}

/** `restore: false` after an expiry or a 401: the login form, without asking the server again. */
async function renderNow({ restore = true } = {}) {
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      /* a view's cleanup must not block navigation */
    }
  }
  const sop = await loadSop();
  // A new tab: the browser's session cookie may belong to a login made in another tab.
  if (!session.user && restore) await session.restore();
  const user = session.user;
  if (!user) {
    stopExpiryWatch();
    clear(nav);
    clear(who);
    loginView(sop);
    return;
  }
  watchSessionExpiry(sessionExpired);
  const ctx = { sop, user, can: CAN, onLeave, go, refresh: render };
  if (user.mustChangePassword) {
    // After a reset, or the first admin's generated password: nothing else until it is changed.
    clear(nav);
    clear(who, h('span', {}, `${user.name} · ${roleLabel(sop, user.role)}`), h('button', { type: 'button', class: 'secondary', onclick: logout }, 'Keluar'));
    clear(main);
    await passwordView(main, ctx, { forced: true });
    return;
  }
  const list = routes(sop, user);
  await loadSlaClock();
  // Read after the last wait: the address may have changed meanwhile (its hashchange render is queued).
  const [path, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  clear(nav,
    ...list.map((r) => {
      const a = h('a', { href: `#/${r.path}`, 'aria-current': r.path === path ? 'page' : null }, r.label);
      if (r.badge) r.badge(a, onLeave);
      return a;
    }),
  );
  clear(who,
    h('span', {}, `${user.name} · ${roleLabel(sop, user.role)}`),
    h('a', { href: '#/sandi', class: 'button secondary', 'aria-current': path === 'sandi' ? 'page' : null }, 'Ganti kata sandi'),
    h('button', { type: 'button', class: 'secondary', onclick: logout }, 'Keluar'),
  );
  clear(main);
  try {
    if (path === 'kasus' && rest[0]) await (user.role === 'ekspedisi' ? courierCaseView : caseView)(main, ctx, decodeURIComponent(rest[0]));
    else if (path === 'sandi') await passwordView(main, ctx);
    else {
      const route = list.find((r) => r.path === path) || list[0];
      if (route.path !== path) {
        history.replaceState(null, '', `#/${route.path}`);
        for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${route.path}`);
        nav.querySelector(`a[href="#/${route.path}"]`)?.setAttribute('aria-current', 'page');
      }
      await route.view(main, ctx);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    main.append(notice('bad', err.message || 'Terjadi kesalahan.'));
  }
  startCountdowns();
}

/** The SLA clock (kind, name, holidays) for every countdown and duration, loaded once per login. */
let clockLoaded = null;
function loadSlaClock() {
  clockLoaded ??= api
    .staffGet('/api/control/clock')
    .then(setSlaClock)
    .catch(() => {
      clockLoaded = null;
    });
  return clockLoaded;
}

function go(path) {
  location.hash = `#/${path}`;
}

/** Keluar: the session is revoked on the server (POST /api/auth/logout; the cookie is cleared), then forgotten here and in the other tabs. */
async function logout() {
  try {
    await request('/api/auth/logout', { method: 'POST', auth: true });
  } catch {
    /* already expired or revoked, or offline: forgotten in this browser either way */
  }
  session.clear();
  announceSession('logout');
  location.hash = '#/';
  void render();
}

function loginView() {
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit' }, 'Masuk');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'login-form', 'aria-label': 'Masuk' },
    h('h1', {}, 'Masuk ke konsol petugas'),
    field({ path: 'username', label: 'Nama pengguna', required: true, control: user }),
    field({ path: 'password', label: 'Kata sandi', required: true, control: pass }),
    h('div', { class: 'row' }, button),
  );
  handleSubmit(form, button, async () => {
    try {
      // The session goes into an HttpOnly cookie that every tab shares; this tab keeps the CSRF token.
      const res = await api.post('/api/auth/login', { username: user.value.trim(), password: pass.value }, { headers: { 'X-Session': 'cookie' } });
      session.save({ ...res.user, mustChangePassword: res.mustChangePassword === true }, { csrfToken: res.csrfToken, expiresAt: res.expiresAt });
      announceSession('login');
      await render();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) showErrors(form, { message: 'Nama pengguna atau kata sandi salah.', errors: [] });
      else showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  clear(main, h('div', { class: 'narrow-box' }, form));
  user.focus();
}

function sessionExpired() {
  session.clear();
  stopExpiryWatch();
  void render({ restore: false }).then(() => {
    const form = document.getElementById('login-form');
    if (form) form.prepend(notice('warn', 'Sesi Anda berakhir. Silakan masuk kembali.'));
  });
}
setUnauthorizedHandler(sessionExpired);

onSessionAnnounced((kind) => {
  if (kind === 'logout' && session.user) {
    session.clear();
    void render();
  } else if (kind === 'login') {
    // A new login replaced the browser's cookie: learn its CSRF token and expiry (or show the console).
    if (session.user) void session.restore().then(() => watchSessionExpiry(sessionExpired));
    else void render();
  }
});

setPasswordChangeRequiredHandler(() => {
  const user = session.user;
  if (!user || user.mustChangePassword) return;
  session.save({ ...user, mustChangePassword: true });
  void render();
});

window.addEventListener('hashchange', () => {
  void render().then(() => main.focus({ preventScroll: true }));
});
void render();
