// The staff console: login, hash routes, and the navigation a role is allowed to use.
import { api, request, session, setUnauthorizedHandler, setPasswordChangeRequiredHandler, ApiError } from './api.js';
import { h, clear, notice, startCountdowns } from './dom.js';
import { field, showErrors, handleSubmit } from './forms.js';
import { loadSop, roleLabel, sopRoles } from './sop.js';
import { caseView } from './staff-case.js';
import { searchView, blanksView, dashboardView, notificationsView } from './staff-views.js';
import { tasksView } from './staff-tasks.js';
import { staffAdminView, passwordView } from './staff-accounts.js';
import { accessLogView } from './staff-access.js';

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
  if (hasQueue) list.push({ path: 'tugas', label: 'Tugas saya', view: tasksView });
  list.push({ path: 'cari', label: 'Permohonan', view: searchView });
  list.push({ path: 'dasbor', label: 'Dasbor', view: dashboardView });
  if (CAN.blanks(user.role)) list.push({ path: 'blangko', label: 'Blangko', view: blanksView });
  if (CAN.notifications(user.role, sop)) list.push({ path: 'notifikasi', label: 'Notifikasi', view: notificationsView });
  if (CAN.staff(user.role)) list.push({ path: 'petugas', label: 'Petugas', view: staffAdminView });
  if (CAN.accessLog(user.role)) list.push({ path: 'log-akses', label: 'Log akses', view: accessLogView });
  return list;
}

async function render() {
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      /* a view's cleanup must not block navigation */
    }
  }
  const sop = await loadSop();
  const user = session.user;
  if (!session.token || !user) {
    clear(nav);
    clear(who);
    loginView(sop);
    return;
  }
  const ctx = { sop, user, can: CAN, onLeave, go, refresh: render };
  if (user.mustChangePassword) {
    // After a reset, or the first admin's generated password: nothing else until it is changed.
    clear(nav);
    clear(who).append(h('span', {}, `${user.name} · ${roleLabel(sop, user.role)}`), h('button', { type: 'button', class: 'secondary', onclick: logout }, 'Keluar'));
    clear(main);
    await passwordView(main, ctx, { forced: true });
    return;
  }
  const list = routes(sop, user);
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, ...rest] = hash.split('/');
  clear(nav).append(
    ...list.map((r) => h('a', { href: `#/${r.path}`, 'aria-current': r.path === path ? 'page' : null }, r.label)),
  );
  clear(who).append(
    h('span', {}, `${user.name} · ${roleLabel(sop, user.role)}`),
    h('a', { href: '#/sandi', class: 'button secondary', 'aria-current': path === 'sandi' ? 'page' : null }, 'Ganti kata sandi'),
    h('button', { type: 'button', class: 'secondary', onclick: logout }, 'Keluar'),
  );
  clear(main);
  try {
    if (path === 'kasus' && rest[0]) await caseView(main, ctx, decodeURIComponent(rest[0]));
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

function go(path) {
  location.hash = `#/${path}`;
}

/** Keluar: the token is revoked on the server (POST /api/auth/logout), then forgotten here. */
async function logout() {
  const token = session.token;
  session.clear();
  if (token) {
    try {
      await request('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    } catch {
      /* already expired or revoked, or offline: the token is gone from this browser either way */
    }
  }
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
      const res = await api.post('/api/auth/login', { username: user.value.trim(), password: pass.value });
      session.save(res.token, { ...res.user, mustChangePassword: res.mustChangePassword === true });
      await render();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) showErrors(form, { message: 'Nama pengguna atau kata sandi salah.', errors: [] });
      else showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  clear(main).append(h('div', { class: 'narrow-box' }, form));
  user.focus();
}

setUnauthorizedHandler(() => {
  session.clear();
  void render().then(() => {
    const form = document.getElementById('login-form');
    if (form) form.prepend(notice('warn', 'Sesi Anda berakhir. Silakan masuk kembali.'));
  });
});

setPasswordChangeRequiredHandler(() => {
  const user = session.user;
  if (!user || user.mustChangePassword) return;
  session.save(session.token, { ...user, mustChangePassword: true });
  void render();
});

window.addEventListener('hashchange', () => {
  void render().then(() => main.focus({ preventScroll: true }));
});
void render();
