// The courier's workspace, phone first (issue #14 item 4): "Rute hari ini" grouped by kecamatan and
// desa (GET /api/courier/route), a compact case page with call / WhatsApp / Maps links, pickup
// pre-filled with the logged-in courier, the handover form with the recipient's signature drawn on
// screen (signature_pad, served from node_modules) and an optional photo, and the failed-delivery
// action. Personal data is what the API returns for the caller's role (SPEC §9); nothing is re-typed.
import SignaturePad from '/vendor/signature_pad.js';
import * as D from './domain.js';
import { api, blobToDataUrl, fileToBase64 } from './api.js';
import { h, clear, notice, fmtDateTime, statusBadge } from './dom.js';
import { renderSchemaForm, showErrors } from './forms.js';
import { compressImage } from './upload.js';
import { stepTitle, documentTypeLabel, label } from './sop.js';
import { loadForms, availableActions } from './staff-case.js';

const enc = encodeURIComponent;

// ---------------------------------------------------------------- shared pieces

/** Telepon / WhatsApp / Maps buttons (only the links the data allows). */
function linkButtons(links) {
  const items = [
    links.tel ? h('a', { class: 'button', href: links.tel, dataset: { link: 'tel' } }, 'Telepon') : null,
    links.whatsapp ? h('a', { class: 'button secondary', href: links.whatsapp, target: '_blank', rel: 'noopener', dataset: { link: 'whatsapp' } }, 'WhatsApp') : null,
    links.maps ? h('a', { class: 'button secondary', href: links.maps, target: '_blank', rel: 'noopener', dataset: { link: 'maps' } }, 'Buka Maps') : null,
  ].filter(Boolean);
  return items.length ? h('div', { class: 'row link-row' }, items) : null;
}

function rtRw(r) {
  return [r.rt ? `RT ${r.rt}` : null, r.rw ? `RW ${r.rw}` : null].filter(Boolean).join(' / ');
}

/** Who has the card now, from the case's timeline: the latest pickup, unless a failed attempt came after it. */
function currentPickup(c) {
  let last = null;
  for (const e of c.timeline || []) {
    if (e.type === 'PICKED_UP') last = e;
    else if (e.type === 'DELIVERY_FAILED' || e.type === 'RETURNED_TO_OFFICE') last = null;
  }
  return last ? { name: last.actor?.name || last.actor?.username || '', username: last.actor?.username, at: last.at } : null;
}

// ---------------------------------------------------------------- Rute hari ini

export async function routeView(root, ctx) {
  const r = await api.staffGet('/api/courier/route');
  clear(root);
  const reload = h('button', { type: 'button', class: 'secondary', onclick: () => routeView(root, ctx) }, 'Muat ulang');
  root.append(
    h('div', { class: 'route-head' }, h('h1', {}, 'Rute hari ini'), reload),
    h('p', { class: 'muted', id: 'route-summary' }, `${D.formatIndonesianDateWithDay(`${r.date}T12:00:00+07:00`)} · ${r.total} kiriman`),
  );
  if (!r.total) root.append(h('p', { class: 'card muted' }, 'Tidak ada kartu yang menunggu diantar hari ini.'));
  const box = h('div', { id: 'route' });
  for (const g of r.groups) {
    const count = g.villages.reduce((n, v) => n + v.items.length, 0);
    const section = h('section', { class: 'route-district', 'aria-label': `Kecamatan ${g.district}`, dataset: { district: g.district } }, h('h2', {}, `Kec. ${g.district}`, h('span', { class: 'badge' }, ` ${count}`)));
    for (const v of g.villages) {
      section.append(
        h('h3', { class: 'route-village' }, v.village ? `Desa ${v.village}` : 'Desa tidak ditampilkan'),
        h('ul', { class: 'route-cards' }, v.items.map((s) => h('li', {}, stopCard(s, ctx, root)))),
      );
    }
    box.append(section);
  }
  root.append(box);
  if (r.later.length) {
    root.append(
      h('section', { class: 'card', 'aria-label': 'Percobaan berikutnya', id: 'route-later' },
        h('h2', {}, 'Dicoba lagi hari kerja berikutnya'),
        h('ul', { class: 'plain' }, r.later.map((s) => h('li', {}, h('a', { href: `#/kasus/${enc(s.registrationNumber)}`, class: 'mono' }, s.registrationNumber), ` · Kec. ${s.district} · mulai ${fmtDateTime(s.availableFrom)}`))),
      ),
    );
  }
  if (r.doneToday.length) {
    root.append(
      h('section', { class: 'card', 'aria-label': 'Selesai hari ini', id: 'route-done' },
        h('h2', {}, 'Sudah Anda kerjakan hari ini'),
        h('ul', { class: 'plain' }, r.doneToday.map((d) => h('li', {}, h('a', { href: `#/kasus/${enc(d.registrationNumber)}`, class: 'mono' }, d.registrationNumber), ` · ${d.type === 'DELIVERED' ? 'diserahkan' : 'gagal antar'} · ${fmtDateTime(d.at)}`))),
      ),
    );
  }
}

