// /lacak: tracking by registration number and NIK; the SOP steps and where the case is,
// the rejection reason, the receipt, the resubmission form when the case awaits one, and the
// applicant's own cancellation while the SOP still allows it (before printing).
import { api, ApiError } from './api.js';
import * as D from './domain.js';
import { h, clear, notice, statusBadge } from './dom.js';
import { field, showErrors, clearErrors, handleSubmit } from './forms.js';
import { attachmentSection } from './attachments.js';
import { loadSop } from './sop.js';
import { dataAccessSection } from './data-access.js';
import { trackingTokenFromPath, trackByToken } from './lacak-token.js';

const app = document.getElementById('app');
const result = h('div', { id: 'tracking-result', 'aria-live': 'polite' });

async function main() {
  const sop = await loadSop();
  const params = new URLSearchParams(location.search);
  const regInput = h('input', { type: 'text', name: 'registrationNumber', autocomplete: 'off', placeholder: 'BP-20261123-00001', value: params.get('reg') || '' });
  const nikInput = h('input', { type: 'text', name: 'nik', inputmode: 'numeric', maxlength: 16, autocomplete: 'off' });
  const button = h('button', { type: 'submit' }, 'Lacak');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'tracking-form', 'aria-label': 'Lacak permohonan' },
    field({ path: 'registrationNumber', label: 'Nomor registrasi', required: true, control: regInput }),
    field({ path: 'nik', label: 'NIK pemilik dokumen', hint: '16 angka, sama dengan saat mengajukan.', required: true, control: nikInput }),
    h('div', { class: 'row' }, button),
  );
  const track = async () => {
    clearErrors(form);
    button.disabled = true;
    try {
      const body = { registrationNumber: regInput.value.trim().toUpperCase(), nik: nikInput.value.trim() };
      const data = await api.post('/api/tracking', body);
      render(sop, data, body.nik, track);
      return data;
    } catch (err) {
      clear(result);
      if (err instanceof ApiError && err.status === 404) showErrors(form, { message: 'Permohonan tidak ditemukan. Periksa nomor registrasi dan NIK.', errors: [] });
      else showErrors(form, err);
      return null;
    } finally {
      button.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void track();
  });
  clear(app, form, result, officeBox);
  fetch('/api/office', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((o) => {
      if (o) officeBox.append(h('h2', {}, 'Butuh bantuan?'), h('p', {}, o.name), h('p', { class: 'small' }, o.address), h('p', {}, `Telepon ${o.phone} (${o.hours})`));
    })
    .catch(() => undefined);
  const token = trackingTokenFromPath();
  if (token) {
    // Opened from the WhatsApp link: show the status at once; the NIK is asked only to change the case.
    try {
      const data = await trackByToken(token);
      regInput.value = data.registrationNumber;
      render(sop, data, null, null);
      if (!['COMPLETED', 'CANCELLED', 'REJECTED'].includes(data.status)) {
        result.append(notice('info', 'Untuk membatalkan atau mengirim perbaikan berkas, isi NIK pada formulir di atas lalu tekan Lacak.'));
      }
    } catch (err) {
      clear(result, notice('bad', err.message || 'Tautan lacak tidak dapat dibuka.'));
    }
  }
  if (params.get('reg') && nikInput.value) void track();
}

const officeBox = h('section', { class: 'card office-contact', id: 'office-contact' });

const dateFmt = (v) => D.formatIndonesianDateTime(v);

/** An estimate in plain words instead of a countdown: "hari ini sekitar pukul 10.15", "besok", a date. */
function estimate(dueAt) {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return '';
  const day = (t) => D.jakartaDateString(t);
  const now = Date.now();
  const time = D.formatIndonesianDateTime(due).replace(/^.* pukul /, '');
  if (due < now) return 'seharusnya sudah selesai; petugas sedang menindaklanjuti';
  if (day(due) === day(now)) return `hari ini, sekitar pukul ${time}`;
  if (day(due) === day(now + 86_400_000)) return `besok, sekitar pukul ${time}`;
  return `${D.formatIndonesianDateWithDay(due)}, sekitar pukul ${time}`;
}

