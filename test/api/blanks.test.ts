/**
 * The blank-stock ledger: every movement a row, stock derived from (and equal to) the ledger,
 * never below zero, stock-taking corrections with a reason, concurrent prints of the last blank,
 * the opening row of the migration, and the low-stock alert once per crossing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { consumeBlank, ledgerStock } from '../../db/repositories/blanks.js';
import { lowStockHook } from '../../activities/low-stock.js';
import { crossedBelowThreshold } from '../../domain/blanks.js';
import { openDatabase } from '../../db/connect.js';
import { migrations } from '../../db/migrations/index.js';
import type { DocumentType } from '../../domain/sop.js';

const noTemporal = {
  workflow: {
    getHandle: () => {
      throw new Error('Temporal must not be called in this test');
    },
  },
} as unknown as Client;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal, env: { BLANK_LOW_STOCK: '20' } });
});
afterAll(async () => {
  await h?.close();
});

const stockOf = async (t: DocumentType) => (await h.dbh.db.selectFrom('blank_stock').select('quantity').where('document_type', '=', t).executeTakeFirstOrThrow()).quantity;
const add = (documentType: DocumentType, quantity: number) => call(h.baseUrl, 'POST', '/api/blanks', { token: h.tokens.operator, body: { documentType, quantity, note: 'Kiriman blangko' } });
const adjust = (body: unknown, token = h.tokens.operator) => call(h.baseUrl, 'POST', '/api/blanks/adjustments', { token, body });
let serial = 0;
/** One print's consumption, as the print activity does it (its own transaction, the low-stock hook). */
async function print(documentType: DocumentType, key = `consume:BP-TEST-${++serial}:1`) {
  const hook = lowStockHook({ threshold: h.config.BLANK_LOW_STOCK, provider: 'outbox' });
  return h.dbh.db.transaction().execute((trx) => consumeBlank(trx, { documentType, registrationNumber: `BP-TEST-${serial}`, idempotencyKey: key, at: new Date(), onChange: hook.onChange }));
}
const lowStockAlerts = async (t: DocumentType) =>
  h.dbh.db.selectFrom('notifications').selectAll().where('idempotency_key', 'like', `low-stock:${t}:%`).orderBy('id').execute();

