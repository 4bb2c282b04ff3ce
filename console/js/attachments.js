// File inputs for the applicant's attachments (application and resubmission): one input per kind,
// read as base64; oversized or wrong-type files are flagged at the field before anything is sent.
import { h } from './dom.js';
import { labels, label } from './sop.js';
import { fileToBase64 } from './api.js';
import { field } from './forms.js';

export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,application/pdf';

/**
 * Builds the attachment section. Field paths start as `attachments.<KIND>`; at collect time the
 * filled ones are re-pathed to `attachments.<index>` so server errors land at the right input.
 */
export function attachmentSection({ legend = 'Lampiran', hint } = {}) {
  const inputs = new Map();
  const wrappers = new Map();
  const section = h(
    'fieldset',
    { class: 'attachments' },
    h('legend', {}, legend),
    h('p', { class: 'hint' }, hint || 'Unggah hasil pindai atau foto yang jelas: JPEG, PNG atau PDF, paling besar 2 MB per berkas.'),
  );
  // Errors about the list as a whole ("attachments") land here.
  const listField = h('div', { class: 'field', dataset: { path: 'attachments' } }, h('p', { class: 'field-error', hidden: true }));
  section.append(listField);
  // The kinds the API accepts, from /api/sop (loaded before any form is built).
  for (const kind of Object.keys(labels.attachment)) {
    const input = h('input', { type: 'file', accept: ACCEPT, name: `attachment-${kind}`, dataset: { kind } });
    const wrap = field({ path: `attachments.${kind}`, label: label('attachment', kind), control: input });
    wrap.dataset.kind = kind;
    inputs.set(kind, input);
    wrappers.set(kind, wrap);
    section.append(wrap);
  }

  return {
    element: section,
    /** Marks the kinds the applicant must attach (a hint; the server decides). */
    setRequired(kinds) {
      for (const [kind, wrap] of wrappers) {
        const mark = wrap.querySelector('.req');
        if (mark) mark.hidden = !kinds.has(kind);
      }
    },
    /**
     * Returns [{ kind, fileName, contentType, contentBase64 }] for the filled inputs, or throws
     * a validation-shaped error for files that are too big.
     */
    async collect() {
      const out = [];
      const local = [];
      for (const wrap of wrappers.values()) wrap.dataset.path = `attachments.${wrap.dataset.kind}`;
      for (const [kind, input] of inputs) {
        const file = input.files && input.files[0];
        if (!file) continue;
        const index = out.length;
        wrappers.get(kind).dataset.path = `attachments.${index}`;
        if (file.size > MAX_ATTACHMENT_BYTES) local.push({ path: `attachments.${index}`, message: 'Berkas lebih dari 2 MB. Perkecil ukuran atau resolusinya.' });
        out.push({ kind, fileName: file.name, contentType: file.type || guessType(file.name), contentBase64: await fileToBase64(file) });
      }
      if (local.length) throw Object.assign(new Error('Periksa kembali lampiran.'), { errors: local, status: 400 });
      return out;
    },
    reset() {
      for (const input of inputs.values()) input.value = '';
    },
  };
}

function guessType(name) {
  const n = name.toLowerCase();
  if (n.endsWith('.pdf')) return 'application/pdf';
  if (n.endsWith('.png')) return 'image/png';
  return 'image/jpeg';
}