function render(sop, data, nik, refresh) {
  const reg = data.registrationNumber;
  const steps = new Map((data.steps || []).map((s) => [s.key, s]));
  const stopped = data.status === 'CANCELLED' || data.status === 'REJECTED';
  const list = h(
    'ol',
    { class: 'steps-plain', 'aria-label': 'Tahapan layanan' },
    sop.steps.map((s) => {
      let st = steps.get(s.key) || { state: 'pending' };
      // A cancelled or rejected case never shows "Selesai" as reached.
      if (stopped && s.key === 'DONE') st = { state: 'pending' };
      const plain = D.CITIZEN_STEP_LABELS[s.key] || { title: s.title, explain: '' };
      const where = st.state === 'current' && stopped ? 'berhenti di sini' : { done: 'sudah', current: 'sedang berjalan', pending: 'belum' }[st.state];
      return h(
        'li',
        { class: st.state, dataset: { step: s.key, state: st.state }, 'aria-current': st.state === 'current' ? 'step' : null },
        h('div', { class: 'title' }, h('strong', {}, `${st.state === 'done' ? '✓ ' : ''}${plain.title}`), h('span', { class: 'small muted' }, ` — ${where}`)),
        st.state === 'current' && !stopped ? h('p', { class: 'small' }, plain.explain) : null,
        st.completedAt ? h('p', { class: 'small muted' }, `Selesai ${dateFmt(st.completedAt)}`) : null,
        st.state === 'current' && st.dueAt && data.status === 'IN_PROGRESS' ? h('p', { class: 'small estimate' }, `Perkiraan: ${estimate(st.dueAt)}`) : null,
        h('p', { class: 'office-title' }, `Di kantor: ${s.title}`),
      );
    }),
  );

  const current = D.CITIZEN_STEP_LABELS[data.currentStep];
  const parts = [
    h('h2', {}, 'Status permohonan'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, 'Nomor registrasi'),
      h('dd', { class: 'mono' }, reg),
      h('dt', {}, 'Status'),
      h('dd', { id: 'tracking-status', dataset: { status: data.status } }, statusBadge(data.status)),
      !stopped && data.status !== 'COMPLETED' ? [h('dt', {}, 'Sekarang'), h('dd', { id: 'current-step-plain' }, current ? current.title : data.currentStep)] : null,
    ),
  ];
  if (data.cancellation) {
    const byOffice = data.cancellation.by === 'office';
    parts.push(
      h(
        'div',
        { class: 'notice bad', id: 'cancellation', role: 'status' },
        h('strong', {}, byOffice ? 'Permohonan dibatalkan oleh kantor Disdukcapil' : 'Permohonan dibatalkan atas permintaan Anda'),
        data.cancellation.reason ? h('p', { id: 'cancellation-reason' }, `Alasan: ${data.cancellation.reason}`) : null,
        h('p', { class: 'small' }, dateFmt(data.cancellation.at)),
        byOffice ? h('p', { class: 'small' }, 'Bila ada pertanyaan, hubungi kantor (kontak di bawah). Anda dapat mengajukan permohonan baru.') : null,
      ),
    );
  }
  if (data.rejection) {
    const awaiting = data.status === 'AWAITING_RESUBMISSION';
    parts.push(
      h(
        'div',
        { class: 'notice bad', id: 'rejection', role: 'status' },
        h('strong', {}, awaiting ? 'Berkas perlu diperbaiki' : 'Permohonan ditolak'),
        h('p', { id: 'rejection-reason' }, `Alasan dari petugas: ${data.rejection.reason}`),
        h('p', { class: 'small' }, dateFmt(data.rejection.at)),
        data.resubmissionDueAt ? h('p', {}, `Kirim perbaikan paling lambat ${dateFmt(data.resubmissionDueAt)}.`) : null,
      ),
    );
  }
  if (data.receipt) {
    parts.push(
      h(
        'div',
        { class: 'notice ok', id: 'receipt' },
        h('strong', {}, 'Kartu sudah diterima'),
        h('p', {}, 'Nomor tanda terima: ', h('span', { class: 'mono' }, data.receipt.number)),
        h('p', { class: 'small' }, `Diserahkan ${dateFmt(data.receipt.deliveredAt)}`),
        h('p', {}, h('a', { href: `/verifikasi/${encodeURIComponent(reg)}` }, 'Periksa keabsahan tanda tangan elektronik')),
      ),
    );
  }
  parts.push(h('h3', {}, 'Tahapan'), list, dataAccessSection(data.dataAccess));
  const card = h('section', { class: 'card', 'aria-label': 'Hasil pelacakan' }, parts);
  clear(result, card);
  if (!nik) return;
  if (data.status === 'AWAITING_RESUBMISSION') result.append(resubmissionForm(reg, nik, refresh, data.rejection));
  if (cancellable(sop, data)) result.append(cancellationForm(reg, nik, refresh));
}

