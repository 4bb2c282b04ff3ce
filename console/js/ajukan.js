// /ajukan: the citizen's application form. Every validation message from the API is shown at its field.
import { api, randomKey, ApiError } from './api.js';
import { h, clear, notice } from './dom.js';
import { field, choiceField, showErrors, handleSubmit } from './forms.js';
import { attachmentSection } from './attachments.js';
import { loadSop, documentTypeLabel, reasonLabel } from './sop.js';
import { privacySection } from './privacy.js';


const app = document.getElementById('app');

/** The district list is the enum of `delivery.district` in the API's own OpenAPI document. */
async function loadDistricts() {
  try {
    const doc = await api.get('/api/openapi.json');
    return findEnum(doc, 'district', 0) || null;
  } catch {
    return null;
  }
}
function findEnum(node, name, depth) {
  if (!node || typeof node !== 'object' || depth > 40) return null;
  if (node.properties && node.properties[name]) {
    const p = node.properties[name];
    const e = p.enum || (p.anyOf || p.oneOf || []).find((x) => x.enum)?.enum;
    if (Array.isArray(e) && e.length) return e;
  }
  for (const v of Object.values(node)) {
    const found = findEnum(v, name, depth + 1);
    if (found) return found;
  }
  return null;
}

function text(path, label, { hint, required = true, type = 'text', inputmode, maxlength, autocomplete, pattern } = {}) {
  const control = h('input', { type, name: path, inputmode, maxlength, autocomplete, pattern, required });
  return { wrap: field({ path, label, hint, required, control }), control };
}

async function main() {
  const [sop, districts] = await Promise.all([loadSop().catch(() => ({ steps: [], roleLabels: {}, documentTypeLabels: {}, reasonLabels: {} })), loadDistricts()]);
  let idempotency = { body: null, key: randomKey() };

  const docType = choiceField({
    path: 'documentType',
    label: 'Jenis dokumen',
    required: true,
    name: 'documentType',
    value: 'KTP_EL',
    hint: 'KIA untuk anak di bawah 17 tahun; KTP-el mulai 17 tahun atau sudah/pernah menikah.',
    options: Object.keys(sop.documentTypeLabels).map((t) => ({ value: t, label: documentTypeLabel(sop, t) })),
  });
  const reasonSelect = h('select', { name: 'reason', required: true }, Object.keys(sop.reasonLabels).map((r) => h('option', { value: r }, reasonLabel(sop, r))));
  const reason = field({ path: 'reason', label: 'Alasan permohonan', required: true, control: reasonSelect });

  const nik = text('subject.nik', 'NIK pemilik dokumen', { hint: '16 angka, sesuai Kartu Keluarga.', inputmode: 'numeric', maxlength: 16, autocomplete: 'off' });
  const name = text('subject.name', 'Nama lengkap pemilik dokumen', { autocomplete: 'name', maxlength: 120 });
  const birth = text('subject.birthDate', 'Tanggal lahir', { type: 'date' });
  const married = h('input', { type: 'checkbox', name: 'subject.married' });
  const marriedWrap = h('div', { class: 'field', dataset: { path: 'subject.married' } }, h('label', { class: 'check' }, married, 'Sudah / pernah menikah'), h('p', { class: 'field-error', hidden: true }));
  const kk = text('subject.kkNumber', 'Nomor Kartu Keluarga (KK)', { hint: '16 angka.', inputmode: 'numeric', maxlength: 16, autocomplete: 'off' });

  const contactName = text('contact.name', 'Nama yang dapat dihubungi', { autocomplete: 'name', maxlength: 120 });
  const phone = text('contact.phone', 'Nomor WhatsApp / HP', { type: 'tel', hint: 'Contoh: 081234567890. Pemberitahuan dikirim ke nomor ini.', inputmode: 'tel', autocomplete: 'tel', maxlength: 20 });

  const address = text('delivery.address', 'Alamat pengiriman (jalan, dusun, nomor rumah)', { autocomplete: 'street-address', maxlength: 200 });
  const rt = text('delivery.rt', 'RT', { inputmode: 'numeric', maxlength: 3 });
  const rw = text('delivery.rw', 'RW', { inputmode: 'numeric', maxlength: 3 });
  const village = text('delivery.village', 'Desa / kelurahan', { maxlength: 80 });
  const districtControl = districts
    ? h('select', { name: 'delivery.district', required: true }, h('option', { value: '' }, '— pilih kecamatan —'), districts.map((d) => h('option', { value: d }, d)))
    : h('input', { type: 'text', name: 'delivery.district', required: true, maxlength: 60 });
  const district = field({ path: 'delivery.district', label: 'Kecamatan', required: true, control: districtControl });
  const noteControl = h('textarea', { name: 'delivery.note', maxlength: 300, rows: 2 });
  const note = field({ path: 'delivery.note', label: 'Petunjuk untuk kurir (opsional)', control: noteControl });

  const attachments = attachmentSection({ legend: 'Berkas persyaratan' });

  // Which attachments are required: a hint as the applicant fills the form (the API decides).
  const syncRequired = () => {
    const type = docType.querySelector('input:checked')?.value;
    const r = reasonSelect.value;
    const need = new Set(['KK']);
    if (r === 'DAMAGED') need.add('OLD_CARD');
    if (r === 'LOST') need.add('POLICE_REPORT');
    if (r === 'DATA_CHANGE') need.add('SUPPORTING_DOCUMENT');
    if (type === 'KIA') {
      need.add('BIRTH_CERTIFICATE');
      const age = ageOn(birth.control.value);
      if (age === null || age >= 5) need.add('PHOTO');
    }
    attachments.setRequired(need);
  };

  const privacy = privacySection();
  const submit = h('button', { type: 'submit' }, 'Kirim permohonan');
  const form = h(
    'form',
    { novalidate: true, id: 'application-form', 'aria-label': 'Formulir permohonan' },
    h('fieldset', {}, h('legend', {}, 'Dokumen'), docType, reason),
    h('fieldset', {}, h('legend', {}, 'Data pemilik dokumen'), nik.wrap, name.wrap, birth.wrap, marriedWrap, kk.wrap),
    h('fieldset', {}, h('legend', {}, 'Kontak'), contactName.wrap, phone.wrap),
    h('fieldset', {}, h('legend', {}, 'Alamat pengiriman'), address.wrap, h('div', { class: 'grid' }, rt.wrap, rw.wrap), village.wrap, district, note),
    attachments.element,
    privacy.element,
    h('div', { class: 'row' }, submit),
  );
  form.addEventListener('change', syncRequired);
  syncRequired();
  const syncPrivacy = () => privacy.sync(docType.querySelector('input:checked')?.value);
  form.addEventListener('change', syncPrivacy);
  syncPrivacy();

  handleSubmit(form, submit, async () => {
    submit.textContent = 'Mengirim…';
    try {
      const body = {
        documentType: docType.querySelector('input:checked')?.value,
        reason: reasonSelect.value,
        subject: {
          nik: nik.control.value.trim(),
          name: name.control.value.trim(),
          birthDate: birth.control.value,
          married: married.checked,
          kkNumber: kk.control.value.trim(),
        },
        contact: { name: contactName.control.value.trim(), phone: phone.control.value.trim() },
        delivery: {
          address: address.control.value.trim(),
          rt: rt.control.value.trim(),
          rw: rw.control.value.trim(),
          village: village.control.value.trim(),
          district: districtControl.value.trim(),
          ...(noteControl.value.trim() ? { note: noteControl.value.trim() } : {}),
        },
        attachments: await attachments.collect(),
        ...privacy.values(docType.querySelector('input:checked')?.value),
      };
      // A retry of the very same body reuses its key, so a lost answer never makes two cases.
      const serial = JSON.stringify(body);
      if (idempotency.body !== serial) idempotency = { body: serial, key: randomKey() };
      const result = await api.post('/api/applications', body, { headers: { 'Idempotency-Key': idempotency.key } });
      showSuccess(result, body.subject.nik);
    } catch (err) {
      showErrors(form, err instanceof ApiError || err.errors ? err : { message: String(err.message || err), errors: [] });
    } finally {
      submit.disabled = false;
      submit.textContent = 'Kirim permohonan';
    }
  });

  clear(app).append(form);
}

