// /lacak: tracking by registration number and NIK; the SOP steps and where the case is,
// the rejection reason, the receipt, the resubmission form when the case awaits one, and the
// applicant's own cancellation while the SOP still allows it (before printing).
import { api, ApiError } from './api.js';
import { h, clear, notice, fmtDateTime, statusBadge, countdown, startCountdowns } from './dom.js';
import { field, showErrors, clearErrors, handleSubmit } from './forms.js';
import { attachmentSection } from './attachments.js';
import { loadSop, stepTitle, label } from './sop.js';
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
  clear(app).append(form, result);
  startCountdowns();
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
      clear(result).append(notice('bad', err.message || 'Tautan lacak tidak dapat dibuka.'));
    }
  }
}

function render(sop, data, nik, refresh) {
  const reg = data.registrationNumber;
  const steps = new Map((data.steps || []).map((s) => [s.key, s]));
  const list = h(
    'ol',
    { class: 'steps', 'aria-label': 'Tahapan layanan' },
    sop.steps.map((s) => {
      const st = steps.get(s.key) || { state: 'pending' };
      const cls = [st.state, st.overdue ? 'overdue' : ''].join(' ');
      const stateText = { done: 'selesai', current: 'sedang berjalan', pending: 'belum' }[st.state] || st.state;
      return h(
        'li',
        { class: cls, dataset: { step: s.key, state: st.state }, 'aria-current': st.state === 'current' ? 'step' : null },
        h('span', { class: 'dot', 'aria-hidden': 'true' }, st.state === 'done' ? '✓' : String(s.number)),
        h('div', { class: 'title' }, `${s.title}`),
        h(
          'div',
          { class: 'small muted' },
          `(${stateText})`,
          st.completedAt ? ` · selesai ${fmtDateTime(st.completedAt)}` : st.startedAt ? ` · mulai ${fmtDateTime(st.startedAt)}` : '',
          st.state === 'current' && st.dueAt && data.status === 'IN_PROGRESS' ? [' · ', countdown(st.dueAt)] : null,
          st.overdue ? h('span', { class: 'badge bad' }, ' melewati standar waktu') : null,
        ),
      );
    }),
  );

  const parts = [
    h('h2', {}, 'Status permohonan'),
    h('dl', { class: 'kv' }, h('dt', {}, 'Nomor registrasi'), h('dd', { class: 'mono' }, reg), h('dt', {}, 'Status'), h('dd', { id: 'tracking-status', dataset: { status: data.status } }, statusBadge(data.status)), h('dt', {}, 'Tahap saat ini'), h('dd', {}, stepTitle(sop, data.currentStep)), data.waitingFor ? [h('dt', {}, 'Keterangan'), h('dd', {}, label('waiting', data.waitingFor))] : null),
  ];
  if (data.rejection) {
    parts.push(
      h(
        'div',
        { class: 'notice bad', id: 'rejection', role: 'status' },
        h('strong', {}, `Permohonan ditolak pada tahap ${stepTitle(sop, data.rejection.step)}`),
        h('p', { id: 'rejection-reason' }, `Alasan: ${data.rejection.reason}`),
        h('p', { class: 'small' }, fmtDateTime(data.rejection.at)),
        data.resubmissionDueAt ? h('p', { class: 'small' }, `Perbaiki berkas paling lambat ${fmtDateTime(data.resubmissionDueAt)}.`) : null,
      ),
    );
  }
  if (data.receipt) {
    parts.push(
      h(
        'div',
        { class: 'notice ok', id: 'receipt' },
        h('strong', {}, 'Dokumen sudah diterima'),
        h('p', {}, `Nomor tanda terima: `, h('span', { class: 'mono' }, data.receipt.number)),
        h('p', { class: 'small' }, `Diserahkan ${fmtDateTime(data.receipt.deliveredAt)}`),
        h('p', {}, h('a', { href: `/verifikasi/${encodeURIComponent(reg)}` }, 'Periksa keabsahan tanda tangan elektronik')),
      ),
    );
  }
  parts.push(h('h3', {}, 'Tahapan'), list, dataAccessSection(data.dataAccess));
  const card = h('section', { class: 'card', 'aria-label': 'Hasil pelacakan' }, parts);
  clear(result).append(card);
  if (!nik) return;
  if (data.status === 'AWAITING_RESUBMISSION') result.append(resubmissionForm(reg, nik, refresh));
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
  const form = h(
    'form',
    { class: 'card cancel-form', novalidate: true, id: 'cancellation-form', 'aria-label': 'Batalkan permohonan' },
    h('h2', {}, 'Batalkan permohonan'),
    h('p', { class: 'small muted' }, 'Pembatalan hanya dapat dilakukan sebelum dokumen dicetak dan tidak dapat diurungkan. Untuk mengurus dokumen lagi, ajukan permohonan baru.'),
    field({ path: 'reason', label: 'Alasan pembatalan', hint: 'Jelaskan singkat mengapa permohonan dibatalkan.', required: true, control: reasonControl }),
    h('div', { class: 'row' }, button),
  );
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
  return form;
}

function resubmissionForm(reg, nik, refresh) {
  const attachments = attachmentSection({ legend: 'Berkas perbaikan', hint: 'Unggah ulang berkas yang diminta (JPEG, PNG atau PDF, paling besar 2 MB per berkas).' });
  const noteControl = h('textarea', { name: 'note', maxlength: 500, rows: 3 });
  const button = h('button', { type: 'submit' }, 'Kirim perbaikan');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'resubmission-form', 'aria-label': 'Kirim perbaikan berkas' },
    h('h2', {}, 'Kirim perbaikan berkas'),
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

main().catch((err) => clear(app).append(notice('bad', err.message || 'Halaman tidak dapat dimuat.')));
