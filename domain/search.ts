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

/**
 * The index keys a name search implies: every name that contains `normalized` has all of them in
 * its `name_infixes()` array (db/migrations/2026_12_04_0200_name_infix_search.ts: each word, and
 * each substring of 3+ letters inside one word). A query's inner words are whole words of the
 * name; its first word may be the end of a longer word and its last word the beginning of one, so
 * those are keys only with 3+ letters; a one-word query is any part of one word. Empty when
 * nothing can be keyed (e.g. "ab c"): the search then scans.
 */
export function nameSearchKeys(normalized: string): string[] {
  const words = normalized.split(' ').filter((w) => w !== '');
  const keys = words.filter((w, i) => (i > 0 && i < words.length - 1) || w.length >= 3);
  return [...new Set(keys)];
}

/** A NIK (16 digits), a registration number or its prefix (`BP-…`), otherwise a name; null when too short to search. */
export function classifySearch(q: string): SearchQuery | null {
  const t = q.trim();
  if (/^\d{16}$/.test(t.replace(/[\s.-]/g, ''))) return { kind: 'nik', nik: t.replace(/[\s.-]/g, '') };
  if (/^BP-?\d/i.test(t) || REGISTRATION_NUMBER_RE.test(t.toUpperCase())) return { kind: 'registration', prefix: t.toUpperCase() };
  const normalized = normalizeForSearch(t);
  if (normalized.length < NAME_SEARCH_MIN_LENGTH || /^\d+$/.test(normalized.replace(/ /g, ''))) return null;
  return { kind: 'name', normalized };
}
