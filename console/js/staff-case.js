// Case detail: applicant data, attachments, SOP step timeline with durations against standard,
// escalations, events, produced documents and signature — and the action forms of the caller's
// role for the case's current step, rendered from GET /api/forms/{action}.
import { api, blobToDataUrl, ApiError } from './api.js';
import {
  h, clear, notice, pick, fmtDateTime, fmtDate, fmtMinutes, countdown, statusBadge,
} from './dom.js';
import { renderSchemaForm } from './forms.js';
import { temporalLink } from './temporal-link.js';
import { submitDecision } from './decision-dialog.js';
import { requestSchema } from './schemas.js';
import { deskView } from './desk.js';
import { stepTitle, roleLabel, documentTypeLabel, reasonLabel, label, labels } from './sop.js';
import { handoverForm, receiptEvidence } from './courier.js';

let formsCache = null;

/** GET /api/forms, normalised to [{ action, title, roles, steps, whileAwaitingResubmission, schema? }]. */
export async function loadForms() {
  if (!formsCache) {
    formsCache = api.staffGet('/api/forms').then((raw) => {
      const list = Array.isArray(raw) ? raw : raw.items || raw.forms || raw.actions || Object.entries(raw).map(([action, v]) => ({ action, ...v }));
      return list.map((f) => ({
        action: f.action || f.name || f.key,
        title: f.title || f.label || f.action || f.name,
        roles: f.roles || (f.role ? [f.role] : []),
        steps: f.steps || (f.step ? [f.step] : []),
        whileAwaitingResubmission: !!f.whileAwaitingResubmission,
        schema: f.schema || f.jsonSchema || f.body || null,
      }));
    });
    formsCache.catch(() => (formsCache = null));
  }
  return formsCache;
}

async function formSchema(form) {
  if (form.schema) return form.schema;
  const one = await api.staffGet(`/api/forms/${encodeURIComponent(form.action)}`);
  form.schema = one.schema || one.jsonSchema || one.body || one;
  if (one.title) form.title = one.title;
  return form.schema;
}

/** The actions the caller's role may take on this case now. */
export function availableActions(forms, role, c) {
  return forms.filter((f) => {
    if (!f.roles.includes(role)) return false;
    if (c.status === 'IN_PROGRESS') return f.steps.includes(c.currentStep);
    if (c.status === 'AWAITING_RESUBMISSION') return f.whileAwaitingResubmission;
    return false;
  });
}

