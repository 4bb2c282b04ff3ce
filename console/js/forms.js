// Form plumbing shared by every form: field wrappers, server validation errors shown at the field,
// and a small JSON Schema → form renderer for the staff actions (GET /api/forms/{action}).
import { h, clear } from './dom.js';
import { fileToBase64 } from './api.js';
import { labels } from './sop.js';

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/**
 * A labelled field wrapper: <div class="field" data-path> label, hint, control, error slot.
 * `control` gets id, aria-describedby and is returned for value reading.
 */
export function field({ path, label, hint, required, control }) {
  const id = control.id || nextId('f');
  control.id = id;
  const errorId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const reqMark = h('span', { class: 'req', 'aria-hidden': 'true', hidden: !required }, ' *');
  const wrapper = h(
    'div',
    { class: 'field', dataset: { path } },
    h('label', { for: id }, label, reqMark),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
  return wrapper;
}

/** A radio group as a fieldset (keyboard: arrows move within the group). */
export function choiceField({ path, label, hint, required, name, options, value }) {
  const hintId = hint ? nextId('hint') : null;
  const errorId = nextId('err');
  const group = h(
    'fieldset',
    { class: 'choices', 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
    h('legend', {}, label, h('span', { class: 'req', 'aria-hidden': 'true', hidden: !required }, ' *')),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    options.map((o) =>
      h('label', {}, h('input', { type: 'radio', name, value: o.value, checked: value === o.value }), o.label),
    ),
  );
  return h('div', { class: 'field', dataset: { path } }, group, h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Clears the errors shown in a form. */
export function clearErrors(form) {
  for (const f of form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
  for (const p of form.querySelectorAll('.field-error')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-errors');
  if (summary) summary.remove();
}

/**
 * Shows an ApiError in a form: each `errors[].path` at the field whose data-path is the longest
 * prefix of it ("attachments.1.contentBase64" → the "attachments.1" field, or "attachments");
 * anything else, and the problem's detail, in a summary at the top. Focuses the first invalid field.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const fields = [...form.querySelectorAll('.field[data-path]')];
  const unplaced = [];
  for (const e of error.errors || []) {
    const target = bestField(fields, e.path);
    if (!target) {
      unplaced.push(e);
      continue;
    }
    target.classList.add('invalid');
    const slot = target.querySelector(':scope > .field-error');
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
    for (const c of target.querySelectorAll('input, select, textarea')) c.setAttribute('aria-invalid', 'true');
  }
  const placedAny = (error.errors || []).length > unplaced.length;
  const summary = h(
    'div',
    { class: 'form-errors', role: 'alert', tabindex: '-1' },
    h('strong', {}, placedAny ? 'Periksa kembali isian yang ditandai.' : error.message),
    placedAny && error.message && !/^(validation|invalid|bad request)/i.test(error.message) ? h('p', {}, error.message) : null,
    unplaced.length ? h('ul', {}, unplaced.map((e) => h('li', {}, e.path ? `${e.path}: ${e.message}` : e.message))) : null,
  );
  form.prepend(summary);
  const firstInvalid = form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
  (firstInvalid || summary).focus();
}

function bestField(fields, path) {
  let best = null;
  let bestLen = -1;
  for (const f of fields) {
    const p = f.dataset.path;
    if (p === path || path.startsWith(`${p}.`)) {
      if (p.length > bestLen) {
        best = f;
        bestLen = p.length;
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------- JSON Schema renderer

// Fallback Indonesian labels for field names and enum values, used only when the schema carries no
// title: the structure of every form still comes from the server's schema.
const FIELD_LABELS = {
  decision: 'Keputusan',
  reason: 'Alasan',
  result: 'Hasil cetak',
  courierName: 'Nama kurir',
  note: 'Catatan',
  receivedBy: 'Diterima oleh (nama)',
  relationship: 'Hubungan dengan pemohon',
  oldCardCollected: 'Kartu lama ditarik',
  photoBase64: 'Foto serah terima',
};
const VALUE_LABELS = {
  approve: 'Setujui',
  reject: 'Tolak',
  ok: 'Berhasil dicetak',
  failed: 'Gagal (blangko rusak, cetak ulang)',
};

function resolve(schema, root) {
  let s = schema || {};
  for (let i = 0; i < 10 && s.$ref; i++) {
    const ref = s.$ref.replace(/^#\//, '').split('/');
    let target = root;
    for (const part of ref) target = target?.[part];
    s = { ...(target || {}), ...s, $ref: undefined };
  }
  // Nullable unions ({ anyOf: [X, { type: 'null' }] }) are X.
  const union = s.anyOf || s.oneOf;
  if (union && !s.type) {
    const consts = union.map((u) => resolve(u, root)).filter((u) => u.const !== undefined);
    if (consts.length === union.length) return { ...s, type: 'string', enum: consts.map((c) => c.const), enumTitles: consts.map((c) => c.title) };
    const nonNull = union.filter((u) => u.type !== 'null');
    if (nonNull.length === 1) return { ...resolve(nonNull[0], root), title: s.title ?? nonNull[0].title, description: s.description ?? nonNull[0].description };
  }
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((t) => t !== 'null') };
  return s;
}

/** "approve = setujui, reject = tolak" → { approve: 'Setujui', reject: 'Tolak' } when every value is described. */
function labelsFromDescription(description, values) {
  if (!description) return null;
  const out = {};
  for (const part of description.split(/[,;]\s*(?=[A-Za-z_][\w-]*\s*=)/)) {
    const m = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.+?)\s*$/.exec(part);
    if (m) out[m[1]] = m[2].charAt(0).toUpperCase() + m[2].slice(1);
  }
  return values.every((v) => out[v]) ? out : null;
}

function isFileProp(name, prop) {
  return prop.contentEncoding === 'base64' || !!prop.contentMediaType || /base64$/i.test(name);
}

/** The `if/then` rules of a schema (top level and inside allOf). */
function conditionals(schema) {
  const out = [];
  for (const s of [schema, ...(schema.allOf || [])]) if (s.if && s.then) out.push({ if: s.if, then: s.then, else: s.else });
  return out;
}
function matches(cond, values) {
  for (const [key, p] of Object.entries(cond.properties || {})) {
    const v = values[key];
    if (p.const !== undefined && v !== p.const) return false;
    if (p.enum && !p.enum.includes(v)) return false;
  }
  for (const key of cond.required || []) if (values[key] === undefined) return false;
  return true;
}

/**
 * Submit handling shared by the console's forms: no page reload, one request at a time (the
 * button stays disabled until `handler` re-enables it), earlier field errors cleared.
 */
export function handleSubmit(form, button, handler) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    clearErrors(form);
    await handler();
  });
}

/**
 * Renders a form from a JSON Schema object (string, enum, boolean, long strings as textarea,
 * base64 strings as a file input with `capture` for phone cameras). Returns the form; `onSubmit`
 * receives the body (only filled fields) and may throw an ApiError, which is shown at the fields.
 */
export function renderSchemaForm(schema, { title, submitLabel = 'Kirim', onSubmit, idPrefix = 'act', formClass = 'action-form' }) {
  const root = schema;
  const obj = resolve(schema, root);
  const props = obj.properties || {};
  const baseRequired = new Set(obj.required || []);
  const rules = conditionals(obj);
  const readers = [];
  // `action-form` marks a workflow action's form; notes and stock corrections pass another class.
  const form = h('form', { class: `card ${formClass}`, novalidate: true, dataset: { action: idPrefix } });
  if (title) form.append(h('h3', {}, title));

  for (const [name, raw] of Object.entries(props)) {
    const prop = resolve(raw, root);
    // Lists (e.g. a decision's standard reason codes) are filled by dedicated screens (desk.js).
    if (prop.type === 'array') continue;
    const label = prop.title || FIELD_LABELS[name] || name;
    // An enum described as "a = label, b = label" has its labels on the options, not in a hint.
    const enumDescribed = prop.enum && labelsFromDescription(prop.description, prop.enum);
    const hint = prop.description && prop.description !== label && !enumDescribed ? prop.description : null;
    const required = baseRequired.has(name);
    const inputName = `${idPrefix}-${name}`;
    if (prop.enum) {
      const titles = prop.enumTitles || prop['x-enumLabels'] || prop.enumLabels || [];
      const described = labelsFromDescription(prop.description, prop.enum);
      const options = prop.enum.map((v, i) => ({ value: String(v), label: (Array.isArray(titles) ? titles[i] : titles[v]) || described?.[v] || VALUE_LABELS[v] || labels.relationship[v] || String(v) }));
      if (options.length <= 4) {
        const wrap = choiceField({ path: name, label, hint, required, name: inputName, options, value: prop.default });
        form.append(wrap);
        readers.push({ name, read: () => wrap.querySelector('input:checked')?.value });
      } else {
        const select = h('select', { name: inputName }, h('option', { value: '' }, '— pilih —'), options.map((o) => h('option', { value: o.value }, o.label)));
        form.append(field({ path: name, label, hint, required, control: select }));
        readers.push({ name, read: () => select.value || undefined });
      }
    } else if (prop.type === 'boolean') {
      if (required) {
        const box = h('input', { type: 'checkbox', name: inputName });
        const wrap = h('div', { class: 'field', dataset: { path: name } }, h('label', { class: 'check' }, box, label), hint ? h('p', { class: 'hint' }, hint) : null, h('p', { class: 'field-error', hidden: true }));
        form.append(wrap);
        readers.push({ name, read: () => box.checked });
      } else {
        // Optional boolean: "not answered" must stay distinguishable from "no".
        const wrap = choiceField({ path: name, label, hint, required, name: inputName, options: [{ value: 'true', label: 'Ya' }, { value: 'false', label: 'Tidak' }] });
        form.append(wrap);
        readers.push({ name, read: () => { const v = wrap.querySelector('input:checked')?.value; return v === undefined ? undefined : v === 'true'; } });
      }
    } else if (prop.type === 'string' && isFileProp(name, prop)) {
      const accept = prop.contentMediaType || 'image/*';
      const input = h('input', { type: 'file', name: inputName, accept, capture: 'environment' });
      form.append(field({ path: name, label, hint: hint || 'Ambil foto dengan kamera ponsel atau pilih berkas.', required, control: input }));
      readers.push({ name, read: async () => (input.files && input.files[0] ? fileToBase64(input.files[0]) : undefined) });
    } else if (prop.type === 'number' || prop.type === 'integer') {
      const input = h('input', { type: 'number', name: inputName, step: prop.type === 'integer' ? '1' : 'any', min: prop.minimum, max: prop.maximum });
      form.append(field({ path: name, label, hint, required, control: input }));
      readers.push({ name, read: () => (input.value === '' ? undefined : Number(input.value)) });
    } else {
      const long = (prop.maxLength ?? 0) > 200 || /reason|note/i.test(name);
      const control = long
        ? h('textarea', { name: inputName, maxlength: prop.maxLength, rows: 3 })
        : h('input', { type: 'text', name: inputName, maxlength: prop.maxLength, autocomplete: 'off' });
      const lengthHint = prop.minLength ? `Minimal ${prop.minLength} karakter.` : null;
      form.append(field({ path: name, label, hint: [hint, lengthHint].filter(Boolean).map((t) => (/[.!?)]$/.test(t) ? t : `${t}.`)).join(' ') || null, required, control }));
      readers.push({ name, read: () => (control.value.trim() === '' ? undefined : control.value.trim()) });
    }
  }

  // Conditional requirements (if/then) are marked as the user fills the form; the server's
  // validation remains the authority and its messages are shown at the field.
  const syncRequired = () => {
    const values = {};
    for (const r of readers) {
      const el = form.querySelector(`.field[data-path="${r.name}"]`);
      if (el && !el.querySelector('input[type=file]')) values[r.name] = r.read();
    }
    const req = new Set(baseRequired);
    for (const rule of rules) {
      const branch = matches(rule.if, values) ? rule.then : rule.else;
      for (const k of branch?.required || []) req.add(k);
    }
    for (const el of form.querySelectorAll('.field[data-path]')) {
      const mark = el.querySelector('.req');
      if (mark) mark.hidden = !req.has(el.dataset.path);
    }
  };
  form.addEventListener('change', syncRequired);
  syncRequired();

  const button = h('button', { type: 'submit' }, submitLabel);
  form.append(h('div', { class: 'row' }, button));
  handleSubmit(form, button, async () => {
    try {
      const body = {};
      for (const r of readers) {
        const v = await r.read();
        if (v !== undefined) body[r.name] = v;
      }
      await onSubmit(body, form);
    } catch (err) {
      if (err && err.errors !== undefined) showErrors(form, err);
      else showErrors(form, { message: String(err?.message || err), errors: [] });
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export { clear };
