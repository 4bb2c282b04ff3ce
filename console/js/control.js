// Ruang kendali (supervisors' control room): the live board step × kecamatan with click-through to
// the cases, "Eskalasi untuk saya" (+ the nav badge), the SLA report for any period, the daily recap.
// Numbers come from /api/control/* and /api/reports/sla (aggregated on the server); durations and
// due times are worded by domain/human-time.ts (through dom.js), on the SLA clock, named on screen.
import { api } from './api.js';
import { h, clear, notice, fmtDateTime, fmtMinutes, currentSlaClock, latestWins } from './dom.js';
import { field, handleSubmit, showErrors } from './forms.js';
import { stepTitle, documentTypeLabel, label, roleLabel } from './sop.js';
import { recapCard, jakartaToday } from './staff-views.js';
import { formatIndonesianDate } from './domain.js';

const FILTER_LABELS = { open: 'Semua dalam proses', overdue: 'Terlambat', escalated: 'Tereskalasi' };
const caseLink = (reg) => h('a', { href: `#/kasus/${encodeURIComponent(reg)}`, class: 'mono' }, reg);
const td = (lbl, ...content) => h('td', { 'data-label': lbl }, ...content);

function clockNote() {
  const { info } = currentSlaClock();
  return h('p', { class: 'hint clock-note', id: 'clock-note' }, h('strong', {}, `Jam SLA: ${info.name}. `), info.explain || '');
}

