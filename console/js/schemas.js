// Request schemas of non-action forms (notes, stock corrections), taken from the API's own
// OpenAPI document so that the console renders them like the action forms (no hand-written forms).
import { api } from './api.js';

let doc = null;

/** The JSON Schema of a request body by its component id (e.g. 'NoteRequest'). */
export async function requestSchema(id) {
  if (!doc) {
    doc = api.get('/api/openapi.json');
    doc.catch(() => (doc = null));
  }
  const d = await doc;
  const s = d?.components?.schemas?.[id];
  if (!s) throw new Error(`Formulir ${id} tidak tersedia.`);
  return s;
}

/** Saves a Blob under a file name (protected files cannot be plain links: they need the token). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
