// /ajukan: the citizen's application form, built to succeed the first time on a phone.
// Every rule is checked as the citizen types, from the same file the server validates with
// (domain/application-form.ts, served as /js/domain.js); all problems are shown at once.
import * as D from './domain.js';
import { h, clear, notice } from './dom.js';
import { compressImage, postJson, fmtSize } from './upload.js';
import { fileToBase64 } from './api.js';
import { privacyNotice } from './privacy.js';

const app = document.getElementById('app');
const DRAFT_KEY = 'becak.ajukan.draft';
const MAX = D.MAX_ATTACHMENT_BYTES;

const today = () => D.jakartaDateString(Date.now());

let uid = 0;
/** A labelled field: label, hint, control, error line. `path` is the rule's path. */
function field(path, label, control, { hint, optional } = {}) {
  const id = control.id || `f-${++uid}`;
  control.id = id;
  const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl && hintEl.id, err.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { path } }, h('label', { for: id }, label, optional ? h('span', { class: 'muted' }, ' (opsional)') : null), hintEl, control, err);
}
const input = (name, attrs = {}) => h('input', { type: 'text', name, ...attrs });

async function loadOffice() {
  try {
    const res = await fetch('/api/office', { headers: { Accept: 'application/json' } });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

function main() {
  const officePromise = loadOffice();

  // ── who the card is for ────────────────────────────────────────────
  const nik = input('subject.nik', { inputmode: 'numeric', maxlength: 16, autocomplete: 'off' });
  const name = input('subject.name', { autocomplete: 'name', maxlength: 100 });
  const birth = h('input', { type: 'date', name: 'subject.birthDate', max: today() });
  const married = h('input', { type: 'checkbox', name: 'subject.married' });
  const marriedField = h(
    'div',
    { class: 'field', dataset: { path: 'subject.married', label: 'Status menikah' }, hidden: true },
    h('label', { class: 'check' }, married, 'Sudah atau pernah menikah'),
    h('p', { class: 'hint' }, 'Orang yang sudah atau pernah menikah boleh memiliki KTP-el walaupun belum berumur 17 tahun. Bila dicentang, pilih KTP-el.'),
  );
  const kk = input('subject.kkNumber', { inputmode: 'numeric', maxlength: 16, autocomplete: 'off' });

  // ── which card, why ────────────────────────────────────────────────
  const typeRadios = ['KTP_EL', 'KIA'].map((t) => h('input', { type: 'radio', name: 'documentType', value: t }));
  const typeField = h(
    'div',
    { class: 'field', dataset: { path: 'documentType' } },
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', {}, 'Jenis kartu'),
      h('p', { class: 'hint', id: 'type-hint' }, 'Isi tanggal lahir dulu: jenis kartu dipilih otomatis (di bawah 17 tahun KIA, 17 tahun ke atas KTP-el).'),
      h('label', {}, typeRadios[0], ' KTP-el'),
      h('label', {}, typeRadios[1], ' KIA (Kartu Identitas Anak)'),
    ),
    h('p', { class: 'field-error', hidden: true }),
  );
  const reasonSelect = h(
    'select',
    { name: 'reason' },
    h('option', { value: '' }, '— pilih alasan —'),
    Object.entries(D.REQUEST_REASON_LABELS).map(([v, l]) => h('option', { value: v }, l)),
  );

  // ── contact and address ────────────────────────────────────────────
  const contactName = input('contact.name', { autocomplete: 'name', maxlength: 100 });
  const phone = input('contact.phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 20 });
  const address = input('delivery.address', { autocomplete: 'street-address', maxlength: 200 });
  const rt = input('delivery.rt', { inputmode: 'numeric', maxlength: 3 });
  const rw = input('delivery.rw', { inputmode: 'numeric', maxlength: 3 });
  const village = input('delivery.village', { maxlength: 100 });
  const district = h('select', { name: 'delivery.district' }, h('option', { value: '' }, '— pilih kecamatan —'), D.GROBOGAN_DISTRICTS.map((d) => h('option', { value: d }, d)));
  const note = h('textarea', { name: 'delivery.note', maxlength: 300, rows: 2 });

  // ── requirements and uploads ───────────────────────────────────────
  const reqList = h('ul', { id: 'requirements' });
  const reqBox = h('div', { class: 'card requirements', id: 'requirements-box' }, h('h3', {}, 'Berkas yang perlu disiapkan'), reqList, h('p', { class: 'hint' }, `Foto dengan kamera HP boleh: foto diperkecil otomatis sebelum dikirim. PDF paling besar ${fmtSize(MAX)}.`));
  const slotsEl = h('div', { id: 'upload-slots' });
  /** kind → { field, file (Blob), name, status } */
  const slots = new Map();

  function slotFor(req) {
    if (slots.has(req.kind)) return slots.get(req.kind);
    const fileInput = h('input', { type: 'file', name: `attachments.${req.kind}`, accept: 'image/jpeg,image/png,application/pdf' });
    const status = h('p', { class: 'upload-status small muted', 'aria-live': 'polite' });
    const bar = h('progress', { max: 100, value: 0, hidden: true });
    const f = field(`attachments.${req.kind}`, req.label, fileInput, { hint: req.hint });
    f.append(status, bar);
    const slot = { kind: req.kind, field: f, fileInput, status, bar, blob: null, fileName: null, problem: null, busy: null };
    fileInput.addEventListener('change', () => {
      slot.busy = prepareFile(slot).finally(() => {
        slot.busy = null;
        touched.add(`attachments.${req.kind}`);
        validate();
      });
    });
    slots.set(req.kind, slot);
    return slot;
  }

  async function prepareFile(slot) {
    const file = slot.fileInput.files && slot.fileInput.files[0];
    slot.blob = null;
    slot.problem = null;
    if (!file) {
      slot.status.textContent = '';
      return;
    }
    const isPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
    const isImage = /^image\//.test(file.type);
    if (isPdf) {
      if (file.size > MAX) {
        slot.problem = `Berkas PDF ini ${fmtSize(file.size)}; paling besar ${fmtSize(MAX)}. Kirim foto saja, atau pindai ulang dengan resolusi lebih kecil.`;
        slot.status.textContent = '';
        return;
      }
      slot.blob = file;
      slot.fileName = file.name;
      slot.status.textContent = `Siap dikirim: ${file.name} (${fmtSize(file.size)})`;
      return;
    }
    if (!isImage) {
      slot.problem = 'Pilih foto (JPG atau PNG) atau berkas PDF.';
      return;
    }
    slot.status.textContent = `Memperkecil foto (${fmtSize(file.size)})…`;
    try {
      const blob = await compressImage(file, MAX);
      slot.blob = blob;
      slot.fileName = blob === file ? file.name : `${file.name.replace(/\.[^.]+$/, '') || 'foto'}.jpg`;
      slot.status.textContent = blob === file ? `Siap dikirim (${fmtSize(file.size)})` : `Siap dikirim: diperkecil dari ${fmtSize(file.size)} menjadi ${fmtSize(blob.size)}`;
    } catch {
      slot.problem = 'Foto ini tidak dapat dibaca. Foto ulang atau pilih berkas lain.';
      slot.status.textContent = '';
    }
  }

  // ── consent ────────────────────────────────────────────────────────
  const consent = h('input', { type: 'checkbox', name: 'privacyConsent' });
  const consentField = h(
    'div',
    { class: 'field', dataset: { path: 'privacyConsent', label: 'Persetujuan privasi' } },
    privacyNotice(),
    h('label', { class: 'check' }, consent, 'Saya sudah membaca pemberitahuan privasi dan menyetujuinya.'),
    h('p', { class: 'field-error', hidden: true }),
  );
  const guardian = h('input', { type: 'checkbox', name: 'guardianDeclaration' });
  const guardianField = h(
    'div',
    { class: 'field', dataset: { path: 'guardianDeclaration', label: 'Pernyataan orang tua/wali' }, hidden: true },
    h('label', { class: 'check' }, guardian, 'Saya orang tua atau wali anak ini.'),
    h('p', { class: 'field-error', hidden: true }),
  );

  const summary = h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true });
  const progress = h('div', { class: 'send-progress', hidden: true, 'aria-live': 'polite' }, h('p', { id: 'send-status' }), h('progress', { id: 'send-bar', max: 100, value: 0 }));
  const submit = h('button', { type: 'submit', id: 'submit' }, 'Kirim permohonan');

  const form = h(
    'form',
    { novalidate: true, id: 'application-form', 'aria-label': 'Formulir permohonan' },
    summary,
    h('fieldset', {}, h('legend', {}, '1. Pemilik kartu'),
      field('subject.nik', 'NIK', nik, { hint: '16 angka, lihat Kartu Keluarga.' }),
      field('subject.name', 'Nama lengkap', name, { hint: 'Sesuai Kartu Keluarga.' }),
      field('subject.birthDate', 'Tanggal lahir', birth),
      marriedField,
      field('subject.kkNumber', 'Nomor Kartu Keluarga (KK)', kk, { hint: '16 angka di bagian atas Kartu Keluarga.' })),
    h('fieldset', {}, h('legend', {}, '2. Kartu yang diajukan'), typeField, field('reason', 'Alasan', reasonSelect)),
    h('fieldset', {}, h('legend', {}, '3. Berkas persyaratan'), reqBox, slotsEl),
    h('fieldset', {}, h('legend', {}, '4. Kontak dan alamat pengiriman'),
      field('contact.name', 'Nama yang dapat dihubungi', contactName),
      field('contact.phone', 'Nomor HP / WhatsApp', phone, { hint: 'Contoh: 081234567890. Kabar permohonan dikirim ke nomor ini.' }),
      field('delivery.address', 'Alamat (jalan, dusun, nomor rumah)', address),
      h('div', { class: 'grid' }, field('delivery.rt', 'RT', rt), field('delivery.rw', 'RW', rw)),
      field('delivery.village', 'Desa / kelurahan', village),
      field('delivery.district', 'Kecamatan', district),
      field('delivery.note', 'Petunjuk untuk kurir', note, { optional: true })),
    h('fieldset', {}, h('legend', {}, '5. Persetujuan'), consentField, guardianField),
    progress,
    h('div', { class: 'row' }, submit),
  );

  // ── state ──────────────────────────────────────────────────────────
  const touched = new Set();
  let typeChosenByHand = false;
  let submitted = false;

  const docType = () => typeRadios.find((r) => r.checked)?.value;
  const age = () => {
    const b = birth.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(b)) return null;
    const a = D.ageInYears(b, today());
    return a >= 0 && a <= 130 ? a : null;
  };

  function syncTypeAndRequirements() {
    const a = age();
    marriedField.hidden = a === null || a >= D.KTP_MIN_AGE;
    if (marriedField.hidden) married.checked = false;
    const hint = form.querySelector('#type-hint');
    if (a !== null && !typeChosenByHand) {
      const t = D.suggestedDocumentType(a, married.checked);
      for (const r of typeRadios) r.checked = r.value === t;
      hint.textContent = `Dipilih dari tanggal lahir: umur ${a} tahun → ${t === 'KIA' ? 'KIA' : 'KTP-el'}${married.checked && a < D.KTP_MIN_AGE ? ' (sudah/pernah menikah)' : ''}.`;
    }
    const t = docType();
    guardianField.hidden = t !== 'KIA';
    const reqs = t && reasonSelect.value ? D.requirementsFor(t, reasonSelect.value, a) : null;
    clear(reqList);
    if (!reqs) {
      reqList.append(h('li', { class: 'muted' }, 'Pilih jenis kartu dan alasan: daftar berkas muncul di sini.'));
    } else {
      for (const r of reqs) reqList.append(h('li', {}, h('strong', {}, r.label), ` — ${r.hint}`));
    }
    // Only the upload slots this form needs, in the order of the list.
    const shown = reqs ? [...reqs, { kind: 'OTHER', label: 'Berkas lain (opsional)', hint: D.ATTACHMENT_HINTS.OTHER }] : [];
    const needed = new Set(shown.map((r) => r.kind));
    for (const [kind, slot] of slots) if (!needed.has(kind)) slot.field.remove();
    for (const r of shown) slotsEl.append(slotFor(r).field);
  }

  function draft() {
    const attachments = [];
    for (const [kind, slot] of slots) if (slot.field.isConnected && slot.blob) attachments.push({ kind });
    return {
      documentType: docType(),
      reason: reasonSelect.value || undefined,
      subject: { nik: nik.value.trim(), name: name.value.trim(), birthDate: birth.value, married: married.checked, kkNumber: kk.value.trim() },
      contact: { name: contactName.value.trim(), phone: phone.value.trim() },
      delivery: { address: address.value.trim(), rt: rt.value.trim(), rw: rw.value.trim(), village: village.value.trim(), district: district.value, note: note.value.trim() || undefined },
      attachments,
    };
  }

  /** Every problem, from the shared rules plus what only the browser knows (files, consent). */
  function problems() {
    const list = D.applicationProblems(draft(), today());
    for (const [kind, slot] of slots) {
      if (!slot.field.isConnected) continue;
      if (slot.problem) {
        const i = list.findIndex((p) => p.path === `attachments.${kind}`);
        if (i >= 0) list.splice(i, 1);
        list.push({ path: `attachments.${kind}`, message: slot.problem });
      }
    }
    if (!consent.checked) list.push({ path: 'privacyConsent', message: 'Centang bila Anda sudah membaca dan menyetujui pemberitahuan privasi.' });
    if (docType() === 'KIA' && !guardian.checked) list.push({ path: 'guardianDeclaration', message: 'Permohonan KIA diajukan oleh orang tua atau wali anak: centang pernyataan ini.' });
    return list;
  }

  function show(list, all) {
    const byPath = new Map();
    for (const p of list) if (all || touched.has(p.path)) byPath.set(p.path, [...(byPath.get(p.path) || []), p.message]);
    for (const f of form.querySelectorAll('.field[data-path]')) {
      const msgs = byPath.get(f.dataset.path);
      const slot = f.querySelector(':scope > .field-error');
      f.classList.toggle('invalid', !!msgs);
      for (const c of f.querySelectorAll('input, select, textarea')) {
        if (msgs) c.setAttribute('aria-invalid', 'true');
        else c.removeAttribute('aria-invalid');
      }
      if (slot) {
        slot.hidden = !msgs;
        slot.textContent = msgs ? msgs.join(' ') : '';
      }
    }
    if (all && list.length) {
      clear(summary, h('strong', {}, list.length === 1 ? 'Ada 1 isian yang perlu diperbaiki:' : `Ada ${list.length} isian yang perlu diperbaiki:`), h('ul', {}, list.map((p) => h('li', {}, h('a', { href: '#', dataset: { path: p.path } }, `${labelOf(p.path)}: ${p.message}`)))));
      summary.hidden = false;
    } else if (!list.length || !submitted) {
      summary.hidden = true;
    } else {
      // After a submit attempt, the summary follows the fixes.
      show(list, true);
    }
  }

  function labelOf(path) {
    const f = form.querySelector(`.field[data-path="${path}"]`);
    if (f && f.dataset.label) return f.dataset.label;
    const l = f && (f.querySelector('label') || f.querySelector('legend'));
    return l ? l.textContent.replace(/\s*\(opsional\)$/, '') : 'Isian';
  }

  summary.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-path]');
    if (!a) return;
    ev.preventDefault();
    const c = form.querySelector(`.field[data-path="${a.dataset.path}"] input, .field[data-path="${a.dataset.path}"] select`);
    if (c) c.focus();
  });

  function validate() {
    const list = problems();
    show(list, false);
    return list;
  }

  const pathOf = (el) => el.closest('.field[data-path]')?.dataset.path;
  form.addEventListener('focusout', (ev) => {
    const p = pathOf(ev.target);
    if (p && ev.target.value !== '') touched.add(p);
    validate();
  });
  form.addEventListener('input', (ev) => {
    if (ev.target === birth || ev.target === married) syncTypeAndRequirements();
    saveDraft();
    if (touched.has(pathOf(ev.target)) || submitted) validate();
  });
  form.addEventListener('change', (ev) => {
    if (typeRadios.includes(ev.target)) typeChosenByHand = true;
    const p = pathOf(ev.target);
    if (p) touched.add(p);
    syncTypeAndRequirements();
    saveDraft();
    validate();
  });
  // Enter in a field moves on instead of sending a half-filled form.
  form.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.target.tagName === 'TEXTAREA' || ev.target.type === 'submit' || ev.target.tagName === 'BUTTON') return;
    ev.preventDefault();
    const controls = [...form.querySelectorAll('input:not([type=hidden]), select, textarea, button')].filter((c) => !c.disabled && c.offsetParent !== null);
    const next = controls[controls.indexOf(ev.target) + 1];
    if (next) next.focus();
  });

  // ── draft on the phone (text fields only; files are not kept) ──────
  const draftControls = [nik, name, birth, kk, contactName, phone, address, rt, rw, village, district, note, reasonSelect];
  function saveDraft() {
    try {
      const d = Object.fromEntries(draftControls.map((c) => [c.name, c.value]));
      d.married = married.checked;
      d.documentType = docType() || '';
      localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    } catch {
      /* storage full or disabled: the form still works */
    }
  }
  function restoreDraft() {
    try {
      const d = JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null');
      if (!d) return;
      for (const c of draftControls) if (typeof d[c.name] === 'string') c.value = d[c.name];
      married.checked = !!d.married;
      if (d.documentType) for (const r of typeRadios) r.checked = r.value === d.documentType;
    } catch {
      /* a broken draft is ignored */
    }
  }

  // ── submit ─────────────────────────────────────────────────────────
  let idempotency = { body: null, key: randomKey() };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (submit.disabled) return;
    submitted = true;
    await Promise.all([...slots.values()].map((s) => s.busy).filter(Boolean));
    const list = problems();
    show(list, true);
    if (list.length) {
      summary.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Mengirim…';
    progress.hidden = false;
    const status = progress.querySelector('#send-status');
    const bar = progress.querySelector('#send-bar');
    try {
      const d = draft();
      const files = [...slots.values()].filter((s) => s.field.isConnected && s.blob);
      const attachments = [];
      for (const s of files) {
        attachments.push({ kind: s.kind, fileName: s.fileName, contentType: s.blob.type || 'application/octet-stream', contentBase64: await fileToBase64(s.blob) });
      }
      const body = { ...d, privacyConsent: true, ...(d.documentType === 'KIA' ? { guardianDeclaration: true } : {}), attachments };
      if (!body.delivery.note) delete body.delivery.note;
      const text = JSON.stringify(body);
      if (idempotency.body !== text) idempotency = { body: text, key: randomKey() };
      // Per-file progress: each attachment's place in the request body.
      const ranges = [];
      let at = text.indexOf('"attachments"');
      for (const a of attachments) {
        const start = text.indexOf(a.contentBase64.slice(0, 32), at);
        ranges.push([start, start + a.contentBase64.length]);
        at = start + a.contentBase64.length;
      }
      const total = new Blob([text]).size;
      const res = await postJson('/api/applications', text, {
        headers: { 'Idempotency-Key': idempotency.key },
        onProgress(loaded) {
          const pct = Math.min(100, Math.round((loaded / total) * 100));
          bar.value = pct;
          status.textContent = pct < 100 ? `Mengirim… ${pct}% (${fmtSize(loaded)} dari ${fmtSize(total)})` : 'Terkirim, menunggu nomor registrasi…';
          files.forEach((s, i) => {
            const [a, b] = ranges[i];
            s.bar.hidden = false;
            s.bar.value = Math.max(0, Math.min(100, Math.round(((loaded - a) / (b - a)) * 100)));
          });
        },
      });
      if (res.status === 201 || res.status === 200) {
        localStorage.removeItem(DRAFT_KEY);
        showSuccess(res.body, body, await officePromise);
        return;
      }
      const p = res.body || {};
      const serverErrors = (p.errors || []).map((e) => ({ path: mapServerPath(String(e.path || ''), body), message: e.message }));
      show(serverErrors.length ? serverErrors : [{ path: '', message: p.detail || 'Permohonan belum dapat dikirim. Coba lagi.' }], true);
      if (!serverErrors.length) {
        clear(summary, h('strong', {}, p.detail || 'Permohonan belum dapat dikirim. Coba lagi.'));
        summary.hidden = false;
      }
      summary.focus();
    } catch (err) {
      clear(summary, h('strong', {}, err.message || 'Permohonan belum terkirim. Coba lagi.'));
      summary.hidden = false;
      summary.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Kirim permohonan';
      progress.hidden = true;
    }
  });

  restoreDraft();
  syncTypeAndRequirements();
  clear(app, form);
}

