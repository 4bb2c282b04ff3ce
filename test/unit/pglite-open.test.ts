/**
 * Opening a new PGlite directory (db/connect.ts, issue #17): initdb runs in a child process, the
 * directory then opens in this one with the small shared_buffers, and what is written stays.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-pglite-open-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('creates a new directory (initdb in a child), opens it with shared_buffers 16MB, and keeps its data across a reopen', async () => {
  const dir = path.join(root, 'pglite');
  const first = await openDatabase({ pgliteDir: dir });
  try {
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(first.db);
    expect(rows[0]?.shared_buffers).toBe('16MB');
    await sql`create table kept (v int)`.execute(first.db);
    await sql`insert into kept values (42)`.execute(first.db);
  } finally {
    await first.close();
  }
  const second = await openDatabase({ pgliteDir: dir });
  try {
    const { rows } = await sql<{ v: number }>`select v from kept`.execute(second.db);
    expect(rows).toEqual([{ v: 42 }]);
  } finally {
    await second.close();
  }
}, 600_000);