/** The applicant may cancel at the steps of the SOP's `cancel` action, or while a resubmission is awaited. */
function cancellable(sop, data) {
  if (data.status === 'AWAITING_RESUBMISSION') return true;
  const cancel = (sop.raw.actions || []).find((a) => a.name === 'cancel');
  return data.status === 'IN_PROGRESS' && !!cancel && cancel.steps.includes(data.currentStep);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cancellationForm(reg, nik, refresh) {
  const reasonControl = h('textarea', { name: 'reason', maxlength: 500, rows: 3 });
  const button = h('button', { type: 'submit', class: 'danger' }, 'Ya, batalkan permohonan');
  const sure = h('input', { type: 'checkbox', name: 'confirm' });
  button.disabled = true;
  sure.addEventListener('change', () => {
    button.disabled = !sure.checked;
  });
  const form = h(
    'form',
    { class: 'card cancel-form', novalidate: true, id: 'cancellation-form', 'aria-label': 'Batalkan permohonan', hidden: true },
    h('h2', {}, 'Batalkan permohonan'),
    h('p', { class: 'small muted' }, 'Pembatalan hanya dapat dilakukan sebelum dokumen dicetak dan tidak dapat diurungkan. Untuk mengurus dokumen lagi, ajukan permohonan baru.'),
    field({ path: 'reason', label: 'Alasan pembatalan', hint: 'Jelaskan singkat mengapa permohonan dibatalkan.', required: true, control: reasonControl }),
    h('label', { class: 'check' }, sure, 'Saya mengerti pembatalan tidak dapat diurungkan.'),
    h('div', { class: 'row' }, button),
  );
  const open = h('button', { type: 'button', class: 'secondary', id: 'open-cancellation' }, 'Batalkan permohonan…');
  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    reasonControl.focus();
  });
  handleSubmit(form, button, async () => {
    try {
      await api.post(`/api/applications/${encodeURIComponent(reg)}/cancellation`, { nik, reason: reasonControl.value.trim() });
    } catch (err) {
      button.disabled = false;
      if (err instanceof ApiError && err.status === 409) {
        // No longer cancellable (printing has begun, or already closed): show why, with the current state.
        await refresh();
        result.prepend(notice('bad', err.message));
      } else {
        showErrors(form, err);
      }
      return;
    }
    // The tracking view may trail the workflow by a moment: re-read until it shows the cancellation.
    let data = null;
    for (let i = 0; i < 20; i++) {
      data = await refresh();
      if (!data || data.status === 'CANCELLED') break;
      await sleep(500);
    }
    if (data) result.prepend(notice('ok', 'Permohonan telah dibatalkan.'));
  });
  return h('div', { class: 'cancel-area' }, open, form);
}

function resubmissionForm(reg, nik, refresh, rejection) {
  const attachments = attachmentSection({ legend: 'Berkas pengganti', hint: 'Pilih jenis berkas yang diminta petugas, lalu unggah foto atau PDF yang baru (paling besar 2 MB per berkas).' });
  const noteControl = h('textarea', { name: 'note', maxlength: 500, rows: 3 });
  const button = h('button', { type: 'submit' }, 'Kirim perbaikan');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'resubmission-form', 'aria-label': 'Kirim perbaikan berkas' },
    h('h2', {}, 'Kirim perbaikan berkas'),
    rejection ? h('p', { id: 'replace-hint' }, 'Ganti berkas yang disebut petugas: ', h('strong', {}, rejection.reason)) : null,
    attachments.element,
    field({ path: 'note', label: 'Catatan (opsional)', control: noteControl }),
    h('div', { class: 'row' }, button),
  );
  handleSubmit(form, button, async () => {
    try {
      const body = { nik, attachments: await attachments.collect() };
      if (noteControl.value.trim()) body.note = noteControl.value.trim();
      await api.post(`/api/applications/${encodeURIComponent(reg)}/resubmission`, body);
      await refresh();
      result.prepend(notice('ok', 'Perbaikan berkas terkirim. Permohonan kembali diverifikasi oleh petugas.'));
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

main().catch((err) => clear(app, notice('bad', err.message || 'Halaman tidak dapat dimuat.')));
