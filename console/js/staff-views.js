// List views of the staff console (Tugas saya: staff-tasks.js): search, blank stock, dashboard, notifications (staff: staff-accounts.js).
import { api } from './api.js';
import { h, svg, clear, notice, fmtDateTime, fmtMinutes, statusBadge, latestWins } from './dom.js';
import { field, choiceField, showErrors, handleSubmit, renderSchemaForm } from './forms.js';
import { requestSchema, download } from './schemas.js';
import { stepTitle, documentTypeLabel, labels } from './sop.js';
import { formatIndonesianDate } from './domain.js';

const items = (raw) => (Array.isArray(raw) ? raw : raw?.items || []);
/** The subject's name, or the recipient's for the courier; a dash when the role may not see either (SPEC §9). */
const personName = (c) => c.subjectName ?? (c.recipientName ? `${c.recipientName} (penerima)` : '–');
const caseLink = (reg) => h('a', { href: `#/kasus/${encodeURIComponent(reg)}`, class: 'mono' }, reg);

function table(headers, rows, attrs = {}) {
  return h(
    'table',
    { class: 'stack', ...attrs },
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows),
  );
}
function td(label, ...content) {
  return h('td', { 'data-label': label }, ...content);
}

// ---------------------------------------------------------------- Permohonan (search)

export async function searchView(root, ctx) {
  const { sop } = ctx;
  const q = h('input', { type: 'search', name: 'q', placeholder: 'Nomor registrasi, nama atau NIK' });
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'Semua status'), Object.entries(labels.status).map(([k, v]) => h('option', { value: k }, v)));
  const step = h('select', { name: 'step' }, h('option', { value: '' }, 'Semua tahap'), sop.steps.map((s) => h('option', { value: s.key }, `${s.number}. ${s.title}`)));
  const overdue = h('input', { type: 'checkbox', name: 'overdue' });
  const form = h(
    'form',
    { class: 'card', role: 'search' },
    h('div', { class: 'grid' }, field({ path: 'q', label: 'Cari', control: q }), field({ path: 'status', label: 'Status', control: status }), field({ path: 'step', label: 'Tahap', control: step })),
    h('label', { class: 'check' }, overdue, 'Hanya yang terlambat'),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Cari')),
  );
  const out = h('div');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Muat lagi');
  root.append(h('h1', {}, 'Permohonan'), form, out, more);
  let cursor = null;
  let tbody = null;
  // The latest search wins: an earlier answer arriving late (the first list, while the user has
  // already searched) is dropped instead of replacing the results on screen.
  const ticket = latestWins();
  const load = async (append) => {
    const current = ticket();
    const text = q.value.trim();
    let res;
    if (text && !/^BP(-\d{0,8}(-\d{0,5})?)?$/i.test(text)) {
      // A NIK or a name never goes into a URL: POST search (status and step filters apply to its answer).
      res = await api.staffPost('/api/applications/search', { q: text });
      res = { items: items(res).filter((c) => (!status.value || c.status === status.value) && (!step.value || c.currentStep === step.value) && (!overdue.checked || c.overdue)), nextCursor: null };
    } else {
      const params = new URLSearchParams({ limit: '50' });
      if (text) params.set('q', text);
      if (status.value) params.set('status', status.value);
      if (step.value) params.set('step', step.value);
      if (overdue.checked) params.set('overdue', 'true');
      if (append && cursor) params.set('cursor', cursor);
      res = await api.staffGet(`/api/applications?${params}`);
    }
    if (!current()) return;
    cursor = res.nextCursor || null;
    more.hidden = !cursor;
    const rows = items(res).map((c) =>
      h(
        'tr',
        { class: c.overdue ? 'overdue' : '' },
        td('Nomor', caseLink(c.registrationNumber)),
        td('Nama', personName(c)),
        td('Status', statusBadge(c.status)),
        td('Tahap', stepTitle(sop, c.currentStep)),
        td('Dokumen', documentTypeLabel(sop, c.documentType)),
        td('Kecamatan', c.district ?? '–'),
        td('Diajukan', fmtDateTime(c.submittedAt)),
      ),
    );
    if (!append) {
      clear(out);
      tbody = h('tbody');
      out.append(rows.length ? h('table', { class: 'stack' }, h('thead', {}, h('tr', {}, ['Nomor', 'Nama', 'Status', 'Tahap', 'Dokumen', 'Kecamatan', 'Diajukan'].map((t) => h('th', { scope: 'col' }, t)))), tbody) : h('p', { class: 'muted' }, 'Tidak ada permohonan yang cocok.'));
    }
    tbody?.append(...rows);
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load(false).catch((e) => out.replaceChildren(notice('bad', e.message)));
  });
  more.addEventListener('click', () => void load(true).catch((e) => out.append(notice('bad', e.message))));
  await load(false);
}

