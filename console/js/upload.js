// Phone photos on slow links: images are resized and re-encoded as JPEG in the browser (canvas)
// until they fit the limit; PDFs are checked for size; the request is sent with XHR so the
// upload progress can be shown per file and overall.

/** Longest side of a resized image: a KK photographed at 1600 px stays readable. */
const MAX_SIDE = 1600;
/** What a photo should weigh to cross a 400 kbit/s link in a few seconds (the hard limit is the server's). */
export const TARGET_BYTES = 450 * 1024;

async function decode(file) {
  if ('createImageBitmap' in window) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      /* fall through to <img> */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function toJpeg(canvas, quality) {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode'))), 'image/jpeg', quality));
}

/**
 * A JPEG Blob from an image file: scaled to at most MAX_SIDE px on the longest side, quality
 * lowered step by step, then the size, until it weighs at most TARGET_BYTES (or, failing that,
 * under `maxBytes`). Files already small pass unchanged.
 */
export async function compressImage(file, maxBytes) {
  if (file.size <= TARGET_BYTES && (file.type === 'image/jpeg' || file.type === 'image/png')) return file;
  const img = await decode(file);
  const w0 = img.width || img.naturalWidth;
  const h0 = img.height || img.naturalHeight;
  let scale = Math.min(1, MAX_SIDE / Math.max(w0, h0));
  let fallback = null;
  for (let round = 0; round < 4; round++) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(w0 * scale));
    canvas.height = Math.max(1, Math.round(h0 * scale));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; // transparent PNG areas become white, not black
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    for (const q of [0.8, 0.7, 0.6]) {
      const blob = await toJpeg(canvas, q);
      if (blob.size <= TARGET_BYTES) {
        if (img.close) img.close();
        return blob;
      }
      if (blob.size <= maxBytes && !fallback) fallback = blob;
    }
    if (fallback) break; // readable and under the limit: do not shrink a noisy photo further
    scale *= 0.75;
  }
  if (img.close) img.close();
  if (fallback) return fallback;
  throw new Error('Foto tidak dapat diperkecil; coba foto ulang.');
}


export const fmtSize = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/**
 * POSTs JSON with XHR. `onProgress(loaded, total)` follows the upload; resolves `{ status, body }`.
 */
export function postJson(url, text, { headers = {}, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : text.length));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => reject(new Error('Koneksi terputus. Periksa sinyal lalu tekan Kirim lagi; data Anda masih ada di formulir.')));
    xhr.addEventListener('timeout', () => reject(new Error('Pengiriman terlalu lama. Tekan Kirim lagi.')));
    xhr.timeout = 10 * 60 * 1000;
    xhr.send(text);
  });
}
