// Tugas saya: the task list of a working day. Filters (step, district, document type, claim,
// overdue) and sort orders are the API's (GET /api/tasks); "Tangani"/"Lepaskan" claim a task so
// colleagues see "Sedang ditangani oleh …"; roles with a bulk decision (sub-coordinator: print
// verification, kabid: approval with TTE) select several tasks and decide them in one confirmation,
// then see a result per case.
import { api, request } from './api.js';
import { h, clear, notice, countdown, latestWins } from './dom.js';
import { field } from './forms.js';
import { stepTitle, documentTypeLabel, label } from './sop.js';
import { confirmDecision } from './decision-dialog.js';
import { GROBOGAN_DISTRICTS, TASK_SORT_LABELS, TASK_CLAIM_FILTER_LABELS, BULK_OUTCOME_LABELS } from '/js/domain.js';

/** The subject's name, or the recipient's for the courier; a dash when the role may not see either (SPEC §9). */
const personName = (c) => c.subjectName ?? (c.recipientName ? `${c.recipientName} (penerima)` : '–');
/** Why the task waits, when it is more than "waiting for staff" (every task is), or its escalation. */
const note = (t) => {
  const parts = [];
  if (t.waitingFor && t.waitingFor !== 'STAFF_ACTION') parts.push(label('waiting', t.waitingFor));
  if (t.escalationLevel) parts.push(`Eskalasi tingkat ${t.escalationLevel}`);
  return parts.length ? parts.join('; ') : '–';
};
const select = (name, options, value = '') =>
  h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));