export async function caseView(root, ctx, reg, flash, expected) {
  const { sop } = ctx;
  let c = await api.staffGet(`/api/applications/${encodeURIComponent(reg)}`);
  // The read model follows the workflow a moment after an action's answer: wait briefly for it.
  for (let i = 0; expected && i < 20 && (c.currentStep !== expected.currentStep || c.status !== expected.status); i++) {
    await new Promise((r) => setTimeout(r, 250));
    c = await api.staffGet(`/api/applications/${encodeURIComponent(reg)}`);
  }
  // Steps 2–4 for the role that decides them: the verification desk (evidence first).
  if (await deskView(root, ctx, c, reg, flash, { loadForms, availableActions, stepsCard, eventsCard, notesForm, rerender: caseView })) return;
  const path = (p) => `/api/applications/${encodeURIComponent(reg)}${p}`;
  clear(root);
  root.append(
    h('p', {}, h('a', { href: '#/' }, '← Kembali')),
    h('h1', {}, 'Permohonan ', h('span', { class: 'mono' }, reg)),
    temporalLink(ctx, reg),
  );
  if (flash) root.append(flash);

  const currentStep = c.currentStep;
  const stepInfo = (c.steps || []).find((s) => s.key === currentStep);
  const dueAt = pick(c, 'stepDueAt', 'dueAt') ?? stepInfo?.dueAt;
  const waiting = pick(c, 'waitingFor');
  root.append(
    h(
      'section',
      { class: 'card', 'aria-label': 'Ringkasan' },
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, 'Status'), h('dd', { id: 'case-status', dataset: { status: c.status } }, statusBadge(c.status)),
        h('dt', {}, 'Tahap'), h('dd', { id: 'case-step', dataset: { step: currentStep } }, stepTitle(sop, currentStep)),
        c.status === 'IN_PROGRESS' && dueAt ? [h('dt', {}, 'Batas waktu tahap'), h('dd', {}, fmtDateTime(dueAt), ' · ', countdown(dueAt))] : null,
        waiting ? [h('dt', {}, 'Keterangan'), h('dd', {}, label('waiting', waiting))] : null,
        c.deliveryAttempts
          ? [
              h('dt', {}, 'Pengantaran gagal'),
              h(
                'dd',
                { id: 'delivery-failures' },
                `${c.deliveryAttempts} kali`,
                h('ul', { class: 'small' }, (c.deliveryFailures || []).map((f) => h('li', {}, `Percobaan ${f.attempt}: ${f.reasonLabel} (${fmtDateTime(f.at)})`))),
              ),
            ]
          : null,
        h('dt', {}, 'Dokumen'), h('dd', {}, documentTypeLabel(sop, pick(c, 'documentType')), pick(c, 'reason') ? ` · ${reasonLabel(sop, c.reason)}` : ''),
        h('dt', {}, 'Diajukan'), h('dd', {}, fmtDateTime(pick(c, 'submittedAt', 'createdAt'))),
        pick(c, 'escalationLevel') ? [h('dt', {}, 'Eskalasi'), h('dd', {}, h('span', { class: 'badge bad' }, `tingkat ${c.escalationLevel}`))] : null,
      ),
      rejectionBlock(sop, c),
    ),
  );

  // Actions first: that is what the staff member came for.
  const actionsBox = h('section', { class: 'actions', 'aria-label': 'Tindakan', id: 'actions' });
  root.append(actionsBox);
  await renderActions(actionsBox, ctx, c, reg, root);

  // The API leaves out what the caller's role may not see (SPEC §9): say so instead of showing blanks.
  if (c.access) {
    root.append(c.access.personalData ? h('p', { class: 'muted small', id: 'access-note' }, c.access.note) : notice('warn', h('span', { id: 'access-note' }, c.access.note)));
  }
  root.append(h('div', { class: 'grid' }, personalCard(c), deliveryCard(c)));
  if (c.attachments) root.append(await attachmentsCard(c, path));
  root.append(stepsCard(sop, c));
  const docsCard = documentsCard(c, path, reg, sop);
  // The handover's drawn signature and photo, when the role may see them (courier.js).
  const evidence = await receiptEvidence(c.receipt);
  if (evidence) docsCard.append(evidence);
  root.append(docsCard);
  root.append(eventsCard(sop, c));
  root.append(await notesForm(ctx, reg, root));
}

function rejectionBlock(sop, c) {
  const r = c.rejection || (c.rejectionReason ? { step: c.rejectionStep, reason: c.rejectionReason, at: c.rejectedAt } : null);
  if (!r) return null;
  return notice('warn', h('strong', {}, `Ditolak pada ${stepTitle(sop, r.step)}: `), r.reason || '', r.at ? h('span', { class: 'small' }, ` (${fmtDateTime(r.at)})`) : null);
}