function stopCard(s, ctx, root) {
  const rec = s.recipient || {};
  const badges = [
    s.overdue ? h('span', { class: 'badge bad' }, 'Terlambat') : null,
    s.deliveryAttempts ? h('span', { class: 'badge warn' }, `Percobaan ke-${s.deliveryAttempts + 1}`) : null,
    s.pickedUp
      ? h('span', { class: 'badge ok' }, s.pickedUp.byMe ? 'Sudah Anda ambil' : `Diambil ${s.pickedUp.name || s.pickedUp.username}`)
      : h('span', { class: 'badge' }, 'Belum diambil dari kantor'),
  ];
  const card = h(
    'article',
    { class: 'card stop', dataset: { reg: s.registrationNumber }, 'aria-label': `Kiriman ${s.registrationNumber}` },
    h('div', { class: 'stop-head' },
      h('strong', { class: 'stop-name' }, rec.name || 'Penerima'),
      h('a', { href: `#/kasus/${enc(s.registrationNumber)}`, class: 'mono small' }, s.registrationNumber)),
    rec.address ? h('p', { class: 'stop-address' }, rec.address, rtRw(rec) ? `, ${rtRw(rec)}` : '') : h('p', { class: 'muted small' }, 'Alamat tidak ditampilkan untuk peran Anda.'),
    rec.note ? h('p', { class: 'stop-note' }, h('em', {}, 'Catatan: '), rec.note) : null,
    h('p', { class: 'small muted' }, documentTypeLabel(ctx.sop, s.documentType), ' ', badges),
    linkButtons(s.links),
  );
  const actions = h('div', { class: 'row stop-actions' });
  if (!s.pickedUp && ctx.user.role === 'ekspedisi') {
    const pick = h('button', { type: 'button', class: 'secondary' }, 'Ambil dari kantor');
    pick.addEventListener('click', async () => {
      pick.disabled = true;
      try {
        await api.staffPost(`/api/applications/${enc(s.registrationNumber)}/actions/pickup`, { courierName: ctx.user.name });
        await waitForRoute(s.registrationNumber, (x) => x?.pickedUp);
        await routeView(root, ctx);
      } catch (err) {
        pick.disabled = false;
        card.append(notice('bad', err.message));
      }
    });
    actions.append(pick);
  }
  if (ctx.user.role === 'ekspedisi') {
    actions.append(h('a', { class: 'button', href: `#/kasus/${enc(s.registrationNumber)}`, dataset: { go: 'handover' } }, 'Serahkan'));
    const failed = h('details', { class: 'stop-failed' }, h('summary', {}, 'Gagal antar'));
    failed.addEventListener('toggle', async () => {
      if (!failed.open || failed.querySelector('form')) return;
      const form = await failedForm(s.registrationNumber, async () => routeView(root, ctx));
      failed.append(form);
    });
    card.append(actions, failed);
  }
  return card;
}

