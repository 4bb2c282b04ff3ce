// The privacy notice (GET /api/privacy-notice) shown on /ajukan before the consent checkbox, and
// the KIA parent/guardian declaration. Self-contained: ajukan.js places `element` in its form and
// spreads `values(documentType)` into the submission body.
import { api } from './api.js';
import { h } from './dom.js';

export function privacySection() {
  const consent = h('input', { type: 'checkbox', name: 'privacyConsent', id: 'privacy-consent', required: true });
  const guardian = h('input', { type: 'checkbox', name: 'guardianDeclaration', id: 'guardian-declaration' });
  const noticeBody = h('div', { class: 'privacy-notice', id: 'privacy-notice' }, h('p', { class: 'muted' }, 'Memuat pemberitahuan pelindungan data pribadi…'));
  const consentLabel = h('label', { for: 'privacy-consent' }, 'Saya telah membaca pemberitahuan pelindungan data pribadi ini dan menyetujui pemrosesan data saya untuk permohonan ini.');
  const guardianLabel = h('label', { for: 'guardian-declaration' }, 'Untuk KIA: saya menyatakan bahwa saya adalah orang tua atau wali anak yang dimohonkan.');
  const guardianWrap = h('div', { class: 'field', dataset: { path: 'guardianDeclaration' }, hidden: true }, guardian, ' ', guardianLabel, h('p', { class: 'field-error', hidden: true }));
  const element = h(
    'fieldset',
    { id: 'privacy' },
    h('legend', {}, 'Pelindungan data pribadi'),
    noticeBody,
    h('div', { class: 'field', dataset: { path: 'privacyConsent' } }, consent, ' ', consentLabel, h('p', { class: 'field-error', hidden: true })),
    guardianWrap,
  );
  api
    .get('/api/privacy-notice')
    .then((n) => {
      noticeBody.replaceChildren(
        h('h3', {}, n.title),
        ...n.sections.map((s) => h('div', {}, h('h4', {}, s.heading), h('p', {}, s.body))),
        h('p', { class: 'small muted' }, `Versi pemberitahuan: ${n.version}`),
      );
      consentLabel.textContent = n.consentLabel;
      guardianLabel.textContent = n.guardianLabel;
    })
    .catch(() => {
      noticeBody.replaceChildren(h('p', { class: 'notice bad' }, 'Pemberitahuan pelindungan data pribadi tidak dapat dimuat. Muat ulang halaman sebelum mengajukan.'));
    });
  return {
    element,
    /** Shows the guardian declaration for a KIA only. */
    sync(documentType) {
      guardianWrap.hidden = documentType !== 'KIA';
    },
    values(documentType) {
      return { privacyConsent: consent.checked, ...(documentType === 'KIA' ? { guardianDeclaration: guardian.checked } : {}) };
    },
  };
}