export async function tasksView(root, ctx) {
  const { sop, user } = ctx;
  const mySteps = sop.steps.filter((s) => s.actor === user.role);
  const filters = {
    step: select('step', [['', 'Semua tahap saya'], ...mySteps.map((s) => [s.key, `${s.number}. ${s.title}`])]),
    district: select('district', [['', 'Semua kecamatan'], ...GROBOGAN_DISTRICTS.map((d) => [d, d])]),
    documentType: select('documentType', [['', 'Semua jenis'], ...Object.entries(sop.documentTypeLabels)]),
    claim: select('claim', Object.entries(TASK_CLAIM_FILTER_LABELS).map(([k, v]) => [k, v]), 'all'),
    sort: select('sort', Object.entries(TASK_SORT_LABELS), 'urgency'),
  };
  const overdue = h('input', { type: 'checkbox', name: 'overdue' });
  const filterForm = h(
    'form',
    { role: 'search', 'aria-label': 'Saring tugas' },
    h(
      'div',
      { class: 'filter-grid' },
      mySteps.length > 1 ? field({ path: 'step', label: 'Tahap', control: filters.step }) : null,
      field({ path: 'district', label: 'Kecamatan', control: filters.district }),
      field({ path: 'documentType', label: 'Jenis dokumen', control: filters.documentType }),
      field({ path: 'claim', label: 'Penanganan', control: filters.claim }),
      field({ path: 'sort', label: 'Urutan', control: filters.sort }),
    ),
    h('label', { class: 'check' }, overdue, 'Hanya yang terlambat'),
  );
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Muat ulang');
  const status = h('div', { id: 'tasks-status' });
  const results = h('div', { id: 'bulk-results' });
  const bulkBar = h('div', { class: 'bulk-bar card', id: 'bulk-bar', hidden: true });
  const body = h('div', { id: 'tasks' });
  // On a phone the filters fold away under one line; on a desktop they stay open.
  const filterBox = h('details', { class: 'card task-filters', open: !window.matchMedia('(max-width: 640px)').matches }, h('summary', {}, 'Saring dan urutkan'), filterForm);
  root.append(h('div', { class: 'row' }, h('h1', {}, 'Tugas saya'), refresh), filterBox, status, results, bulkBar, body);

  let bulk = [];
  let lastTruncated = false;
  let items = [];
  const selected = new Set();

  const query = () => {
    const p = new URLSearchParams();
    for (const [k, el] of Object.entries(filters)) if (el.value) p.set(k, el.value);
    if (overdue.checked) p.set('overdue', 'true');
    return p.toString();
  };

  const ticket = latestWins();
  const load = async () => {
    const current = ticket();
    const res = await api.staffGet(`/api/tasks?${query()}`);
    if (!current()) return;
    items = res.items || [];
    bulk = res.bulkActions || [];
    for (const r of [...selected]) if (!items.some((t) => t.registrationNumber === r && bulkFor(t))) selected.delete(r);
    render(res.truncated);
  };
  const bulkFor = (t) => bulk.find((b) => b.step === t.currentStep && !(t.claim && !t.claim.mine));
  const fail = (e) => clear(status, notice('bad', e.message));

  const claimCell = (t) => {
    const buttons = [];
    const act = async (path, body) => {
      try {
        await request(path, { auth: true, method: 'POST', body });
        clear(status);
        await load();
      } catch (e) {
        fail(e);
      }
    };
    const enc = encodeURIComponent(t.registrationNumber);
    if (!t.claim) buttons.push(h('button', { type: 'button', class: 'secondary small-button', onclick: () => act(`/api/claims/${enc}`, {}), 'aria-label': `Tangani ${t.registrationNumber}` }, 'Tangani'));
    else if (t.claim.mine) buttons.push(h('button', { type: 'button', class: 'secondary small-button', onclick: () => act(`/api/claims/${enc}/release`, {}), 'aria-label': `Lepaskan ${t.registrationNumber}` }, 'Lepaskan'));
    else buttons.push(h('button', { type: 'button', class: 'secondary small-button', onclick: () => act(`/api/claims/${enc}`, { takeOver: true }), 'aria-label': `Ambil alih ${t.registrationNumber}` }, 'Ambil alih'));
    return [t.claim ? h('span', { class: t.claim.mine ? 'claim mine' : 'claim' }, t.claim.mine ? 'Sedang Anda tangani' : t.claim.note) : h('span', { class: 'muted' }, 'Belum ditangani'), ' ', buttons];
  };

  const renderBulkBar = () => {
    clear(bulkBar);
    const offered = bulk.filter((b) => items.some((t) => bulkFor(t) === b));
    bulkBar.hidden = offered.length === 0;
    const selectable = items.filter((t) => bulkFor(t));
    if (selectable.length) {
      const all = h('input', { type: 'checkbox', id: 'select-all', checked: selectable.every((t) => selected.has(t.registrationNumber)) });
      all.addEventListener('change', () => {
        for (const t of selectable) {
          if (all.checked) selected.add(t.registrationNumber);
          else selected.delete(t.registrationNumber);
        }
        render(lastTruncated);
      });
      bulkBar.append(h('label', { class: 'check select-all' }, all, `Pilih semua (${selectable.length})`));
    }
    for (const b of offered) {
      const chosen = items.filter((t) => selected.has(t.registrationNumber) && bulkFor(t) === b);
      const button = h('button', { type: 'button', id: `bulk-${b.action}`, disabled: chosen.length === 0 }, `${b.verb} (${chosen.length})`);
      button.addEventListener('click', () => void decide(b, chosen));
      bulkBar.append(h('p', { class: 'bulk-count', 'aria-live': 'polite' }, `${chosen.length} dipilih · ${b.title}`), button);
    }
  };

  const decide = async (b, chosen) => {
    const regNos = chosen.map((t) => t.registrationNumber);
    const names = Object.fromEntries(chosen.filter((t) => t.subjectName).map((t) => [t.registrationNumber, t.subjectName]));
    const answer = await confirmDecision({
      title: regNos.length === 1 ? `${b.title}: 1 permohonan` : `${b.title}: ${regNos.length} permohonan sekaligus`,
      verb: b.verb,
      regNos,
      names,
      needsPassphrase: b.needsPassphrase,
      submit: (passphrase) => api.staffPost('/api/bulk/decisions', { action: b.action, registrationNumbers: regNos, ...(passphrase ? { passphrase } : {}) }),
    });
    if (!answer) return;
    for (const r of regNos) selected.delete(r);
    showResults(answer);
    await load().catch(fail);
  };

  const showResults = (answer) => {
    const kind = answer.summary.failed ? 'bad' : answer.summary.skipped ? 'warn' : 'ok';
    const rows = answer.items.map((i) =>
      h(
        'tr',
        { dataset: { reg: i.registrationNumber, outcome: i.outcome } },
        h('td', { 'data-label': 'Nomor' }, h('a', { href: `#/kasus/${encodeURIComponent(i.registrationNumber)}`, class: 'mono' }, i.registrationNumber)),
        h('td', { 'data-label': 'Hasil' }, h('span', { class: `badge ${i.outcome === 'done' ? 'ok' : i.outcome === 'failed' ? 'bad' : 'warn'}` }, BULK_OUTCOME_LABELS[i.outcome])),
        h('td', { 'data-label': 'Keterangan' }, i.message),
      ),
    );
    const close = h('button', { type: 'button', class: 'secondary' }, 'Tutup hasil');
    close.addEventListener('click', () => clear(results));
    const msg = notice(kind, h('strong', {}, `Hasil keputusan: ${answer.summaryText}.`));
    clear(results,
      h(
        'section',
        { class: 'card', 'aria-label': 'Hasil keputusan sekaligus' },
        msg,
        h('table', { class: 'stack', id: 'bulk-results-table' }, h('thead', {}, h('tr', {}, ['Nomor', 'Hasil', 'Keterangan'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)),
        h('div', { class: 'row' }, close),
      ),
    );
    msg.setAttribute('tabindex', '-1');
    msg.focus();
  };

  const render = (truncated) => {
    clear(body);
    renderBulkBar();
    if (!items.length) {
      body.append(notice('ok', query() === 'claim=all&sort=urgency' ? 'Tidak ada tugas. Semua beres.' : 'Tidak ada tugas yang cocok dengan saringan ini.'));
      return;
    }
    lastTruncated = truncated;
    const withSelect = items.some((t) => bulkFor(t));
    // One step for every task (sub-coordinator, kabid): the step column says nothing.
    const showStep = mySteps.length > 1 || items.some((t) => t.currentStep !== mySteps[0]?.key);
    const rows = items.map((t) => {
      const due = t.stepDueAt;
      let box = null;
      if (bulkFor(t)) {
        box = h('input', { type: 'checkbox', class: 'pick', 'aria-label': `Pilih ${t.registrationNumber}`, checked: selected.has(t.registrationNumber) });
        box.addEventListener('change', () => {
          if (box.checked) selected.add(t.registrationNumber);
          else selected.delete(t.registrationNumber);
          renderBulkBar();
        });
      }
      return h(
        'tr',
        { class: t.overdue ? 'overdue' : '', dataset: { reg: t.registrationNumber } },
        withSelect ? h('td', { 'data-label': 'Pilih', class: 'pick-cell' }, box) : null,
        h('td', { 'data-label': 'Nomor' }, h('a', { href: `#/kasus/${encodeURIComponent(t.registrationNumber)}`, class: 'mono reg' }, t.registrationNumber)),
        h('td', { 'data-label': 'Nama', class: 'name-cell' }, personName(t)),
        showStep ? h('td', { 'data-label': 'Tahap' }, stepTitle(sop, t.currentStep)) : null,
        h('td', { 'data-label': 'Dokumen' }, documentTypeLabel(sop, t.documentType)),
        h('td', { 'data-label': 'Kecamatan' }, t.district ?? '–'),
        h('td', { 'data-label': 'Sisa waktu' }, due ? countdown(due) : '–', t.overdue ? [' ', h('span', { class: 'badge bad' }, 'Terlambat')] : null),
        h('td', { 'data-label': 'Penanganan', class: 'claim-cell' }, claimCell(t)),
        h('td', { 'data-label': 'Keterangan', class: note(t) === '–' ? 'empty' : null }, note(t)),
      );
    });
    const columns = ['Nomor', 'Nama', showStep ? 'Tahap' : null, 'Dokumen', 'Kecamatan', 'Sisa waktu', 'Penanganan', 'Keterangan'].filter(Boolean);
    const headers = [withSelect ? h('th', { scope: 'col' }, 'Pilih') : null, ...columns.map((t) => h('th', { scope: 'col' }, t))];
    body.append(h('table', { class: 'stack task-table', id: 'tasks-table' }, h('thead', {}, h('tr', {}, headers)), h('tbody', {}, rows)));
    if (truncated) body.append(h('p', { class: 'muted small' }, 'Hanya sebagian tugas ditampilkan; persempit dengan saringan.'));
  };

  for (const el of [...Object.values(filters), overdue]) el.addEventListener('change', () => void load().catch(fail));
  filterForm.addEventListener('submit', (ev) => ev.preventDefault());
  refresh.addEventListener('click', () => void load().catch(fail));
  await load();
  const timer = setInterval(() => void load().catch(() => undefined), 30_000);
  ctx.onLeave(() => clearInterval(timer));
}
