/** The search normalisation (domain/search.ts) and the migration that fills it for existing cases. */
import { describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { openDatabase } from '../../db/connect.js';
import { migrations } from '../../db/migrations/index.js';
import { classifySearch, normalizeForSearch } from '../../domain/search.js';

describe('normalizeForSearch', () => {
  it('folds case, accents and punctuation', () => {
    expect(normalizeForSearch("  Siti Nur'Aini  ḤASANAH ")).toBe('siti nur aini hasanah');
    expect(normalizeForSearch('Ánisa Rahayu-Putri')).toBe('anisa rahayu putri');
    expect(normalizeForSearch('50%_off')).toBe('50 off');
  });
  it('reads a query as a NIK, a registration number (prefix) or a name; too short is null', () => {
    expect(classifySearch('3315011505900042')).toEqual({ kind: 'nik', nik: '3315011505900042' });
    expect(classifySearch('bp-20261202')).toEqual({ kind: 'registration', prefix: 'BP-20261202' });
    expect(classifySearch('Dewi')).toEqual({ kind: 'name', normalized: 'dewi' });
    expect(classifySearch('ab')).toBeNull();
    expect(classifySearch('123456')).toBeNull();
  });
});

describe('migration 2026_12_02_0100_access_log', () => {
  it('fills the normalised name columns of cases that existed before it', async () => {
    const h = await openDatabase({});
    try {
      const migrator = new Migrator({ db: h.db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('2026_11_23_0010_api_indexes');
      expect(before.error).toBeUndefined();
      await sql`insert into cases (registration_number, document_type, reason, status, current_step, subject_nik, subject_name, subject_birth_date,
        kk_number, contact_name, contact_phone, address, rt, rw, village, district, submitted_at, updated_at)
        values ('BP-20261101-00001', 'KTP_EL', 'NEW', 'IN_PROGRESS', 'DOCUMENT_VERIFICATION', '3315011505900001', 'Ébi Sánchez', '1990-05-15',
        '3315010101200001', 'Ïbu Ñoni', '+6281234567890', 'Jl. A', '001', '002', 'Kuripan', 'Purwodadi', now(), now())`.execute(h.db);
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const row = await h.db.selectFrom('cases').select(['subject_name_search', 'contact_name_search']).executeTakeFirstOrThrow();
      expect(row).toEqual({ subject_name_search: 'ebi sanchez', contact_name_search: 'ibu noni' });
    } finally {
      await h.close();
    }
  });
});
