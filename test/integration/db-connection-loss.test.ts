/**
 * PostgreSQL going away while a pooled client is checked out (inside a transaction, between two
 * statements) must fail that transaction, not the process. Needs a real server: TEST_DATABASE_URL.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import { createTestDatabase } from '../helpers/db.js';

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('PostgreSQL connection lost mid-transaction', () => {
  let handle: DatabaseHandle;
  const uncaught: unknown[] = [];
  const record = (e: unknown) => uncaught.push(e);
  beforeAll(async () => {
    handle = await createTestDatabase();
    process.on('uncaughtException', record);
  });
  afterAll(async () => {
    process.off('uncaughtException', record);
    await handle?.close();
  });

  it('fails only the transaction whose backend was terminated; the process lives and the pool serves the next query', async () => {
    let reportPid!: (pid: number) => void;
    const pidKnown = new Promise<number>((resolve) => (reportPid = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const tx = handle.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      reportPid(rows[0]!.pid);
      await gate; // the client is checked out and idle here, as between two statements
      await sql`select 1`.execute(trx);
    });
    const outcome = tx.then(
      () => 'committed',
      (e: unknown) => `failed: ${(e as Error).message}`,
    );

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [await pidKnown]);
    } finally {
      await admin.end();
    }
    // Let the terminated socket's 'end' reach the client while it is still checked out.
    await new Promise((r) => setTimeout(r, 300));
    openGate();

    expect(await outcome).toMatch(/^failed: /);
    expect(uncaught).toEqual([]);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
