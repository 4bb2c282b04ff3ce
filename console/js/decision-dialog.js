// One confirmation for a decision on one or several cases (Tugas saya's bulk decisions, the
// kabid's single approval). For the kabid's TTE it shows what the signature states (preview from
// GET /api/bulk/approval-preview) and asks the account password again as the signing passphrase;
// the server checks it. The dialog stays open on a wrong passphrase and says so at the field.
import { api } from './api.js';
import { h, clear, notice } from './dom.js';
import { field, showErrors, handleSubmit } from './forms.js';

let seq = 0;

/**
 * Opens the dialog. `submit(passphrase | undefined)` performs the decision; its answer is what this
 * returns. Resolves null when the user cancels.
 * @param {{ title: string, verb: string, regNos: string[], names?: Record<string, string>, needsPassphrase: boolean, submit: (passphrase?: string) => Promise<any> }} o
 */
export function confirmDecision(o) {
  const id = `decision-${++seq}`;
  return new Promise((resolve) => {
    const pass = o.needsPassphrase
      ? h('input', { type: 'password', name: 'passphrase', autocomplete: 'current-password', required: true, id: `${id}-pass` })
      : null;
    const preview = h('div', { class: 'decision-preview', id: `${id}-preview` });
    const confirm = h('button', { type: 'submit', id: `${id}-confirm` }, o.verb);
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Batal');
    const form = h(
      'form',
      { method: 'dialog', novalidate: true },
      preview,
      pass
        ? field({
            path: 'passphrase',
            label: 'Frasa sandi TTE',
            hint: 'Masukkan kata sandi akun Anda. Tanda tangan elektronik hanya dibubuhkan bila kata sandinya benar.',
            required: true,
            control: pass,
          })
        : null,
      h('div', { class: 'row dialog-buttons' }, confirm, cancel),
    );
    const dialog = h(
      'dialog',
      { class: 'decision-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-preview` },
      h('h2', { id: `${id}-title` }, o.title),
      form,
    );
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      finish(null);
    });
    handleSubmit(form, confirm, async () => {
      try {
        const answer = await o.submit(pass ? pass.value : undefined);
        finish(answer);
      } catch (err) {
        showErrors(form, err);
        if (pass) {
          pass.value = '';
          pass.focus();
        }
      } finally {
        confirm.disabled = false;
      }
    });
    document.body.append(dialog);
    renderPreview(preview, o).catch((err) => preview.append(notice('bad', err.message)));
    dialog.showModal();
    (pass || confirm).focus();
  });
}

/**
 * Sends one case's decision on `action`. An approval by the kabid (`approve`) is a TTE: it goes
 * through the dialog with the preview and the passphrase. Resolves null when signing is cancelled.
 */
export function submitDecision(action, reg, body, { title, subjectName } = {}) {
  const path = `/api/applications/${encodeURIComponent(reg)}/actions/${encodeURIComponent(action)}`;
  if (action !== 'approve' || body.decision !== 'approve') return api.staffPost(path, body);
  return confirmDecision({
    title: `${title}: ${reg}`,
    verb: 'Setujui dan tandatangani (TTE)',
    regNos: [reg],
    names: subjectName ? { [reg]: subjectName } : {},
    needsPassphrase: true,
    submit: (passphrase) => api.staffPost(path, { ...body, passphrase }),
  });
}

/** The cases the decision covers; for the TTE the statement each signature makes. */
async function renderPreview(box, o) {
  const names = o.names || {};
  const list = (statements) =>
    h(
      'ol',
      { class: 'decision-cases', tabindex: '0', 'aria-label': 'Permohonan yang diputuskan' },
      o.regNos.map((r) =>
        h('li', {}, h('span', { class: 'mono' }, r), names[r] ? ` · ${names[r]}` : null, statements?.[r] ? h('p', { class: 'statement' }, statements[r]) : null),
      ),
    );
  clear(box, h('p', {}, o.regNos.length === 1 ? 'Permohonan ini:' : `${o.regNos.length} permohonan ini:`), list(null));
  if (!o.needsPassphrase) return;
  const res = await api.staffGet(`/api/bulk/approval-preview?registrationNumbers=${encodeURIComponent(o.regNos.join(','))}`);
  const statements = {};
  for (const item of res.items) if (item.statement) statements[item.registrationNumber] = item.statement;
  const signer = res.signer;
  clear(box,
    h('p', {}, 'Yang akan Anda tandatangani secara elektronik (TTE):'),
    list(statements),
    h('p', { class: 'small muted' }, `Penandatangan: ${signer.name} (${signer.roleLabel}${signer.nip ? `, NIP ${signer.nip}` : ''}). Surat persetujuan PDF dibuat dan ditandatangani setelah Anda menyetujui.`),
  );
}