describe('ledger', () => {
  it('starts with an OPENING row per type, and GET /api/blanks lists stock and movements with labels', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/blanks', { token: h.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.lowStockThreshold).toBe(20);
    expect(res.body.items.map((i: { documentType: string }) => i.documentType).sort()).toEqual(['KIA', 'KTP_EL']);
    const opening = res.body.movements.filter((m: { kind: string }) => m.kind === 'OPENING');
    expect(opening).toHaveLength(2);
    expect(opening[0].kindLabel).toBe('Saldo awal');
  });

  it('every movement is a row whose balance follows the stock, and the deltas sum to the stock', async () => {
    expect((await add('KTP_EL', 5)).status).toBe(200);
    expect(await print('KTP_EL')).toBe('consumed');
    const corrected = await adjust({ documentType: 'KTP_EL', delta: -2, reason: 'Stok opname: 2 blangko hilang' });
    expect(corrected.status).toBe(201);
    expect(corrected.body.movement).toMatchObject({ kind: 'CORRECTION', kindLabel: 'Koreksi stok opname', delta: -2, balanceAfter: 2, note: 'Stok opname: 2 blangko hilang', actorUsername: 'operator1' });
    const res = await call(h.baseUrl, 'GET', '/api/blanks?documentType=KTP_EL&limit=3', { token: h.tokens.operator });
    expect(res.body.movements.map((m: { kind: string; delta: number; balanceAfter: number }) => [m.kind, m.delta, m.balanceAfter])).toEqual([
      ['CORRECTION', -2, 2],
      ['CONSUME', -1, 4],
      ['ADD', 5, 5],
    ]);
    expect(await stockOf('KTP_EL')).toBe(2);
    expect((await ledgerStock(h.dbh.db)).KTP_EL).toBe(2);
  });

  it('a correction that would take the stock below zero is refused with 409 in Indonesian and changes nothing', async () => {
    const before = await stockOf('KTP_EL');
    const rows = (await h.dbh.db.selectFrom('blank_movements').select('id').execute()).length;
    const res = await adjust({ documentType: 'KTP_EL', delta: -(before + 1), reason: 'Stok opname akhir bulan' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain(`saat ini ${before} lembar`);
    expect(res.body.detail).toContain('kurang dari nol');
    expect(await stockOf('KTP_EL')).toBe(before);
    expect((await h.dbh.db.selectFrom('blank_movements').select('id').execute()).length).toBe(rows);
  });

  it('a correction needs a reason and a non-zero whole delta, and only operator and admin may make it', async () => {
    const noReason = await adjust({ documentType: 'KIA', delta: 3 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toContain('reason');
    expect((await adjust({ documentType: 'KIA', delta: 0, reason: 'Stok opname' })).status).toBe(400);
    expect((await adjust({ documentType: 'KIA', delta: 1.5, reason: 'Stok opname' })).status).toBe(400);
    expect((await adjust({ documentType: 'KIA', delta: 1, reason: 'Stok opname' }, h.tokens.ekspedisi)).status).toBe(403);
    expect((await adjust({ documentType: 'KIA', delta: 1, reason: 'Stok opname' }, h.tokens.kadis)).status).toBe(403);
    expect((await adjust({ documentType: 'KIA', delta: 1, reason: 'Stok opname: satu terselip' }, h.tokens.admin)).status).toBe(201);
  });

  it('a correction sent twice with the same Idempotency-Key moves the stock once', async () => {
    const before = await stockOf('KIA');
    const body = { documentType: 'KIA', delta: 4, reason: 'Stok opname: kardus kedua' };
    const headers = { 'Idempotency-Key': 'opname-kia-1' };
    const a = await call(h.baseUrl, 'POST', '/api/blanks/adjustments', { token: h.tokens.operator, body, headers });
    const b = await call(h.baseUrl, 'POST', '/api/blanks/adjustments', { token: h.tokens.operator, body, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.movement.id).toBe(a.body.movement.id);
    expect(await stockOf('KIA')).toBe(before + 4);
  });

  it('stock never goes negative: a print with no stock takes nothing, and the table refuses a negative balance', async () => {
    const kia = await stockOf('KIA');
    if (kia > 0) expect((await adjust({ documentType: 'KIA', delta: -kia, reason: 'Stok opname: kosong' })).status).toBe(201);
    expect(await print('KIA')).toBe('empty');
    expect(await stockOf('KIA')).toBe(0);
    await expect(sql`update blank_stock set quantity = -1 where document_type = 'KIA'`.execute(h.dbh.db)).rejects.toThrow();
    expect((await ledgerStock(h.dbh.db)).KIA).toBe(0);
  });

  it('concurrent prints of the last blank consume it once', async () => {
    expect((await add('KIA', 1)).status).toBe(200);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => print('KIA')));
    expect(outcomes.filter((o) => o === 'consumed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'empty')).toHaveLength(5);
    expect(await stockOf('KIA')).toBe(0);
    expect((await ledgerStock(h.dbh.db)).KIA).toBe(0);
  });

  it('the same print retried concurrently consumes one blank', async () => {
    expect((await add('KIA', 3)).status).toBe(200);
    const key = 'consume:BP-RETRY-1:1';
    const outcomes = await Promise.allSettled([print('KIA', key), print('KIA', key), print('KIA', key)]);
    const values = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<string>).value);
    expect(values.filter((v) => v === 'consumed')).toHaveLength(1);
    expect(await stockOf('KIA')).toBe(2);
    expect((await h.dbh.db.selectFrom('blank_movements').select('id').where('idempotency_key', '=', key).execute()).length).toBe(1);
  });
});

describe('low-stock alert', () => {
  it('crosses only from at-or-above the threshold to below it', () => {
    expect(crossedBelowThreshold(20, 19, 20)).toBe(true);
    expect(crossedBelowThreshold(30, 5, 20)).toBe(true);
    expect(crossedBelowThreshold(21, 20, 20)).toBe(false);
    expect(crossedBelowThreshold(19, 18, 20)).toBe(false);
    expect(crossedBelowThreshold(1, 0, 0)).toBe(false);
  });

  it('goes to operators and the sub-coordinator once per crossing, re-armed by a restock above the threshold', async () => {
    const type: DocumentType = 'KTP_EL';
    const s = await stockOf(type);
    await add(type, 21 - s); // 21
    expect(await stockOf(type)).toBe(21);
    await print(type); // 20: not below yet
    expect(await lowStockAlerts(type)).toHaveLength(0);
    await print(type); // 19: crossed
    const first = await lowStockAlerts(type);
    expect(first.map((n) => n.recipient).sort()).toEqual(['role:operator', 'role:subkoordinator']);
    expect(first[0]).toMatchObject({ kind: 'ESCALATION', registration_number: null });
    expect(first[0].text).toContain('Sisa blangko KTP-el: 19 lembar');
    await print(type); // 18
    await adjust({ documentType: type, delta: -3, reason: 'Stok opname: 3 rusak di gudang' }); // 15
    expect(await lowStockAlerts(type)).toHaveLength(2);
    await add(type, 10); // 25: re-armed
    expect(await lowStockAlerts(type)).toHaveLength(2);
    await adjust({ documentType: type, delta: -6, reason: 'Stok opname: selisih hitung' }); // 19: crossed again
    const second = await lowStockAlerts(type);
    expect(second).toHaveLength(4);
    expect(second[3].text).toContain('19 lembar');
  });

  it('concurrent prints across the threshold alert once', async () => {
    const type: DocumentType = 'KTP_EL';
    await add(type, 22 - (await stockOf(type))); // 22
    const before = (await lowStockAlerts(type)).length;
    await Promise.all(Array.from({ length: 5 }, () => print(type))); // 22 → 17, crossing once
    expect(await stockOf(type)).toBe(17);
    expect((await lowStockAlerts(type)).length - before).toBe(2); // one per role
  });
});

describe('damaged-blank report (berita acara)', () => {
  it('lists date, document type, registration number, reason and officer for the period, with signature blocks and Indonesian dates', async () => {
    const { recordDamagedBlank } = await import('../../db/repositories/blanks.js');
    const { execFileSync } = await import('node:child_process');
    const at = new Date('2026-12-03T03:15:00Z'); // 3 Desember 2026 10.15 WIB
    await recordDamagedBlank(h.dbh.db, { documentType: 'KIA', registrationNumber: 'BP-20261203-00007', idempotencyKey: 'damaged:BP-20261203-00007:1', note: 'Tinta luntur di foto', actorUsername: 'operator1', at });
    await recordDamagedBlank(h.dbh.db, { documentType: 'KTP_EL', registrationNumber: 'BP-20261110-00002', idempotencyKey: 'damaged:BP-20261110-00002:1', note: 'Kartu tertekuk', actorUsername: 'operator1', at: new Date('2026-11-10T02:00:00Z') });
    const res = await fetch(`${h.baseUrl}/api/blanks/damaged-report?from=2026-12-01&to=2026-12-31`, { headers: { authorization: `Bearer ${h.tokens.kabid}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    expect(text).toContain('BERITA ACARA BLANGKO RUSAK');
    expect(text).toContain('1 Desember 2026 s.d. 31 Desember 2026');
    expect(text).toContain('3 Desember 2026 10.15 WIB');
    expect(text).toContain('BP-20261203-00007');
    expect(text).toContain('Tinta luntur di foto');
    expect(text).toContain('Petugas operator'); // the officer's name
    expect(text).toContain('KIA: 1 lembar');
    expect(text).not.toContain('BP-20261110-00002'); // outside the period
    expect(text).toContain('Mengetahui');
    expect(text).toContain('Yang membuat');
    expect(text).toContain('Petugas kabid'); // made by the caller
  });

  it('refuses a period that ends before it starts, and roles that do not manage blanks or supervise', async () => {
    const bad = await call(h.baseUrl, 'GET', '/api/blanks/damaged-report?from=2026-12-10&to=2026-12-01', { token: h.tokens.operator });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toContain('sebelum tanggal awal');
    expect((await call(h.baseUrl, 'GET', '/api/blanks/damaged-report?from=2026-12-01&to=2026-12-01', { token: h.tokens.ekspedisi })).status).toBe(403);
  });
});

describe('migration', () => {
  it("turns today's balance into an OPENING row, so the ledger adds up to the stored stock", async () => {
    const dbh = await openDatabase({});
    try {
      const migrator = new Migrator({ db: dbh.db, provider: { getMigrations: async () => migrations } });
      const r = await migrator.migrateTo('2026_11_23_0010_api_indexes');
      expect(r.error).toBeUndefined();
      // Stock as the old code left it: one added batch, then a manual bump with no movement.
      await sql`insert into blank_movements (document_type, delta, kind, idempotency_key, at) values ('KTP_EL', 10, 'ADD', 'old-1', now())`.execute(dbh.db);
      await sql`update blank_stock set quantity = 37 where document_type = 'KTP_EL'`.execute(dbh.db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const opening = await dbh.db.selectFrom('blank_movements').selectAll().where('kind', '=', 'OPENING').orderBy('document_type').execute();
      expect(opening.map((o) => [o.document_type, o.delta, o.balance_after])).toEqual([
        ['KIA', 0, 0],
        ['KTP_EL', 27, 37],
      ]);
      expect(await ledgerStock(dbh.db)).toEqual({ KIA: 0, KTP_EL: 37 });
    } finally {
      await dbh.close();
    }
  });
});
