// The document viewer of the verification desk: scans and PDFs drawn on a canvas (PDF pages by
// pdf.js, images by the browser), zoom and pan by Panzoom, rotation in 90° steps, page through
// PDFs. Both libraries come from node_modules through explicit static mounts (api/verification),
// the PDF worker too: nothing from a CDN, no inline script or style (the transforms are set through
// the CSSOM, which the CSP allows).
import { api } from './api.js';
import { h, clear } from './dom.js';

const PDFJS = '/vendor/pdfjs/pdf.min.mjs';
const PDFJS_WORKER = '/vendor/pdfjs/pdf.worker.min.mjs';
const PANZOOM = '/vendor/panzoom/panzoom.es.js';

let pdfjsPromise = null;
function loadPdfjs() {
  pdfjsPromise ??= import(PDFJS).then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = PDFJS_WORKER;
    return lib;
  });
  return pdfjsPromise;
}
let panzoomPromise = null;
const loadPanzoom = () => (panzoomPromise ??= import(PANZOOM).then((m) => m.default));

/** Rendering resolution above the fitted size, so that zooming in stays sharp up to this factor. */
const OVERSAMPLE = 2.5;
const MAX_SCALE = 8;
const MIN_SCALE = 0.5;

/**
 * A viewer: `element` holds the toolbar and the stage. `show(file)` loads { url, contentType,
 * name, title } (fetched with the staff token). Returns controls for keyboard shortcuts.
 */
