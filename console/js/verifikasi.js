// /verifikasi/{regNo}: the page a receipt's QR code opens — checks the TTE of a case.
import { api, ApiError } from './api.js';
import { h, clear, notice, fmtDateTime } from './dom.js';
import { field } from './forms.js';
import { loadSop, roleLabel, documentTypeLabel } from './sop.js';

const app = document.getElementById('app');

function regFromPath() {
  const m = /^\/verifikasi\/([^/?#]+)/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

async function main() {
  const sop = await loadSop().catch(() => ({ steps: [], roleLabels: {}, documentTypeLabels: {}, reasonLabels: {} }));
  const reg = regFromPath();
  const out = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const input = h('input', { type: 'text', name: 'registrationNumber', value: reg, autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'aria-label': 'Periksa nomor registrasi lain' },
    field({ path: 'registrationNumber', label: 'Nomor registrasi', control: input }),
    h('button', { type: 'submit' }, 'Periksa'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim().toUpperCase();
    if (v) location.assign(`/verifikasi/${encodeURIComponent(v)}`);
  });
  clear(app).append(out, form);
  if (!reg) return;

  try {
    const v = await api.get(`/api/verify/${encodeURIComponent(reg)}`);
    const valid = v.valid === true;
    out.append(
      h(
        'section',
        { class: 'card', dataset: { valid: String(valid) } },
        valid
          ? notice('ok', h('strong', { id: 'verify-verdict' }, '✓ Tanda tangan elektronik SAH'))
          : notice('bad', h('strong', { id: 'verify-verdict' }, '✗ Tanda tangan elektronik TIDAK SAH')),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, 'Nomor registrasi'),
          h('dd', { class: 'mono' }, reg),
          h('dt', {}, 'Dokumen'),
          h('dd', {}, documentTypeLabel(sop, v.documentType)),
          h('dt', {}, 'Ditandatangani oleh'),
          h('dd', {}, v.signer ? `${v.signer.name} (${roleLabel(sop, v.signer.role)})` : '–'),
          h('dt', {}, 'Waktu tanda tangan'),
          h('dd', {}, fmtDateTime(v.signedAt)),
        ),
        valid ? null : h('p', {}, 'Dokumen ini tidak dapat dipastikan berasal dari Disdukcapil Kabupaten Grobogan. Hubungi kantor dinas.'),
      ),
    );
  } catch (err) {
    const msg = err instanceof ApiError && err.status === 404 ? 'Tidak ada tanda tangan elektronik untuk nomor registrasi ini.' : err.message;
    out.append(notice('bad', h('strong', { id: 'verify-verdict' }, msg)));
  }
}

main().catch((err) => clear(app).append(notice('bad', err.message || 'Halaman tidak dapat dimuat.')));