/** The route answer follows the workflow a moment later: poll briefly until `ok(stop)`. */
async function waitForRoute(reg, ok) {
  for (let i = 0; i < 20; i++) {
    const r = await api.staffGet('/api/courier/route');
    const all = [...r.groups.flatMap((g) => g.villages.flatMap((v) => v.items)), ...r.later];
    if (ok(all.find((x) => x.registrationNumber === reg))) return;
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function formSchemaOf(action) {
  const one = await api.staffGet(`/api/forms/${enc(action)}`);
  return { schema: one.schema, title: one.title };
}

/** "Gagal antar" (delivery-failed), rendered from its schema. */
async function failedForm(reg, done) {
  const { schema, title } = await formSchemaOf('delivery-failed');
  return renderSchemaForm(schema, {
    title,
    idPrefix: 'delivery-failed',
    submitLabel: 'Simpan',
    onSubmit: async (body) => {
      await api.staffPost(`/api/applications/${enc(reg)}/actions/delivery-failed`, body);
      await done();
    },
  });
}

// ---------------------------------------------------------------- handover with a drawn signature

/**
 * The handover form (handover, office-handover): the schema's fields, with the photo resized in the
 * browser and the recipient's signature drawn on a canvas (required here; the API keeps it optional
 * for clients that collect a signature on paper).
 */
export function handoverForm(schema, { title, action, onSubmit }) {
  const props = { ...(schema.properties || {}) };
  const photoProp = props.photoBase64;
  const sigProp = props.signaturePng;
  delete props.photoBase64;
  delete props.signaturePng;
  const base = { ...schema, properties: props };

  const photoInput = h('input', { type: 'file', accept: 'image/*', capture: 'environment', name: `${action}-photo`, id: `${action}-photo` });
  const canvas = h('canvas', { class: 'signature-canvas', id: `${action}-signature`, role: 'img', 'aria-labelledby': `${action}-signature-label`, 'aria-describedby': `${action}-signature-hint` });
  let pad = null;
  const form = renderSchemaForm(base, {
    title,
    idPrefix: action,
    submitLabel: 'Simpan',
    onSubmit: async (body, f) => {
      if (!pad || pad.isEmpty()) {
        showErrors(f, { message: 'Tanda tangan penerima belum ada.', errors: [{ path: 'signaturePng', message: 'Minta penerima menandatangani di kotak ini.' }] });
        return;
      }
      body.signaturePng = pad.toDataURL('image/png');
      const file = photoInput.files && photoInput.files[0];
      if (file) body.photoBase64 = await fileToBase64(await compressImage(file, 2 * 1024 * 1024));
      await onSubmit(body, f);
    },
  });
  const clearBtn = h('button', { type: 'button', class: 'secondary small' }, 'Ulangi tanda tangan');
  const sigField = h(
    'div',
    { class: 'field', dataset: { path: 'signaturePng' } },
    h('p', { class: 'label', id: `${action}-signature-label` }, sigProp?.title || 'Tanda tangan penerima', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'hint', id: `${action}-signature-hint` }, 'Serahkan ponsel kepada penerima untuk menandatangani dengan jari di kotak ini.'),
    h('div', { class: 'signature-box' }, canvas),
    h('div', { class: 'row' }, clearBtn),
    h('p', { class: 'field-error', hidden: true }),
  );
  const photoField = h(
    'div',
    { class: 'field', dataset: { path: 'photoBase64' } },
    h('label', { for: photoInput.id }, photoProp?.title || 'Foto penyerahan'),
    h('p', { class: 'hint' }, 'Opsional: foto kartu saat diserahkan (kamera ponsel). Foto diperkecil otomatis.'),
    photoInput,
    h('p', { class: 'field-error', hidden: true }),
  );
  const buttons = form.querySelector(':scope > .row:last-child');
  form.insertBefore(photoField, buttons);
  form.insertBefore(sigField, buttons);
  form.dataset.action = action;

  // The canvas gets its pixel size once it is laid out (device pixel ratio for a sharp line).
  const setup = () => {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = canvas.offsetWidth;
    const height = canvas.offsetHeight;
    if (!width) return false;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.getContext('2d').scale(ratio, ratio);
    pad = new SignaturePad(canvas, { penColor: '#10233f', minWidth: 0.8, maxWidth: 2.6 });
    pad.addEventListener('endStroke', () => {
      sigField.classList.remove('invalid');
      sigField.querySelector('.field-error').hidden = true;
      // The only problem was the missing signature: its summary goes too.
      if (!form.querySelector('.field.invalid')) form.querySelector('.form-errors')?.remove();
    });
    return true;
  };
  const tryLater = () => requestAnimationFrame(() => setup() || tryLater());
  tryLater();
  clearBtn.addEventListener('click', () => pad && pad.clear());
  return form;
}

// ---------------------------------------------------------------- the courier's case page

/** The handover photo and the drawn signature of a receipt, when the caller may see them (empty otherwise). */
export async function receiptEvidence(receipt) {
  if (!receipt || (!receipt.signatureUrl && !receipt.photoUrl)) return null;
  const figures = h('div', { class: 'evidence' });
  const add = async (url, caption, cls) => {
    if (!url) return;
    const img = h('img', { alt: caption, class: cls });
    try {
      img.src = await blobToDataUrl(await api.staffBlob(url));
    } catch {
      img.alt = `Gagal memuat ${caption.toLowerCase()}`;
    }
    figures.append(h('figure', { dataset: { evidence: cls } }, img, h('figcaption', {}, caption)));
  };
  await add(receipt.signatureUrl, 'Tanda tangan penerima', 'signature');
  await add(receipt.photoUrl, 'Foto serah terima', 'photo');
  return figures;
}

export async function courierCaseView(root, ctx, reg, flash, expected) {
  const { sop } = ctx;
  let c = await api.staffGet(`/api/applications/${enc(reg)}`);
  for (let i = 0; expected && i < 20 && (c.currentStep !== expected.currentStep || c.status !== expected.status || (expected.pickedUp && !currentPickup(c))); i++) {
    await new Promise((r) => setTimeout(r, 250));
    c = await api.staffGet(`/api/applications/${enc(reg)}`);
  }
  clear(root);
  root.append(h('p', {}, h('a', { href: '#/rute' }, '← Rute hari ini')), h('h1', {}, 'Kiriman ', h('span', { class: 'mono' }, reg)));
  if (flash) root.append(flash);

  const pickup = currentPickup(c);
  const d = c.delivery || {};
  const contact = c.contact || {};
  root.append(
    h('section', { class: 'card', 'aria-label': 'Ringkasan' },
      h('dl', { class: 'kv' },
        h('dt', {}, 'Status'), h('dd', { id: 'case-status', dataset: { status: c.status } }, statusBadge(c.status)),
        h('dt', {}, 'Tahap'), h('dd', { id: 'case-step', dataset: { step: c.currentStep } }, stepTitle(sop, c.currentStep)),
        c.waitingFor ? [h('dt', {}, 'Keterangan'), h('dd', {}, label('waiting', c.waitingFor))] : null,
        h('dt', {}, 'Dokumen'), h('dd', {}, documentTypeLabel(sop, c.documentType)),
        c.status === 'IN_PROGRESS' && c.currentStep === 'HANDOVER'
          ? [h('dt', {}, 'Kartu'), h('dd', { id: 'pickup-state' }, pickup ? `Sudah diambil oleh ${pickup.name} (${fmtDateTime(pickup.at)})` : 'Belum diambil dari kantor')]
          : null,
        c.deliveryAttempts
          ? [h('dt', {}, 'Gagal antar'), h('dd', { id: 'delivery-failures' }, `${c.deliveryAttempts} kali`,
              h('ul', { class: 'small' }, (c.deliveryFailures || []).map((f) => h('li', {}, `Percobaan ${f.attempt}: ${f.reasonLabel} (${fmtDateTime(f.at)})`))))]
          : null,
      ),
    ),
  );

  // The recipient and the links first: that is where the courier goes next.
  const hasRecipient = contact.name || contact.phone || d.address;
  const links = D.deliveryLinks(contact.phone ?? null, d.address ? d : null);
  root.append(
    h('section', { class: 'card recipient', 'aria-label': 'Penerima' },
      h('h2', {}, 'Penerima'),
      hasRecipient
        ? [
            contact.name ? h('p', { class: 'stop-name' }, h('strong', {}, contact.name)) : null,
            contact.phone ? h('p', {}, contact.phone) : null,
            d.address ? h('p', {}, d.address, rtRw(d) ? `, ${rtRw(d)}` : '') : null,
            h('p', {}, [d.village ? `Desa ${d.village}` : null, `Kec. ${d.district ?? '–'}`].filter(Boolean).join(', ')),
            d.note ? h('p', { class: 'stop-note' }, h('em', {}, 'Catatan: '), d.note) : null,
            linkButtons(links),
          ]
        : h('p', { class: 'muted', id: 'access-note' }, c.access?.note || 'Data penerima tidak ditampilkan untuk peran Anda.'),
    ),
  );

  const actionsBox = h('section', { class: 'actions', 'aria-label': 'Tindakan', id: 'actions' });
  root.append(actionsBox);
  await courierActions(actionsBox, ctx, c, reg, root, pickup);

  if (c.receipt) {
    const evidence = await receiptEvidence(c.receipt);
    const receiptDoc = (c.documents || []).some((x) => x.kind === 'receipt');
    root.append(
      h('section', { class: 'card', 'aria-label': 'Tanda terima', id: 'receipt' },
        h('h2', {}, `Tanda terima ${c.receipt.number}`),
        h('p', {}, `Diterima${c.receipt.receivedBy ? ` oleh ${c.receipt.receivedBy}` : ''} (${label('relationship', c.receipt.relationship)}), ${fmtDateTime(c.receipt.deliveredAt)}`),
        evidence,
        receiptDoc ? h('p', {}, pdfLink(`/api/applications/${enc(reg)}/documents/receipt`, 'Buka tanda terima (PDF)')) : h('p', { class: 'muted small' }, 'PDF tanda terima sedang dibuat…'),
      ),
    );
  }

  const events = c.timeline || [];
  root.append(
    h('section', { class: 'card', 'aria-label': 'Riwayat', id: 'timeline' },
      h('h2', {}, 'Riwayat pengantaran'),
      h('ol', { class: 'small' }, events.filter((e) => e.step === 'HANDOVER' || e.stepKey === 'HANDOVER' || e.type === 'COURIER_NOTIFIED').map((e) =>
        h('li', { dataset: { type: e.type } }, h('strong', {}, e.label || e.type), ` — ${fmtDateTime(e.at)}`, e.text ? h('div', {}, e.text) : null))),
    ),
  );
}

async function courierActions(box, ctx, c, reg, root, pickup) {
  const forms = availableActions(await loadForms(), ctx.user.role, c).filter((f) => !(f.action === 'pickup' && pickup));
  if (!forms.length) {
    box.append(h('p', { class: 'muted', id: 'no-actions' }, 'Tidak ada tindakan untuk Anda pada kiriman ini.'));
    return;
  }
  const done = (title, expected) => async (res) => {
    const msg = notice('ok', `${title}: tersimpan.`);
    await courierCaseView(root, ctx, reg, msg, { ...res, ...expected });
    msg.setAttribute('tabindex', '-1');
    msg.focus();
  };
  for (const f of forms) {
    const { schema, title } = await formSchemaOf(f.action);
    const post = (body) => api.staffPost(`/api/applications/${enc(reg)}/actions/${enc(f.action)}`, body);
    if (f.action === 'handover' || f.action === 'office-handover') {
      box.append(handoverForm(schema, { title, action: f.action, onSubmit: async (body) => done(title)(await post(body)) }));
    } else if (f.action === 'delivery-failed') {
      const form = renderSchemaForm(schema, { title, idPrefix: f.action, submitLabel: 'Simpan', onSubmit: async (body) => done(title)(await post(body)) });
      box.append(h('details', { class: 'card failed-box' }, h('summary', {}, 'Gagal antar? Catat alasannya'), form));
    } else {
      const form = renderSchemaForm(schema, { title, idPrefix: f.action, submitLabel: 'Simpan', onSubmit: async (body) => done(title, f.action === 'pickup' ? { pickedUp: true } : {})(await post(body)) });
      // Pickup: the logged-in courier's own name, editable (another courier may take it for them).
      const nameInput = form.querySelector(`[name="${f.action}-courierName"]`);
      if (nameInput && !nameInput.value) nameInput.value = ctx.user.name;
      box.append(form);
    }
  }
}

/** A protected PDF: fetched with the token, opened as a blob in a new tab. */
function pdfLink(url, text) {
  const a = h('a', { href: '#', class: 'button secondary', role: 'button', id: 'receipt-pdf' }, text);
  a.addEventListener('click', async (ev) => {
    ev.preventDefault();
    const win = window.open('', '_blank');
    try {
      const objectUrl = URL.createObjectURL(await api.staffBlob(url));
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
