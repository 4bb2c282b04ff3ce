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
  clear(app, out, form);
  if (!reg) return;

  try {
    const v = await api.get(`/api/verify/${encodeURIComponent(reg)}`);
    const valid = v.valid === true;
    // Every value shown comes from the signed payload the server verified (null when not valid).
    const rows = valid
      ? [
          ['Nomor registrasi', h('span', { class: 'mono' }, reg)],
          ['Dokumen yang ditandatangani', v.document ? v.document.title : `Persetujuan pencetakan ${documentTypeLabel(sop, v.documentType)}`],
          ['Jenis dokumen kependudukan', documentTypeLabel(sop, v.documentType)],
          ['Atas nama', v.holderName || '–'],
          ['Ditandatangani oleh', `${v.signer.name} (${roleLabel(sop, v.signer.role)})`],
          ['NIP penanda tangan', v.signer.nip || '–'],
          ['Waktu tanda tangan', fmtDateTime(v.signedAt)],
          v.documentSha256 ? ['Sidik berkas PDF (SHA-256)', h('span', { class: 'mono', id: 'verify-sha256' }, v.documentSha256)] : null,
        ].filter(Boolean)
      : [['Nomor registrasi', h('span', { class: 'mono' }, reg)]];
    out.append(
      h(
        'section',
        { class: 'card', dataset: { valid: String(valid) } },
        valid
          ? notice('ok', h('strong', { id: 'verify-verdict' }, '✓ Tanda tangan elektronik SAH'))
          : notice('bad', h('strong', { id: 'verify-verdict' }, '✗ Tanda tangan elektronik TIDAK SAH')),
        h('dl', { class: 'kv' }, rows.map(([k, val]) => [h('dt', {}, k), h('dd', {}, val)])),
        valid ? null : h('p', {}, 'Dokumen ini tidak dapat dipastikan berasal dari Disdukcapil Kabupaten Grobogan. Hubungi kantor dinas.'),
      ),
    );
    if (valid && v.documentSha256) out.append(fileCheck(v.documentSha256));
  } catch (err) {
    const msg = err instanceof ApiError && err.status === 404 ? err.problem.detail || 'Tidak ada tanda tangan elektronik untuk nomor registrasi ini.' : err.message;
    out.append(notice('bad', h('strong', { id: 'verify-verdict' }, msg)));
  }
}

/** Lets anyone check that a PDF they hold is the very approval letter that was signed (SHA-256 in the browser). */
function fileCheck(expected) {
  const result = h('div', { id: 'file-check-result', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', name: 'pdf', accept: 'application/pdf,.pdf', id: 'file-check-input' });
  input.addEventListener('change', async () => {
    clear(result);
    const file = input.files && input.files[0];
    if (!file) return;
    if (!(globalThis.crypto && crypto.subtle)) {
      result.append(notice('bad', 'Peramban ini tidak dapat menghitung sidik berkas di halaman ini (perlu koneksi aman https).'));
      return;
    }
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    result.append(
      hex === expected
        ? notice('ok', h('strong', { id: 'file-check-verdict' }, `✓ Berkas "${file.name}" sama persis dengan surat persetujuan yang ditandatangani.`))
        : notice('bad', h('strong', { id: 'file-check-verdict' }, `✗ Berkas "${file.name}" BERBEDA dari surat persetujuan yang ditandatangani. Jangan percayai isinya; hubungi kantor dinas.`)),
      h('p', { class: 'muted' }, 'Sidik berkas Anda: ', h('span', { class: 'mono' }, hex)),
    );
  });
  return h(
    'section',
    { class: 'card', id: 'file-check' },
    h('h2', {}, 'Periksa berkas PDF Anda'),
    h('p', {}, 'Pilih berkas surat persetujuan (PDF) yang Anda terima. Berkas diperiksa di perangkat Anda saja, tidak dikirim ke mana pun.'),
    field({ path: 'pdf', label: 'Berkas PDF', control: input }),
    result,
  );
}

main().catch((err) => clear(app, notice('bad', err.message || 'Halaman tidak dapat dimuat.')));