async function renderActions(box, ctx, c, reg, root) {
  const forms = availableActions(await loadForms(), ctx.user.role, c);
  if (!forms.length) {
    box.append(h('p', { class: 'muted', id: 'no-actions' }, 'Tidak ada tindakan untuk peran Anda pada tahap ini.'));
    return;
  }
  for (const f of forms) {
    let schema = await formSchema(f);
    // Handovers take the recipient's signature on screen (courier.js).
    if (f.action === 'handover' || f.action === 'office-handover') {
      const onSubmit = async (body) => {
        const res = await api.staffPost(`/api/applications/${encodeURIComponent(reg)}/actions/${encodeURIComponent(f.action)}`, body);
        const msg = notice('ok', `${f.title}: tersimpan. Tahap sekarang: ${stepTitle(ctx.sop, res.currentStep)}.`);
        await caseView(root, ctx, reg, msg, res);
        msg.setAttribute('tabindex', '-1');
        msg.focus();
      };
      box.append(handoverForm(schema, { title: f.title, action: f.action, onSubmit }));
      continue;
    }
    // The kabid's TTE: the passphrase is asked in the signing dialog, with a preview (decision-dialog.js).
    if (f.action === 'approve') schema = withoutProperty(schema, 'passphrase');
    const form = renderSchemaForm(schema, {
      title: f.title,
      idPrefix: f.action,
      submitLabel: 'Simpan',
      onSubmit: async (body) => {
        const res = await submitDecision(f.action, reg, body, { title: f.title, subjectName: c.subject?.name });
        if (!res) return; // signing cancelled
        const msg = notice('ok', `${f.title}: tersimpan. Tahap sekarang: ${stepTitle(ctx.sop, res.currentStep)}.`);
        await caseView(root, ctx, reg, msg, res);
        msg.setAttribute('tabindex', '-1');
        msg.focus();
      },
    });
    box.append(form);
  }
}

/** A copy of an object schema without one property. */
function withoutProperty(schema, name) {
  const props = { ...(schema.properties || {}) };
  delete props[name];
  return { ...schema, properties: props, required: (schema.required || []).filter((r) => r !== name) };
}

function personalCard(c) {
  const s = c.subject;
  const contact = c.contact;
  if (!s && !contact && c.access) {
    return h('section', { class: 'card', 'aria-label': 'Data pemohon' }, h('h2', {}, 'Data pemohon'), h('p', { class: 'muted' }, 'Tidak ditampilkan untuk peran Anda.'));
  }
  const row = (term, value, attrs = {}) => (value === undefined || value === null ? null : [h('dt', {}, term), h('dd', attrs, value)]);
  const contactText = contact ? [pick(contact, 'name'), pick(contact, 'phone')].filter((v) => v !== undefined && v !== null).join(' · ') : null;
  return h(
    'section',
    { class: 'card', 'aria-label': 'Data pemohon' },
    h('h2', {}, s ? 'Data pemohon' : 'Penerima'),
    h(
      'dl',
      { class: 'kv' },
      s
        ? [
            row('Nama', pick(s, 'name')),
            row('NIK', pick(s, 'nik'), { class: 'mono' }),
            row('No. KK', pick(s, 'kkNumber'), { class: 'mono' }),
            row('Tanggal lahir', pick(s, 'birthDate') ? fmtDate(s.birthDate) : null),
            row('Status kawin', typeof s.married === 'boolean' ? (s.married ? 'Sudah/pernah menikah' : 'Belum menikah') : null),
          ]
        : null,
      contactText ? row(s ? 'Kontak' : 'Nama · HP', contactText) : null,
    ),
  );
}

function deliveryCard(c) {
  const d = c.delivery || {};
  const hasAddress = pick(d, 'address') !== undefined && pick(d, 'address') !== null;
  return h(
    'section',
    { class: 'card', 'aria-label': 'Alamat pengiriman' },
    h('h2', {}, 'Alamat pengiriman'),
    hasAddress ? h('p', {}, d.address) : null,
    hasAddress ? h('p', {}, `RT ${pick(d, 'rt') ?? '–'} / RW ${pick(d, 'rw') ?? '–'}, ${pick(d, 'village') ?? ''}`) : null,
    h('p', {}, `Kec. ${pick(d, 'district') ?? '–'}`),
    pick(d, 'note') ? h('p', { class: 'muted' }, `Catatan: ${d.note}`) : null,
    hasAddress ? null : h('p', { class: 'muted small' }, 'Alamat lengkap tidak ditampilkan untuk peran Anda.'),
  );
}

