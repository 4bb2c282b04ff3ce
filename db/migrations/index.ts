import type { Migration } from 'kysely';
import * as m0001 from './2026_11_23_0001_initial.js';
import * as m0010 from './2026_11_23_0010_api_indexes.js';
import * as ledger0600 from './2026_12_02_0600_blank_ledger.js';

/** Every migration, by name (sorted). A static list: no file-system scanning at run time. */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0001_initial': m0001,
  '2026_11_23_0010_api_indexes': m0010,
  '2026_12_02_0600_blank_ledger': ledger0600,
};