// ---------------------------------------------------------------- Blangko

export async function blanksView(root, ctx) {
  const { sop } = ctx;
  const out = h('div', { id: 'blank-stock' });
  const ledger = h('div', { id: 'blank-ledger' });
  const signed = (n) => (n > 0 ? `+${n}` : String(n));
  const load = async () => {
    const raw = await api.staffGet('/api/blanks');
    const list = Array.isArray(raw) || raw.items ? items(raw) : Object.entries(raw).map(([documentType, quantity]) => ({ documentType, quantity }));
    clear(out,
      table(['Jenis', 'Stok'], list.map((b) => h('tr', { dataset: { type: b.documentType } }, td('Jenis', documentTypeLabel(sop, b.documentType)), td('Stok', h('span', { class: 'stat' }, String(b.quantity ?? 0)), b.low ? h('span', { class: 'badge bad' }, ` menipis (di bawah ${raw.lowStockThreshold})`) : null)))),
    );
    const moves = raw.movements || [];
    clear(ledger,
      h('h2', {}, 'Buku stok (mutasi terbaru)'),
      moves.length
        ? table(
            ['Waktu', 'Jenis', 'Mutasi', 'Jumlah', 'Saldo', 'Nomor registrasi', 'Keterangan', 'Petugas'],
            moves.map((m) =>
              h(
                'tr',
                { dataset: { kind: m.kind } },
                td('Waktu', fmtDateTime(m.at)),
                td('Jenis', documentTypeLabel(sop, m.documentType)),
                td('Mutasi', m.kindLabel || m.kind),
                td('Jumlah', signed(m.delta)),
                td('Saldo', m.balanceAfter === null || m.balanceAfter === undefined ? '–' : String(m.balanceAfter)),
                td('Nomor registrasi', m.registrationNumber || '–'),
                td('Keterangan', m.note || '–'),
                td('Petugas', m.actorUsername || 'Sistem'),
              ),
            ),
            { id: 'ledger-table' },
          )
        : h('p', { class: 'muted' }, 'Belum ada mutasi.'),
    );
  };
  const type = choiceField({ path: 'documentType', label: 'Jenis blangko', required: true, name: 'documentType', value: 'KTP_EL', options: Object.keys(sop.documentTypeLabels).map((t) => ({ value: t, label: documentTypeLabel(sop, t) })) });
  const qty = h('input', { type: 'number', name: 'quantity', min: 1, step: 1, inputmode: 'numeric' });
  const note = h('input', { type: 'text', name: 'note', maxlength: 200 });
  const button = h('button', { type: 'submit' }, 'Tambah stok');
  const form = h('form', { class: 'card', novalidate: true, id: 'blanks-form' }, h('h2', {}, 'Tambah stok blangko'), type, field({ path: 'quantity', label: 'Jumlah', required: true, control: qty }), field({ path: 'note', label: 'Catatan (opsional)', hint: 'Misalnya nomor berita acara penerimaan.', control: note }), h('div', { class: 'row' }, button));
  handleSubmit(form, button, async () => {
    try {
      const body = { documentType: type.querySelector('input:checked')?.value, quantity: qty.value === '' ? undefined : Number(qty.value) };
      if (note.value.trim()) body.note = note.value.trim();
      await api.staffPost('/api/blanks', body);
      qty.value = '';
      note.value = '';
      form.prepend(notice('ok', 'Stok bertambah.'));
      await load();
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  // Stock-taking correction: the form comes from the API's schema (BlankAdjustmentRequest).
  let adjust;
  try {
    adjust = renderSchemaForm(await requestSchema('BlankAdjustmentRequest'), {
      title: 'Koreksi stok (stok opname)',
      idPrefix: 'adjust',
      formClass: 'record-form',
      submitLabel: 'Simpan koreksi',
      onSubmit: async (body, f) => {
        await api.staffPost('/api/blanks/adjustments', body);
        for (const el of f.querySelectorAll('input[type=number], textarea, input[type=text]')) el.value = '';
        f.prepend(notice('ok', 'Koreksi stok tercatat di buku stok.'));
        await load();
      },
    });
    adjust.id = 'adjust-form';
  } catch (err) {
    adjust = notice('bad', err.message);
  }
  root.append(h('h1', {}, 'Stok blangko'), out, form, adjust, damagedReportCard(), h('section', { class: 'card' }, ledger));
  await load();
}

/** Berita acara blangko rusak for a period, as PDF. */
function damagedReportCard() {
  const today = jakartaToday();
  const from = h('input', { type: 'date', name: 'from', value: `${today.slice(0, 8)}01`, max: today });
  const to = h('input', { type: 'date', name: 'to', value: today, max: today });
  const button = h('button', { type: 'submit' }, 'Unduh berita acara (PDF)');
  const form = h('form', { class: 'card', novalidate: true, id: 'damaged-report-form' }, h('h2', {}, 'Berita acara blangko rusak'), field({ path: 'from', label: 'Dari tanggal', required: true, control: from }), field({ path: 'to', label: 'Sampai tanggal', required: true, control: to }), h('div', { class: 'row' }, button));
  handleSubmit(form, button, async () => {
    try {
      const blob = await api.staffBlob(`/api/blanks/damaged-report?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
      download(blob, `berita-acara-blangko-rusak-${from.value}-${to.value}.pdf`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// ---------------------------------------------------------------- Dasbor

export function jakartaToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
}

/** Normalises GET /api/reports/sla to [{ key, count, medianMinutes, p90Minutes, share (0..1) }]. */
function slaRows(raw) {
  const list = Array.isArray(raw) ? raw : raw.steps || raw.items || Object.entries(raw.perStep || {}).map(([key, v]) => ({ key, ...v }));
  return list.map((r) => {
    let share = r.withinStandardShare ?? r.shareWithinStandard ?? r.withinStandard ?? r.compliance ?? null;
    if (share !== null && share > 1) share /= 100;
    return { key: r.key || r.step || r.stepKey, count: r.count ?? 0, openOverdue: r.openOverdue ?? 0, medianMinutes: r.medianMinutes ?? r.median ?? null, p90Minutes: r.p90Minutes ?? r.p90 ?? null, share };
  });
}

/** Horizontal bars of the share within standard per step: inline SVG, no library. */
function slaChart(sop, rows) {
  // Steps still open and overdue count against the share (the API's withinStandardShare), so a late step shows even before anything finished.
  const shown = rows.filter((r) => (r.count > 0 || r.openOverdue > 0) && r.share !== null);
  if (!shown.length) return h('p', { class: 'muted' }, 'Belum ada tahap yang selesai atau terlambat pada periode ini.');
  const labelW = 230;
  const barW = 300;
  const rowH = 26;
  const height = shown.length * rowH + 10;
  const chart = svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${labelW + barW + 60} ${height}`, role: 'img', 'aria-label': 'Kepatuhan standar waktu per tahap' },
    svg('title', {}, 'Kepatuhan standar waktu per tahap'),
    shown.map((r, i) => {
      const y = 5 + i * rowH;
      const w = Math.round(barW * r.share);
      const pct = `${Math.round(r.share * 100)}%`;
      return svg(
        'g',
        {},
        svg('text', { x: 0, y: y + 15 }, truncate(stepTitle(sop, r.key), 34)),
        svg('rect', { class: 'track', x: labelW, y, width: barW, height: 18, rx: 3 }),
        svg('rect', { class: r.share >= 0.8 ? 'bar-ok' : 'bar-bad', x: labelW, y, width: Math.max(w, 1), height: 18, rx: 3 }),
        svg('text', { x: labelW + barW + 6, y: y + 15 }, pct),
      );
    }),
  );
  return chart;
}
function truncate(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export async function dashboardView(root, ctx) {
  const { sop, user } = ctx;
  root.append(h('h1', {}, 'Dasbor'));
  // Current load per step from the open cases (the read model), paged.
  const open = [];
  let cursor = null;
  for (let page = 0; page < 10; page++) {
    const params = new URLSearchParams({ status: 'IN_PROGRESS', limit: '200' });
    if (cursor) params.set('cursor', cursor);
    const res = await api.staffGet(`/api/applications?${params}`);
    open.push(...items(res));
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  const overdueNow = open.filter((c) => c.overdue).length;
  const today = jakartaToday();
  let sla = [];
  if (ctx.can.reports(user.role, ctx.sop)) {
    try {
      sla = slaRows(await api.staffGet(`/api/reports/sla?from=${today}&to=${today}`));
    } catch (err) {
      root.append(notice('warn', `Laporan SLA tidak tersedia: ${err.message}`));
    }
  }
  const slaBy = new Map(sla.map((r) => [r.key, r]));
  root.append(
    h(
      'div',
      { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Dalam proses'), h('p', { class: 'stat', id: 'open-count' }, String(open.length))),
      h('section', { class: 'card' }, h('h2', {}, 'Terlambat sekarang'), h('p', { class: `stat${overdueNow ? ' countdown late' : ''}`, id: 'overdue-count' }, String(overdueNow))),
    ),
  );
  const rows = sop.steps
    .filter((s) => s.standardMinutes !== null)
    .map((s) => {
      const here = open.filter((c) => c.currentStep === s.key);
      const r = slaBy.get(s.key);
      return h(
        'tr',
        { dataset: { step: s.key } },
        td('Tahap', `${s.number}. ${s.title}`),
        td('Standar', fmtMinutes(s.standardMinutes)),
        td('Sedang di tahap ini', String(here.length)),
        td('Terlambat', String(here.filter((c) => c.overdue).length)),
        td('Selesai hari ini', r ? String(r.count) : '–'),
        td('Median / p90', r && r.count ? `${fmtMinutes(r.medianMinutes)} / ${fmtMinutes(r.p90Minutes)}` : '–'),
        td('Sesuai standar', r && r.share !== null ? `${Math.round(r.share * 100)}%` : '–'),
      );
    });
  root.append(h('section', { class: 'card' }, h('h2', {}, `Hari ini per tahap (${formatIndonesianDate(today)})`), table(['Tahap', 'Standar', 'Sedang di tahap ini', 'Terlambat', 'Selesai hari ini', 'Median / p90', 'Sesuai standar'], rows, { id: 'dashboard-table' })));
  if (ctx.can.reports(user.role, ctx.sop)) {
    root.append(h('section', { class: 'card', id: 'sla-chart' }, h('h2', {}, 'Kepatuhan standar waktu (hari ini)'), slaChart(sop, sla)));
    root.append(recapCard());
  }
}

/** The daily recap of printed documents for any date up to today (today's is a SEMENTARA preview; a past date is the closed archive). */
export function recapCard() {
  const today = jakartaToday();
  const date = h('input', { type: 'date', name: 'recap-date', value: today, max: today, id: 'recap-date' });
  const status = h('p', { class: 'hint', id: 'recap-status' });
  const sayStatus = () => (status.textContent = date.value === today ? 'Rekap hari ini bersifat SEMENTARA (hari belum ditutup).' : 'Rekap tanggal lampau: arsip final yang tidak berubah.');
  date.addEventListener('change', sayStatus);
  sayStatus();
  const recap = (format) => h('a', { href: '#', class: 'button secondary', dataset: { format } }, `Rekap cetak (${format.toUpperCase()})`);
  const pdf = recap('pdf');
  const csv = recap('csv');
  for (const a of [pdf, csv]) {
    a.addEventListener('click', async (ev) => {
      ev.preventDefault();
      try {
        const d = date.value || today;
        const blob = await api.staffBlob(`/api/reports/daily-recap?date=${encodeURIComponent(d)}&format=${a.dataset.format}`);
        download(blob, `rekap-${d}${d === today ? '-sementara' : ''}.${a.dataset.format}`);
      } catch (err) {
        a.after(notice('bad', err.message));
      }
    });
  }
  return h('section', { class: 'card', id: 'recap-card' }, h('h2', {}, 'Rekap harian dokumen tercetak'), field({ path: 'date', label: 'Tanggal', control: date }), status, h('div', { class: 'row' }, pdf, csv));
}

// ---------------------------------------------------------------- Notifikasi

export async function notificationsView(root, ctx) {
  const KIND = { APPLICANT: 'Pemohon', COURIER_GROUP: 'Grup ekspedisi', ESCALATION: 'Eskalasi', DIGEST: 'Ringkasan terlambat' };
  const STATUS = { PENDING: 'Menunggu', SENT: 'Terkirim', FAILED: 'Gagal', NO_RECIPIENT: 'Tanpa penerima' };
  const reg = h('input', { type: 'search', name: 'registrationNumber', placeholder: 'BP-…' });
  const kind = h('select', { name: 'kind', id: 'notif-kind' }, h('option', { value: '' }, 'Semua jenis'), Object.entries(KIND).map(([v, t]) => h('option', { value: v }, t)));
  const status = h('select', { name: 'status', id: 'notif-status' }, h('option', { value: '' }, 'Semua status'), Object.entries(STATUS).map(([v, t]) => h('option', { value: v }, t)));
  const form = h(
    'form',
    { class: 'card', role: 'search' },
    h('div', { class: 'grid' }, field({ path: 'registrationNumber', label: 'Nomor registrasi (opsional)', control: reg }), field({ path: 'kind', label: 'Jenis pesan', control: kind }), field({ path: 'status', label: 'Status', control: status })),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Tampilkan')),
  );
  const out = h('div', { id: 'notifications' });
  const canResend = ctx?.user && (ctx.user.role === 'operator' || ctx.user.role === 'admin');
  const resendButton = (n) => {
    const b = h('button', { type: 'button', class: 'small' }, 'Kirim ulang');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api.staffPost(`/api/notifications/${n.id}/resend`, {});
        b.replaceWith(h('span', { class: 'small muted' }, 'Dijadwalkan ulang'));
      } catch (e) {
        b.disabled = false;
        b.after(notice('bad', e.message));
      }
    });
    return b;
  };
  const statusCell = (n) => {
    const problem = n.status === 'FAILED' || n.status === 'NO_RECIPIENT';
    return td(
      'Status',
      h('span', { class: `badge ${n.status === 'SENT' ? 'ok' : problem ? 'bad' : ''}` }, STATUS[n.status] || n.status),
      n.attempts ? h('div', { class: 'small muted' }, `${n.attempts} kali dicoba`) : null,
      problem && n.problem ? h('div', { class: 'small' }, n.problem) : null,
      problem && canResend ? resendButton(n) : null,
    );
  };
  const ticket = latestWins();
  const load = async () => {
    const current = ticket();
    const params = new URLSearchParams();
    if (reg.value.trim()) params.set('registrationNumber', reg.value.trim());
    if (kind.value) params.set('kind', kind.value);
    if (status.value) params.set('status', status.value);
    const list = items(await api.staffGet(`/api/notifications${params.size ? `?${params}` : ''}`));
    if (!current()) return;
    clear(out,
      list.length
        ? table(['Waktu', 'Jenis', 'Nomor', 'Penerima', 'Pesan', 'Status'], list.map((n) => h('tr', {}, td('Waktu', fmtDateTime(n.createdAt)), td('Jenis', KIND[n.kind] || n.kind), td('Nomor', n.registrationNumber ? caseLink(n.registrationNumber) : '–'), td('Penerima', `${n.channel ?? ''} ${n.recipient ?? ''}`), td('Pesan', h('span', { class: n.textHidden ? 'small muted' : 'small' }, n.text)), statusCell(n))))
        : h('p', { class: 'muted' }, 'Belum ada notifikasi.'),
    );
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load().catch((e) => out.replaceChildren(notice('bad', e.message)));
  });
  for (const sel of [kind, status]) sel.addEventListener('change', () => form.requestSubmit());
  root.append(h('h1', {}, 'Notifikasi'), form, out);
  await load();
}