/** Images are fetched with the token and shown inline as data: URLs; PDFs open on demand. */
async function attachmentsCard(c, path) {
  const items = c.attachments || [];
  const box = h('div', { class: 'thumbs' });
  await Promise.all(
    items.map(async (a) => {
      const url = path(`/attachments/${encodeURIComponent(a.id)}`);
      const type = a.contentType || '';
      const name = a.fileName || a.kind;
      const caption = h('figcaption', {}, `${label('attachment', a.kind)}${a.round ? ` (perbaikan ke-${a.round})` : ''}`, h('br'), h('span', { class: 'muted' }, name));
      if (type.startsWith('image/')) {
        const img = h('img', { alt: `${label('attachment', a.kind)}: ${name}` });
        try {
          img.src = await blobToDataUrl(await api.staffBlob(url));
        } catch {
          img.alt = `Gagal memuat ${name}`;
        }
        box.append(h('figure', { dataset: { kind: a.kind } }, img, caption));
      } else {
        box.append(h('figure', { dataset: { kind: a.kind } }, openLink(url, `Buka PDF: ${name}`), caption));
      }
    }),
  );
  return h('section', { class: 'card', 'aria-label': 'Lampiran' }, h('h2', {}, 'Lampiran'), items.length ? box : h('p', { class: 'muted' }, 'Tidak ada lampiran.'));
}

