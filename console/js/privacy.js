// The privacy notice (GET /api/privacy-notice, versioned in domain/privacy.ts) that /ajukan shows
// before its consent checkbox: what is collected and why, who sees it, how long it is kept, the
// controller and its data protection officer.
import { h } from './dom.js';

/** A <details> block, open, filled from the API; the consent checkbox stays in the form. */
export function privacyNotice() {
  const body = h('div', { class: 'privacy-notice', id: 'privacy-notice' }, h('p', { class: 'muted' }, 'Memuat pemberitahuan pelindungan data pribadi…'));
  const el = h('details', { class: 'privacy', open: true }, h('summary', {}, 'Pemberitahuan pelindungan data pribadi'), body);
  fetch('/api/privacy-notice', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((n) => {
      body.replaceChildren(
        h('h3', {}, n.title),
        ...n.sections.map((s) => h('div', {}, h('h4', {}, s.heading), h('p', { class: 'small' }, s.body))),
        h('p', { class: 'small muted' }, `Versi pemberitahuan: ${n.version}`),
      );
    })
    .catch(() => {
      body.replaceChildren(h('p', { class: 'notice bad' }, 'Pemberitahuan pelindungan data pribadi tidak dapat dimuat. Muat ulang halaman sebelum mengajukan.'));
    });
  return el;
}