/** The part of the hash after the route, as ['daftar', step, district, filter]. */
function subPath() {
  return location.hash.replace(/^#\/?/, '').split('/').slice(1).map((p) => decodeURIComponent(p));
}

// ---------------------------------------------------------------- Ruang kendali (board)

export async function controlView(root, ctx) {
  const [sub, step, district, filter] = subPath();
  if (sub === 'daftar') return casesList(root, ctx, { step: step || undefined, district: district || undefined, filter: filter || 'open' });
  const { sop } = ctx;
  const board = await api.staffGet('/api/control/board');
  const steps = sop.steps.filter((s) => board.cells.some((c) => c.step === s.key));
  const cellOf = new Map(board.cells.map((c) => [`${c.step}|${c.district}`, c]));
  const districts = board.districts.filter((d) => board.cells.some((c) => c.district === d));
  const sum = (pred) => board.cells.filter(pred).reduce((t, c) => ({ open: t.open + c.open, overdue: t.overdue + c.overdue, escalated: t.escalated + c.escalated }), { open: 0, overdue: 0, escalated: 0 });
  const href = (s, d, f) => `#/kendali/daftar/${encodeURIComponent(s || '')}/${encodeURIComponent(d || '')}/${f}`;

  const cellContent = (n, s, d, where) => {
    if (!n.open) return h('span', { class: 'muted' }, '0');
    const parts = [h('a', { href: href(s, d, 'open'), class: 'cell-open', 'aria-label': `${n.open} dalam proses${where}` }, String(n.open))];
    if (n.overdue) parts.push(h('a', { href: href(s, d, 'overdue'), class: 'badge bad', 'aria-label': `${n.overdue} terlambat${where}` }, `${n.overdue} terlambat`));
    if (n.escalated) parts.push(h('a', { href: href(s, d, 'escalated'), class: 'badge warn', 'aria-label': `${n.escalated} eskalasi${where}` }, `${n.escalated} eskalasi`));
    return h('span', { class: 'cell' }, parts);
  };

  const stat = (title, value, id, cls, link) => h('section', { class: `card stat-card ${cls || ''}` }, h('h2', {}, title), link && value ? h('a', { href: link, class: 'stat', id }, String(value)) : h('p', { class: 'stat', id }, String(value)));
  const rows = districts.map((d) =>
    h(
      'tr',
      { dataset: { district: d } },
      h('th', { scope: 'row', 'data-label': 'Kecamatan' }, d),
      steps.map((s) => {
        const n = cellOf.get(`${s.key}|${d}`) || { open: 0, overdue: 0, escalated: 0 };
        return h('td', { 'data-label': stepTitle(sop, s.key), class: n.overdue ? 'late-cell' : n.open ? '' : 'zero', dataset: { step: s.key } }, cellContent(n, s.key, d, ` di ${d}, ${s.title}`));
      }),
      td('Jumlah', cellContent(sum((c) => c.district === d), '', d, ` di ${d}`)),
    ),
  );
  const totalRow = h(
    'tr',
    { class: 'total' },
    h('th', { scope: 'row', 'data-label': 'Kecamatan' }, 'Semua kecamatan'),
    steps.map((s) => h('td', { 'data-label': stepTitle(sop, s.key), dataset: { step: s.key } }, cellContent(sum((c) => c.step === s.key), s.key, '', `, ${s.title}`))),
    td('Jumlah', cellContent(board.totals, '', '', '')),
  );

  const refreshed = h('p', { class: 'hint' }, `Diperbarui ${fmtDateTime(board.at)} · otomatis setiap 30 detik.`);
  root.append(
    h('div', { class: 'row' }, h('h1', {}, 'Ruang kendali')),
    clockNote(),
    h(
      'div',
      { class: 'grid stats' },
      stat('Dalam proses', board.totals.open, 'board-open', '', href('', '', 'open')),
      stat('Terlambat sekarang', board.totals.overdue, 'board-overdue', board.totals.overdue ? 'alarm' : '', href('', '', 'overdue')),
      stat('Tereskalasi', board.totals.escalated, 'board-escalated', board.totals.escalated ? 'warn' : '', href('', '', 'escalated')),
      stat('Menunggu perbaikan pemohon', board.awaitingResubmission, 'board-waiting'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'board-title' },
      h('h2', { id: 'board-title' }, 'Papan per kecamatan dan tahap'),
      h('p', { class: 'hint' }, 'Angka = permohonan yang sedang di tahap itu; klik untuk membuka daftarnya. Merah = terlambat, kuning = sudah dieskalasi.'),
      districts.length
        ? h('div', { class: 'board-scroll' }, h('table', { class: 'stack board', id: 'board' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kecamatan'), steps.map((s) => h('th', { scope: 'col' }, stepTitle(sop, s.key))), h('th', { scope: 'col' }, 'Jumlah'))), h('tbody', {}, rows, totalRow)))
        : notice('ok', 'Tidak ada permohonan dalam proses.'),
      refreshed,
    ),
    recapCard(),
  );
  const timer = setInterval(() => {
    if (location.hash.startsWith('#/kendali') && !location.hash.includes('/daftar')) void ctx.refresh();
  }, 30_000);
  ctx.onLeave(() => clearInterval(timer));
}

async function casesList(root, ctx, q) {
  const { sop } = ctx;
  const where = [q.step ? stepTitle(sop, q.step) : 'Semua tahap', q.district ? `Kec. ${q.district}` : 'semua kecamatan'].join(' · ');
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Muat lagi');
  const empty = h('p', { class: 'muted', hidden: true }, 'Tidak ada permohonan yang cocok.');
  const tabs = h(
    'nav',
    { class: 'row filter-tabs', 'aria-label': 'Saringan' },
    Object.entries(FILTER_LABELS).map(([f, text]) => h('a', { href: `#/kendali/daftar/${encodeURIComponent(q.step || '')}/${encodeURIComponent(q.district || '')}/${f}`, class: 'button secondary', 'aria-current': f === q.filter ? 'page' : null }, text)),
  );
  root.append(
    h('p', {}, h('a', { href: '#/kendali' }, '← Kembali ke papan')),
    h('h1', {}, `${FILTER_LABELS[q.filter] || 'Permohonan'}: ${where}`),
    clockNote(),
    tabs,
    h('table', { class: 'stack', id: 'control-cases' }, h('thead', {}, h('tr', {}, ['Nomor', 'Tahap', 'Kecamatan', 'Dokumen', 'Jatuh tempo', 'Keadaan', 'Eskalasi'].map((t) => h('th', { scope: 'col' }, t)))), body),
    empty,
    more,
  );
  let cursor = null;
  const load = async () => {
    const params = new URLSearchParams({ filter: q.filter, limit: '50' });
    if (q.step) params.set('step', q.step);
    if (q.district) params.set('district', q.district);
    if (cursor) params.set('cursor', cursor);
    const res = await api.staffGet(`/api/control/cases?${params}`);
    body.append(
      ...res.items.map((c) =>
        h(
          'tr',
          { class: c.overdue ? 'overdue' : '', dataset: { reg: c.registrationNumber } },
          td('Nomor', caseLink(c.registrationNumber)),
          td('Tahap', stepTitle(sop, c.currentStep)),
          td('Kecamatan', c.district),
          td('Dokumen', documentTypeLabel(sop, c.documentType)),
          td('Jatuh tempo', fmtDateTime(c.stepDueAt)),
          td('Keadaan', h('span', { class: c.overdue ? 'late-text' : '' }, c.lateText), c.waitingFor && c.waitingFor !== 'STAFF_ACTION' ? h('div', { class: 'small muted' }, label('waiting', c.waitingFor)) : null),
          td('Eskalasi', c.escalationLevel ? `Tingkat ${c.escalationLevel}` : '–'),
        ),
      ),
    );
    cursor = res.nextCursor;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
  };
  more.addEventListener('click', () => void load().catch((e) => more.after(notice('bad', e.message))));
  await load();
}

// ---------------------------------------------------------------- Eskalasi untuk saya

export async function escalationsView(root, ctx) {
  const { sop, user } = ctx;
  const res = await api.staffGet('/api/control/escalations');
  root.append(h('h1', {}, 'Eskalasi untuk saya'), h('p', { class: 'hint' }, `Permohonan yang tahapnya terlambat dan dieskalasikan ke ${roleLabel(sop, user.role)}, selama tahap itu belum selesai.`), clockNote());
  if (!res.items.length) {
    root.append(notice('ok', 'Tidak ada eskalasi terbuka untuk Anda.'));
    return;
  }
  root.append(
    h(
      'table',
      { class: 'stack', id: 'escalations-table' },
      h('thead', {}, h('tr', {}, ['Nomor', 'Tahap', 'Kecamatan', 'Tingkat', 'Dieskalasi', 'Keadaan'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        res.items.map((e) =>
          h(
            'tr',
            { class: e.overdue ? 'overdue' : '', dataset: { reg: e.registrationNumber } },
            td('Nomor', caseLink(e.registrationNumber)),
            td('Tahap', stepTitle(sop, e.escalatedStep)),
            td('Kecamatan', e.district),
            td('Tingkat', `Tingkat ${e.level}`),
            td('Dieskalasi', fmtDateTime(e.escalatedAt)),
            td('Keadaan', h('span', { class: 'late-text' }, e.lateText)),
          ),
        ),
      ),
    ),
  );
}

/** The nav badge: open escalations for the signed-in supervisor, refreshed every minute. */
export function escalationBadge(link, onLeaveApp) {
  const badge = h('span', { class: 'nav-badge', hidden: true, id: 'escalation-badge' });
  link.append(' ', badge);
  const load = async () => {
    try {
      const { count } = await api.staffGet('/api/control/escalations/count');
      badge.textContent = String(count);
      badge.hidden = count === 0;
      link.setAttribute('aria-label', count ? `Eskalasi untuk saya: ${count} terbuka` : 'Eskalasi untuk saya');
    } catch {
      /* the badge is a hint; the page itself shows errors */
    }
  };
  void load();
  const timer = setInterval(() => void load(), 60_000);
  onLeaveApp(() => clearInterval(timer));
}

// ---------------------------------------------------------------- Laporan SLA

const BY_LABELS = { step: 'Per tahap', district: 'Per kecamatan', officer: 'Per petugas' };

export async function slaReportView(root, ctx) {
  const { sop } = ctx;
  const today = jakartaToday();
  const from = h('input', { type: 'date', name: 'from', value: `${today.slice(0, 8)}01`, max: today, id: 'sla-from' });
  const to = h('input', { type: 'date', name: 'to', value: today, max: today, id: 'sla-to' });
  const by = h('select', { name: 'by', id: 'sla-by' }, Object.entries(BY_LABELS).map(([v, t]) => h('option', { value: v }, t)));
  const button = h('button', { type: 'submit' }, 'Tampilkan');
  const quick = (text, f) => {
    const b = h('button', { type: 'button', class: 'secondary small' }, text);
    b.addEventListener('click', () => {
      [from.value, to.value] = f();
      form.requestSubmit();
    });
    return b;
  };
  const shift = (days) => new Date(Date.parse(`${today}T00:00:00+07:00`) + days * 86400_000 + 7 * 3600_000).toISOString().slice(0, 10);
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'sla-form' },
    h('div', { class: 'grid' }, field({ path: 'from', label: 'Dari tanggal', control: from }), field({ path: 'to', label: 'Sampai tanggal', control: to }), field({ path: 'by', label: 'Kelompokkan', control: by })),
    h('div', { class: 'row' }, button, quick('Hari ini', () => [today, today]), quick('7 hari terakhir', () => [shift(-6), today]), quick('Bulan ini', () => [`${today.slice(0, 8)}01`, today]), quick('Tahun ini', () => [`${today.slice(0, 5)}01-01`, today])),
  );
  const out = h('div', { id: 'sla-report' });
  root.append(h('h1', {}, 'Laporan SLA'), form, out);
  const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`);
  const numbers = (r) => [
    td('Selesai', String(r.count)),
    td('Tepat waktu', String(r.withinStandard)),
    td('Selesai terlambat', String(r.completedLate)),
    td('Masih terbuka & terlambat', r.openOverdue ? h('span', { class: 'badge bad' }, String(r.openOverdue)) : '0'),
    td('Median / p90', r.count ? `${fmtMinutes(r.medianMinutes)} / ${fmtMinutes(r.p90Minutes)}` : '–'),
    td('Sesuai standar', h('span', { class: r.withinStandardShare !== null && r.withinStandardShare < 0.8 ? 'late-text' : '' }, pct(r.withinStandardShare))),
  ];
  const heads = ['Selesai', 'Tepat waktu', 'Selesai terlambat', 'Masih terbuka & terlambat', 'Median / p90', 'Sesuai standar'];
  const ticket = latestWins();
  const show = async () => {
    const current = ticket();
    const r = await api.staffGet(`/api/reports/sla?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}&by=${by.value}`);
    if (!current()) return;
    const groupName = r.by === 'district' ? 'Kecamatan' : 'Petugas';
    clear(out,
      h(
        'section',
        { class: 'card' },
        h('h2', {}, `${BY_LABELS[r.by]}, ${fmtPeriod(r.from, r.to)}`),
        h('p', { class: 'hint', id: 'sla-clock' }, h('strong', {}, `Jam SLA: ${r.clockName}. `), r.clockExplain),
        h('p', { class: 'hint' }, '“Sesuai standar” = selesai tepat waktu ÷ (selesai + masih terbuka dan sudah terlambat pada akhir periode). Pembatalan tidak dihitung. Median dan p90 dihitung dalam menit penuh (sisa detik tidak dihitung).'),
        h(
          'table',
          { class: 'stack', id: 'sla-steps' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Tahap'), h('th', { scope: 'col' }, 'Waktu baku'), heads.map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, r.steps.map((s) => h('tr', { dataset: { step: s.key } }, td('Tahap', stepTitle(sop, s.key)), td('Waktu baku', fmtMinutes(s.standardMinutes)), numbers(s)))),
        ),
        r.by !== 'step'
          ? [
              h('h3', {}, `${BY_LABELS[r.by]} dan tahap`),
              r.groups.length
                ? h(
                    'table',
                    { class: 'stack', id: 'sla-groups' },
                    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, groupName), h('th', { scope: 'col' }, 'Tahap'), heads.map((t) => h('th', { scope: 'col' }, t)))),
                    h('tbody', {}, r.groups.map((g) => h('tr', {}, td(groupName, g.groupLabel), td('Tahap', stepTitle(sop, g.key)), numbers(g)))),
                  )
                : h('p', { class: 'muted' }, 'Tidak ada data pada periode ini.'),
            ]
          : null,
      ),
    );
  };
  handleSubmit(form, button, async () => {
    try {
      await show();
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  await show();
}

function fmtPeriod(from, to) {
  return from === to ? formatIndonesianDate(from) : `${formatIndonesianDate(from)} – ${formatIndonesianDate(to)}`;
}