export function createViewer() {
  const status = h('p', { class: 'viewer-status small', role: 'status', 'aria-live': 'polite' });
  const title = h('p', { class: 'viewer-title', id: 'viewer-title' });
  const pageInfo = h('span', { class: 'viewer-page', id: 'viewer-page' });
  const button = (label, text, key, onclick, extra = {}) =>
    h('button', { type: 'button', class: 'secondary tool', 'aria-label': label, title: `${label} (tombol ${key})`, onclick, ...extra }, text);
  const prev = button('Halaman sebelumnya', '‹ Halaman', 'PageUp', () => void page(-1), { id: 'viewer-prev' });
  const next = button('Halaman berikutnya', 'Halaman ›', 'PageDown', () => void page(1), { id: 'viewer-next' });
  const zoomLabel = h('span', { class: 'viewer-zoom', id: 'viewer-zoom', 'aria-live': 'polite' }, '100%');
  const toolbar = h(
    'div',
    { class: 'viewer-toolbar', role: 'toolbar', 'aria-label': 'Alat penampil berkas', 'aria-controls': 'viewer-stage' },
    button('Perkecil', '−', '-', () => zoom(-1), { id: 'viewer-zoom-out' }),
    zoomLabel,
    button('Perbesar', '+', '+', () => zoom(1), { id: 'viewer-zoom-in' }),
    button('Paskan ke layar', 'Paskan', '0', () => reset(), { id: 'viewer-fit' }),
    button('Putar 90 derajat', '⟳ Putar', 'R', () => void rotate(), { id: 'viewer-rotate' }),
    prev,
    pageInfo,
    next,
  );
  const canvas = h('canvas', { class: 'viewer-canvas', id: 'viewer-canvas', role: 'img', 'aria-label': 'Berkas' });
  const stage = h(
    'div',
    { class: 'viewer-stage', id: 'viewer-stage', tabindex: '0', 'aria-label': 'Berkas: geser untuk memindah, roda tetikus untuk memperbesar', 'aria-describedby': 'viewer-title' },
    canvas,
  );
  const element = h('section', { class: 'viewer', 'aria-label': 'Penampil berkas' }, title, toolbar, stage, status);

  let pz = null;
  let doc = null; // pdf.js document, or null for an image
  let bitmap = null; // ImageBitmap for an image
  let pageNo = 1;
  let pages = 1;
  let rotation = 0;
  let token = 0; // the latest show(): older renders are dropped
  let renderTask = null;
  let file = null;

  async function ensurePanzoom() {
    if (pz) return pz;
    const Panzoom = await loadPanzoom();
    pz = Panzoom(canvas, { maxScale: MAX_SCALE, minScale: MIN_SCALE, step: 0.25, canvas: true, cursor: 'grab' });
    stage.addEventListener('wheel', (ev) => pz.zoomWithWheel(ev));
    canvas.addEventListener('panzoomchange', (ev) => {
      zoomLabel.textContent = `${Math.round(ev.detail.scale * 100)}%`;
    });
    return pz;
  }

  function showScale() {
    if (pz) zoomLabel.textContent = `${Math.round(pz.getScale() * 100)}%`;
  }

  function fitSize(w, hgt) {
    const box = stage.getBoundingClientRect();
    const maxW = Math.max(200, box.width - 16);
    const maxH = Math.max(200, box.height - 16);
    const s = Math.min(maxW / w, maxH / hgt);
    return { width: Math.round(w * s), height: Math.round(hgt * s) };
  }

  async function draw() {
    const my = token;
    status.textContent = 'Memuat berkas…';
    if (renderTask) {
      renderTask.cancel();
      renderTask = null;
    }
    const ctx = canvas.getContext('2d');
    if (doc) {
      const p = await doc.getPage(pageNo);
      if (my !== token) return;
      const base = p.getViewport({ scale: 1, rotation: (p.rotate + rotation) % 360 });
      const fit = fitSize(base.width, base.height);
      const scale = (fit.width / base.width) * OVERSAMPLE;
      const viewport = p.getViewport({ scale, rotation: (p.rotate + rotation) % 360 });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${fit.width}px`;
      canvas.style.height = `${fit.height}px`;
      renderTask = p.render({ canvasContext: ctx, viewport });
      try {
        await renderTask.promise;
      } catch (err) {
        if (err?.name === 'RenderingCancelledException') return;
        throw err;
      }
      renderTask = null;
    } else if (bitmap) {
      const turned = rotation % 180 !== 0;
      const w = turned ? bitmap.height : bitmap.width;
      const hgt = turned ? bitmap.width : bitmap.height;
      const fit = fitSize(w, hgt);
      const scale = Math.min(OVERSAMPLE * (fit.width / w), 1.5);
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(hgt * scale);
      canvas.style.width = `${fit.width}px`;
      canvas.style.height = `${fit.height}px`;
      ctx.save();
      ctx.translate(canvas.width / 2, canvas.height / 2);
      ctx.rotate((rotation * Math.PI) / 180);
      const dw = bitmap.width * scale;
      const dh = bitmap.height * scale;
      ctx.drawImage(bitmap, -dw / 2, -dh / 2, dw, dh);
      ctx.restore();
    }
    if (my !== token) return;
    canvas.dataset.rotation = String(rotation);
    canvas.dataset.page = String(pageNo);
    canvas.dataset.rendered = `${file?.id || ''}:${pageNo}:${rotation}`;
    canvas.setAttribute('aria-label', `${file?.title || 'Berkas'}${pages > 1 ? `, halaman ${pageNo} dari ${pages}` : ''}${rotation ? `, diputar ${rotation} derajat` : ''}`);
    pageInfo.textContent = pages > 1 ? `${pageNo} / ${pages}` : '';
    prev.disabled = pageNo <= 1;
    next.disabled = pageNo >= pages;
    prev.hidden = next.hidden = pages <= 1;
    status.textContent = '';
    showScale();
  }

  async function show(f) {
    token += 1;
    const my = token;
    file = f;
    title.textContent = f.title;
    status.textContent = 'Memuat berkas…';
    rotation = 0;
    pageNo = 1;
    pages = 1;
    if (doc) void doc.destroy();
    doc = null;
    bitmap?.close?.();
    bitmap = null;
    try {
      const blob = await api.staffBlob(f.url);
      if (my !== token) return;
      if ((f.contentType || blob.type) === 'application/pdf') {
        const lib = await loadPdfjs();
        const data = new Uint8Array(await blob.arrayBuffer());
        const loaded = await lib.getDocument({
          data,
          isEvalSupported: false,
          standardFontDataUrl: '/vendor/pdfjs/standard_fonts/',
          cMapUrl: '/vendor/pdfjs/cmaps/',
          wasmUrl: '/vendor/pdfjs/wasm/',
          enableXfa: false,
        }).promise;
        if (my !== token) {
          void loaded.destroy();
          return;
        }
        doc = loaded;
        pages = doc.numPages;
      } else {
        bitmap = await createImageBitmap(blob);
        if (my !== token) return;
      }
      const p = await ensurePanzoom();
      p.reset({ animate: false });
      await draw();
    } catch (err) {
      if (my !== token) return;
      clear(status, h('span', { class: 'field-error' }, `Berkas tidak dapat ditampilkan: ${err.message || err}`));
    }
  }

  function zoom(dir) {
    if (!pz) return;
    if (dir > 0) pz.zoomIn();
    else pz.zoomOut();
  }
  function reset() {
    pz?.reset();
  }
  async function rotate() {
    rotation = (rotation + 90) % 360;
    pz?.reset({ animate: false });
    await draw();
  }
  async function page(delta) {
    const target = pageNo + delta;
    if (!doc || target < 1 || target > pages) return;
    pageNo = target;
    pz?.reset({ animate: false });
    await draw();
  }
  function destroy() {
    token += 1;
    if (doc) void doc.destroy();
    pz?.destroy();
    bitmap?.close?.();
  }

  return { element, show, zoom, reset, rotate, page, destroy, get file() { return file; } };
}
