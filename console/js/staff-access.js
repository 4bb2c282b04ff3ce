// Log akses (admin, kadis): every staff read of personal data (SPEC §9), with filters and a CSV
// download (semicolons and a BOM: Excel with Indonesian settings opens it in columns).
import { api } from './api.js';
import { h, clear, notice, fmtDateTime, latestWins } from './dom.js';
import { field } from './forms.js';
import { roleLabel, stepTitle } from './sop.js';

export async function accessLogView(root, ctx) {
  const { sop } = ctx;
  const reg = h('input', { type: 'search', name: 'registrationNumber', placeholder: 'BP-…', autocapitalize: 'characters' });
  const username = h('input', { type: 'search', name: 'username', autocapitalize: 'none' });
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const csv = h('button', { type: 'button', class: 'secondary', id: 'access-log-csv' }, 'Unduh CSV');
  const form = h(
    'form',
    { class: 'card', role: 'search', id: 'access-log-form' },
    h(
      'div',
      { class: 'grid' },
      field({ path: 'registrationNumber', label: 'Nomor registrasi', control: reg }),
      field({ path: 'username', label: 'Nama pengguna', control: username }),
      field({ path: 'from', label: 'Dari tanggal', control: from }),
      field({ path: 'to', label: 'Sampai tanggal', control: to }),
    ),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Tampilkan'), csv),
  );
  const out = h('div', { id: 'access-log' });
  const params = () => {
    const p = new URLSearchParams();
    if (reg.value.trim()) p.set('registrationNumber', reg.value.trim().toUpperCase());
    if (username.value.trim()) p.set('username', username.value.trim().toLowerCase());
    if (from.value) p.set('from', from.value);
    if (to.value) p.set('to', to.value);
    return p;
  };
  const ticket = latestWins();
  const load = async () => {
    const current = ticket();
    const p = params();
    p.set('limit', '500');
    const res = await api.staffGet(`/api/access-log?${p}`);
    if (!current()) return;
    const list = res.items || [];
    clear(out,
      list.length
        ? h(
            'table',
            { class: 'stack' },
            h('thead', {}, h('tr', {}, ['Waktu', 'Petugas', 'Peran', 'Jenis', 'Nomor', 'Tahap', 'Keterangan', 'Alamat'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              list.map((i) =>
                h(
                  'tr',
                  {},
                  h('td', { 'data-label': 'Waktu' }, fmtDateTime(i.at)),
                  h('td', { 'data-label': 'Petugas', class: 'mono' }, i.username),
                  h('td', { 'data-label': 'Peran' }, i.roleLabel || roleLabel(sop, i.role)),
                  h('td', { 'data-label': 'Jenis' }, i.kindLabel || i.kind),
                  h('td', { 'data-label': 'Nomor' }, i.registrationNumber ? h('a', { href: `#/kasus/${encodeURIComponent(i.registrationNumber)}`, class: 'mono' }, i.registrationNumber) : '–'),
                  h('td', { 'data-label': 'Tahap' }, i.step ? stepTitle(sop, i.step) : '–'),
                  h('td', { 'data-label': 'Keterangan' }, i.detail || '–'),
                  h('td', { 'data-label': 'Alamat', class: 'mono small' }, i.clientAddress || '–'),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Tidak ada catatan akses yang cocok.'),
      list.length >= 500 ? h('p', { class: 'muted small' }, 'Menampilkan 500 catatan terbaru; persempit dengan filter atau unduh CSV.') : null,
    );
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load().catch((e) => out.replaceChildren(notice('bad', e.message)));
  });
  csv.addEventListener('click', async () => {
    const p = params();
    p.set('format', 'csv');
    try {
      const blob = await api.staffBlob(`/api/access-log?${p}`);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `log-akses${p.get('registrationNumber') ? `-${p.get('registrationNumber')}` : ''}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      out.prepend(notice('bad', e.message));
    }
  });
  root.append(
    h('h1', {}, 'Log akses data pribadi'),
    h('p', { class: 'muted' }, 'Setiap pembukaan data pribadi pemohon oleh petugas: data permohonan, lampiran, dokumen dan pencarian NIK atau nama.'),
    form,
    out,
  );
  await load();
}