function showSuccess(result, nik) {
  const reg = result.registrationNumber;
  const link = h('a', { href: `/lacak?reg=${encodeURIComponent(reg)}` }, 'Lacak permohonan ini');
  const box = h(
    'section',
    { class: 'card', 'aria-labelledby': 'ok-title' },
    h('h2', { id: 'ok-title' }, 'Permohonan terkirim'),
    notice('ok', 'Permohonan Anda sudah kami terima. Simpan nomor registrasi berikut.'),
    h('p', {}, 'Nomor registrasi:'),
    h('p', { class: 'big mono', id: 'registration-number' }, reg),
    h('p', { class: 'muted' }, `Untuk melacak, gunakan nomor ini bersama NIK pemilik dokumen (…${String(nik).slice(-4)}). Pemberitahuan juga dikirim lewat WhatsApp.`),
    h('p', {}, link),
  );
  clear(app).append(box);
  const title = box.querySelector('h2');
  title.setAttribute('tabindex', '-1');
  title.focus();
}

/** Age in whole years today (Asia/Jakarta date is close enough for a hint). */
function ageOn(birthDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate || '');
  if (!m) return null;
  const now = new Date();
  let age = now.getFullYear() - Number(m[1]);
  if (now.getMonth() + 1 < Number(m[2]) || (now.getMonth() + 1 === Number(m[2]) && now.getDate() < Number(m[3]))) age--;
  return age;
}

main().catch((err) => {
  clear(app).append(notice('bad', err.message || 'Formulir tidak dapat dimuat. Muat ulang halaman.'));
});
