/** Which database a PGlite directory opens (db/connect.ts): new directories and pre-0.4 ones. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteDatabaseName } from '../../db/connect.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-pglite-dir-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('pgliteDatabaseName', () => {
  it('gives a new directory the postgres database and records it', () => {
    const dir = path.join(root, 'new');
    expect(pgliteDatabaseName(dir)).toBe('postgres');
    expect(fs.readFileSync(path.join(dir, 'becak-database'), 'utf8').trim()).toBe('postgres');
  });

  it('keeps a directory made by PGlite 0.3 (data, no marker) on template1, where its tables are', () => {
    const dir = path.join(root, 'legacy');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    expect(pgliteDatabaseName(dir)).toBe('template1');
    expect(pgliteDatabaseName(dir)).toBe('template1');
  });
});
