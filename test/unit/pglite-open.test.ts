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

it('keeps PGlite parsing base types and their arrays (json, timestamptz, int8, text[], int4[]) after trimming its type-parser table', async () => {
  const h = await openDatabase({});
  try {
    const { rows } = await sql<{ t: unknown; i: unknown; j: unknown; ts: unknown; b: unknown; x: unknown; tsa: unknown }>`
      select array['a','b']::text[] as t, array[1,2]::int4[] as i, '{"a":[1]}'::json as j, '2026-12-03T01:02:03.456Z'::timestamptz as ts,
             42::int8 as b, true as x, array['2026-12-03T01:02:03Z'::timestamptz] as tsa`.execute(h.db);
    expect(rows[0]).toEqual({ t: ['a', 'b'], i: [1, 2], j: { a: [1] }, ts: new Date('2026-12-03T01:02:03.456Z'), b: 42, x: true, tsa: [new Date('2026-12-03T01:02:03Z')] });
  } finally {
    await h.close();
  }
});
