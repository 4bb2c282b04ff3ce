// The citizen's view of the access log (SPEC §9): which staff roles opened their data, and when,
// in plain Indonesian ("Data Anda dibuka oleh Operator pada 3 Desember 2026 08.12 WIB untuk verifikasi dokumen").
import { h, fmtDateTime } from './dom.js';

const WHAT = {
  case: 'Data Anda dibuka',
  attachment: 'Lampiran Anda dibuka',
  document: 'Dokumen permohonan Anda dibuka',
  search: 'Data Anda dicari',
};

/** One sentence per read. */
export function dataAccessSentence(a) {
  const what = WHAT[a.kind] || 'Data Anda dibuka';
  const role = a.roleLabel || a.role || 'petugas';
  return `${what} oleh ${role} pada ${fmtDateTime(a.at).replace(',', '')}${a.purpose ? ` untuk ${a.purpose}` : ''}.`;
}

/** The section of the tracking page; nothing when the answer has no dataAccess list. */
export function dataAccessSection(list) {
  if (!Array.isArray(list)) return null;
  return h(
    'section',
    { id: 'data-access', 'aria-label': 'Siapa yang membuka data Anda' },
    h('h3', {}, 'Siapa yang membuka data Anda'),
    list.length
      ? h('ul', { class: 'small' }, list.map((a) => h('li', {}, dataAccessSentence(a))))
      : h('p', { class: 'small muted' }, 'Belum ada petugas yang membuka data pribadi Anda.'),
    h('p', { class: 'small muted' }, 'Setiap pembukaan data pribadi Anda oleh petugas dicatat (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi). Yang ditampilkan adalah jabatannya, bukan nama petugas.'),
  );
}