/** "attachments.2.contentBase64" → the slot of the third attachment sent. */
function mapServerPath(path, body) {
  const m = /^attachments\.(\d+)/.exec(path);
  if (m && body.attachments[Number(m[1])]) return `attachments.${body.attachments[Number(m[1])].kind}`;
  return path;
}

function randomKey() {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function showSuccess(result, body, office) {
  const reg = result.registrationNumber;
  const nik = body.subject.nik;
  const copyBtn = h('button', { type: 'button', class: 'secondary', id: 'copy-reg' }, 'Salin nomor');
  copyBtn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(reg);
      copyBtn.textContent = 'Tersalin ✓';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('registration-number'));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      copyBtn.textContent = 'Tekan lama untuk menyalin';
    }
  });
  const trackUrl = `${location.origin}/lacak?reg=${encodeURIComponent(reg)}`;
  const waText = `Nomor registrasi permohonan ${body.documentType === 'KIA' ? 'KIA' : 'KTP-el'} saya: ${reg}. Lacak di ${trackUrl}`;
  const wa = h('a', { class: 'button secondary', href: `https://wa.me/?text=${encodeURIComponent(waText)}`, target: '_blank', rel: 'noopener' }, 'Bagikan ke WhatsApp');
  const proofBtn = h('button', { type: 'button', id: 'download-proof' }, 'Unduh bukti pendaftaran (PDF)');
  const proofStatus = h('p', { class: 'small muted', 'aria-live': 'polite' });
  proofBtn.addEventListener('click', async () => {
    proofBtn.disabled = true;
    proofStatus.textContent = 'Menyiapkan bukti…';
    try {
      const res = await fetch(`/api/applications/${encodeURIComponent(reg)}/proof`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/pdf' }, body: JSON.stringify({ nik }) });
      if (!res.ok) throw new Error();
      const blob = await res.blob();
      const a = h('a', { href: URL.createObjectURL(blob), download: `bukti-pendaftaran-${reg}.pdf` });
      document.body.append(a);
      a.click();
      a.remove();
      proofStatus.textContent = 'Bukti pendaftaran tersimpan di unduhan HP Anda.';
    } catch {
      proofStatus.textContent = 'Bukti belum dapat diunduh. Coba lagi sebentar.';
    } finally {
      proofBtn.disabled = false;
    }
  });
  const expected = office && office.expectedIfSubmittedNow ? D.formatIndonesianDate(office.expectedIfSubmittedNow) : null;
  const prepare = D.toPrepare(body.documentType, body.reason);
  const box = h(
    'section',
    { class: 'card success', 'aria-labelledby': 'ok-title' },
    h('h2', { id: 'ok-title', tabindex: '-1' }, 'Permohonan terkirim'),
    h('p', {}, 'Nomor registrasi Anda:'),
    h('p', { class: 'reg-number mono', id: 'registration-number' }, reg),
    h('div', { class: 'row wrap' }, copyBtn, wa),
    h('div', { class: 'row wrap' }, proofBtn),
    proofStatus,
    expected ? h('p', {}, 'Perkiraan selesai: ', h('strong', { id: 'expected-date' }, expected), h('span', { class: 'muted' }, ' (bila berkas lengkap; dihitung dari waktu baku layanan pada hari kerja).')) : null,
    h('h3', {}, 'Yang perlu disiapkan saat kartu diantar'),
    h('ul', { id: 'prepare' }, prepare.map((p) => h('li', {}, p))),
    h('p', { class: 'muted' }, `Kabar permohonan dikirim lewat WhatsApp ke ${body.contact.phone}. Untuk melacak, gunakan nomor ini bersama NIK pemilik kartu.`),
    h('p', {}, h('a', { href: `/lacak?reg=${encodeURIComponent(reg)}` }, 'Lacak permohonan ini')),
    office ? h('p', { class: 'small muted', id: 'office-contact' }, `${office.name}, ${office.address}. Telepon ${office.phone} (${office.hours}).`) : null,
  );
  clear(app, box);
  box.querySelector('h2').focus();
  scrollTo(0, 0);
}

if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => undefined);

try {
  main();
} catch (err) {
  clear(app, notice('bad', 'Formulir tidak dapat dimuat. Muat ulang halaman.'));
  throw err;
}