/** A link to a protected file: fetched with the token, opened as a blob in a new tab. */
function openLink(url, label) {
  const a = h('a', { href: '#', class: 'button secondary', role: 'button' }, label);
  a.addEventListener('click', async (ev) => {
    ev.preventDefault();
    const win = window.open('', '_blank');
    try {
      const blob = await api.staffBlob(url);
      const objectUrl = URL.createObjectURL(blob);
      if (win) win.location.href = objectUrl;
      else location.assign(objectUrl);
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch (err) {
      if (win) win.close();
      a.after(notice('bad', err.message));
    }
  });
  return a;
}

function stepsCard(sop, c) {
  const steps = c.steps || [];
  const rows = steps.map((s) => {
    // Counted minutes on the SLA clock (the API's); a wall-clock span would contradict the SLA's verdict.
    const minutes = s.countedMinutes ?? null;
    const std = s.standardMinutes;
    const late = s.overdue || (minutes !== null && std && minutes > std);
    const durationText = fmtMinutes(minutes);
    return h(
      'tr',
      { class: s.overdue ? 'overdue' : '', dataset: { step: s.key, state: s.state } },
      h('td', { 'data-label': 'Tahap' }, stepTitle(sop, s.key)),
      h('td', { 'data-label': 'Peran' }, roleLabel(sop, s.role)),
      h('td', { 'data-label': 'Keadaan' }, { done: 'Selesai', current: 'Berjalan', pending: 'Belum' }[s.state] || s.state),
      h('td', { 'data-label': 'Mulai' }, fmtDateTime(s.startedAt)),
      h('td', { 'data-label': 'Durasi / standar' },
        s.state === 'current' && s.dueAt && c.status === 'IN_PROGRESS' ? countdown(s.dueAt) : durationText,
        ' / standar ', std ? fmtMinutes(std) : '–',
        late ? [' ', h('span', { class: 'badge bad' }, 'terlambat')] : null),
      h('td', { 'data-label': 'Eskalasi' }, (s.escalations || []).length
        ? h('ul', {}, s.escalations.map((e) => h('li', {}, `Tingkat ${e.level} → ${roleLabel(sop, e.role)} (${fmtDateTime(e.at)})`)))
        : '–'),
    );
  });
  return h(
    'section',
    { class: 'card', 'aria-label': 'Tahapan' },
    h('h2', {}, 'Tahapan SOP'),
    h('table', { class: 'stack' }, h('thead', {}, h('tr', {}, ['Tahap', 'Peran', 'Keadaan', 'Mulai', 'Durasi / standar', 'Eskalasi'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)),
  );
}

function documentsCard(c, path, reg, sop) {
  const docs = (c.documents || []).filter((d) => ['label', 'approval', 'receipt'].includes(d.kind));
  const sig = c.signature;
  const seen = new Set();
  const links = [];
  for (const d of docs) {
    if (seen.has(d.kind)) continue; // the API serves the latest version of each kind
    seen.add(d.kind);
    links.push(h('li', {}, openLink(path(`/documents/${encodeURIComponent(d.kind)}`), label('documentKind', d.kind)), ' ', h('span', { class: 'small muted' }, fmtDateTime(d.createdAt))));
  }
  const receipt = c.receipt;
  return h(
    'section',
    { class: 'card', 'aria-label': 'Dokumen' },
    h('h2', {}, 'Dokumen yang dihasilkan'),
    links.length ? h('ul', { class: 'docs' }, links) : h('p', { class: 'muted' }, 'Belum ada dokumen.'),
    sig
      ? h('p', {}, `TTE oleh ${pick(sig, 'signer.name', 'signerName') ?? '–'} (${roleLabel(sop, pick(sig, 'signer.role', 'signerRole'))}), ${fmtDateTime(pick(sig, 'signedAt'))} · `, h('a', { href: `/verifikasi/${encodeURIComponent(reg)}`, target: '_blank', rel: 'noopener' }, 'verifikasi'))
      : null,
    receipt
      ? h('p', {}, `Tanda terima ${receipt.number}: diterima${receipt.receivedBy ? ` ${receipt.receivedBy}` : ''} (${label('relationship', receipt.relationship)}), ${fmtDateTime(receipt.deliveredAt)}`)
      : null,
  );
}

function eventsCard(sop, c) {
  const events = c.timeline || c.events || [];
  return h(
    'section',
    { class: 'card', 'aria-label': 'Riwayat', id: 'timeline' },
    h('h2', {}, 'Riwayat kejadian'),
    events.length
      ? h('ol', { class: 'small' }, events.map((e) => {
          // The API names the actor ("Pemohon", "Sistem", officer and role) and says what happened in
          // plain words; free text (reasons, notes, names) comes in personalText when the role may see it.
          const actorLabel = e.actorLabel || pick(e, 'actor.username', 'actorUsername') || '';
          const p = e.personalText || {};
          const extra = [
            p.reason ? ['Alasan', p.reason] : null,
            p.text ? ['Catatan', p.text] : null,
            p.note ? ['Catatan', p.note] : null,
            p.courierName ? ['Kurir', p.courierName] : null,
            p.receivedBy ? ['Diterima oleh', p.receivedBy] : null,
          ].filter(Boolean);
          return h(
            'li',
            { dataset: { type: e.type } },
            h('strong', {}, e.label || eventLabel(e.type)),
            ` — ${fmtDateTime(e.at)}`,
            actorLabel ? ` · ${actorLabel}` : '',
            e.step || e.stepKey ? ` · ${stepTitle(sop, e.step || e.stepKey)}` : '',
            e.text ? h('div', {}, e.text) : null,
            extra.map(([k, v]) => h('div', { class: 'event-text' }, h('em', {}, `${k}: `), v)),
          );
        }))
      : h('p', { class: 'muted' }, 'Belum ada kejadian.'),
  );
}

/** POST /api/applications/{regNo}/notes: an internal note in the timeline (any staff role). */
async function notesForm(ctx, reg, root) {
  try {
    const schema = await requestSchema('NoteRequest');
    const form = renderSchemaForm(schema, {
      title: 'Tambah catatan internal',
      idPrefix: 'note',
      formClass: 'record-form',
      submitLabel: 'Simpan catatan',
      onSubmit: async (body) => {
        await api.staffPost(`/api/applications/${encodeURIComponent(reg)}/notes`, body);
        await caseView(root, ctx, reg, notice('ok', 'Catatan tersimpan di riwayat.'));
      },
    });
    form.id = 'note-form';
    return form;
  } catch (err) {
    return notice('bad', err.message);
  }
}

function eventLabel(type) {
  return labels.event[type] || String(type || '').replace(/_/g, ' ').toLowerCase();
}

export { ApiError };
