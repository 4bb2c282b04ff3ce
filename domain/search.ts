/**
 * Staff search (POST /api/applications/search): what a query is, and the one normalisation of
 * names for case- and accent-insensitive matching. Done in JS (NFD, combining marks stripped,
 * lower case, punctuation to spaces) into stored columns, so it needs no `unaccent` extension and
 * behaves the same on PGlite and PostgreSQL.
 */
import { REGISTRATION_NUMBER_RE } from './citizen.js';

/** "Siti Nur'Aini  Ḥasanah" → "siti nur aini hasanah". */
export function normalizeForSearch(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const NAME_SEARCH_MIN_LENGTH = 3;

export type SearchQuery =
  | { kind: 'nik'; nik: string }
  | { kind: 'registration'; prefix: string }
  | { kind: 'name'; normalized: string };

/** A NIK (16 digits), a registration number or its prefix (`BP-…`), otherwise a name; null when too short to search. */
export function classifySearch(q: string): SearchQuery | null {
  const t = q.trim();
  if (/^\d{16}$/.test(t.replace(/[\s.-]/g, ''))) return { kind: 'nik', nik: t.replace(/[\s.-]/g, '') };
  if (/^BP-?\d/i.test(t) || REGISTRATION_NUMBER_RE.test(t.toUpperCase())) return { kind: 'registration', prefix: t.toUpperCase() };
  const normalized = normalizeForSearch(t);
  if (normalized.length < NAME_SEARCH_MIN_LENGTH || /^\d+$/.test(normalized.replace(/ /g, ''))) return null;
  return { kind: 'name', normalized };
}
