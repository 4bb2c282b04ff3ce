/**
 * A signature that proves what it shows (issue #12 item 6): payload v2 over the approval PDF's
 * SHA-256, /api/verify showing only the verified payload, PAdES signatures checked by poppler's
 * `pdfsig`, and v1 cases still verifying.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { createApp } from '../../api/app.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { maskName, readSignedPayload } from '../../domain/signature.js';
import { sha256Hex } from '../../infra/files.js';
import { silentLogger } from '../../infra/logger.js';
import { loadOrCreatePdfSigner, generateSelfSignedP12 } from '../../activities/adapters/pdf-signer.js';
import { PERSONAL, createHarness, newRegistrationNumber, saveInput, seedAllStaff, seedCase, type Harness } from '../workflow/support.js';

const PDFSIG = '/usr/bin/pdfsig';
const hasPdfsig = fs.existsSync(PDFSIG);
if (!hasPdfsig) console.warn(`SKIPPED: ${PDFSIG} not found (install poppler-utils): the embedded PDF signature is not checked by an independent tool`);

let h: Harness;
let acts: Activities;
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  h = await createHarness();
  await seedAllStaff(h.db);
  acts = createActivities({ db: h.db, files: h.files, adapters: h.adapters, config: h.config, logger: silentLogger });
  const app = createApp({
    config: h.config,
    db: h.db,
    pingDatabase: async () => undefined,
    temporal: {} as Client,
    pingTemporal: async () => undefined,
    files: h.files,
    signer: h.adapters.signer,
    logger: silentLogger,
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

const verify = async (regNo: string) => {
  const res = await fetch(`${baseUrl}/api/verify/${regNo}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

/** pdfsig's report for a PDF (bytes written to a temporary file). */
function pdfsig(pdf: Buffer): string {
  const file = path.join(h.dataDir, `check-${Date.now()}-${Math.random().toString(16).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync(PDFSIG, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function signedCase(nip: string | null = '198705122010011003') {
  await h.db.updateTable('staff').set({ nip }).where('username', '=', 'kabid1').execute();
  const c = await newCase();
  const signedAt = Date.UTC(2026, 11, 2, 3, 4, 5);
  await acts.recordSignature({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signerUsername: 'kabid1', signerRole: 'kabid', signedAt });
  await acts.renderApprovalDocument({ registrationNumber: c.registrationNumber });
  return { regNo: c.registrationNumber, signedAt };
}

let seq = 0;
/** A registration number in the API's format (BP-YYYYMMDD-NNNNN), unique in this file. */
const regNumber = () => `BP-20261202-${String(10000 + ((process.pid * 7 + ++seq) % 90000)).padStart(5, '0')}`;
const newCase = () => {
  newRegistrationNumber(); // the helper's counter gives each seeded case its own NIK
  return seedCase(h.db, { registrationNumber: regNumber() });
};

const approvalDoc = (regNo: string) => h.db.selectFrom('documents').selectAll().where('registration_number', '=', regNo).where('kind', '=', 'approval').executeTakeFirstOrThrow();

describe('payload v2', () => {
  it('recordSignature records who and when; the payload is signed only after the approval PDF exists, over its SHA-256 (verify says "being made" meanwhile)', async () => {
    await h.db.updateTable('staff').set({ nip: '198705122010011003' }).where('username', '=', 'kabid1').execute();
    const c = await newCase();
    await acts.recordSignature({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signerUsername: 'kabid1', signerRole: 'kabid', signedAt: Date.now() });
    const pending = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', c.registrationNumber).executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ signer_name: 'Kepala Bidang Satu', signer_nip: '198705122010011003', payload: '', signature: '' });
    const meanwhile = await verify(c.registrationNumber);
    expect(meanwhile.status).toBe(404);
    expect(meanwhile.body.detail).toContain('sedang dibuat');
    await acts.renderApprovalDocument({ registrationNumber: c.registrationNumber });
    await acts.renderApprovalDocument({ registrationNumber: c.registrationNumber });
    const sig = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', c.registrationNumber).executeTakeFirstOrThrow();
    const doc = await approvalDoc(c.registrationNumber);
    const pdf = await h.files.read(doc.storage_path);
    expect(sha256Hex(pdf)).toBe(doc.sha256);
    expect(JSON.parse(sig.payload)).toMatchObject({ v: 2, signer: { nip: '198705122010011003' }, document: { kind: 'approval', sha256: doc.sha256 } });
    expect(sig.document_sha256).toBe(doc.sha256);
    expect(h.adapters.signer.verify(sig.payload, sig.signature)).toBe(true);
  });

  it('/api/verify answers from the verified payload: signer with NIP, time, document type, the PDF hash, a masked holder name', async () => {
    const { regNo, signedAt } = await signedCase();
    const doc = await approvalDoc(regNo);
    const v = await verify(regNo);
    expect(v.status).toBe(200);
    expect(v.body).toEqual({
      registrationNumber: regNo,
      valid: true,
      payloadVersion: 2,
      signer: { name: 'Kepala Bidang Satu', role: 'kabid', nip: '198705122010011003' },
      signedAt: new Date(signedAt).toISOString(),
      documentType: 'KTP_EL',
      document: { kind: 'approval', title: expect.stringContaining('persetujuan'), sha256: doc.sha256 },
      documentSha256: doc.sha256,
      holderName: maskName(PERSONAL.subjectName),
      keyId: h.adapters.signer.keyId,
    });
    expect(v.body.holderName).toBe('S*** R***** W********');
    expect(JSON.stringify(v.body)).not.toContain(PERSONAL.nik);
  });

  const tamper: Array<[string, Record<string, unknown>]> = [
    ['signer_name', { signer_name: 'Orang Lain' }],
    ['signer_role', { signer_role: 'kadis' }],
    ['signer_username', { signer_username: 'kadis1' }],
    ['signer_nip', { signer_nip: '199001012015011001' }],
    ['document_type', { document_type: 'KIA' }],
    ['signed_at', { signed_at: new Date(Date.UTC(2020, 0, 1)) }],
    ['key_id', { key_id: 'someone-else' }],
    ['document_sha256', { document_sha256: 'f'.repeat(64) }],
    ['payload', { payload: 'REPLACE' }],
    ['signature', { signature: 'REPLACE' }],
  ];
  for (const [column, change] of tamper) {
    it(`tampering signatures.${column} makes /api/verify invalid or leaves every shown value as signed`, async () => {
      const { regNo } = await signedCase();
      const before = await verify(regNo);
      expect(before.body.valid).toBe(true);
      const row = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', regNo).executeTakeFirstOrThrow();
      const set = { ...change };
      if (set.payload === 'REPLACE') set.payload = row.payload.replace('Kepala Bidang Satu', 'Orang Lain');
      if (set.signature === 'REPLACE') set.signature = h.adapters.signer.sign(row.payload.replace('KTP_EL', 'KIA')); // a real signature, of another payload
      await h.db.updateTable('signatures').set(set).where('registration_number', '=', regNo).execute();
      const after = await verify(regNo);
      expect(after.status).toBe(200);
      if (after.body.valid) expect(after.body).toEqual(before.body);
      else expect(after.body).toMatchObject({ valid: false, signer: null, signedAt: null, documentType: null, documentSha256: null });
      // Something must have been tampered visibly for payload/signature: those two make it invalid.
      if (column === 'payload' || column === 'signature') expect(after.body.valid).toBe(false);
    });
  }

  it('a signature row copied onto another case is invalid there', async () => {
    const { regNo } = await signedCase();
    const other = await newCase();
    const row = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', regNo).executeTakeFirstOrThrow();
    await h.db.insertInto('signatures').values({ ...row, registration_number: other.registrationNumber }).execute();
    expect((await verify(other.registrationNumber)).body.valid).toBe(false);
  });

  it('tampering documents.sha256 does not change the hash /api/verify shows (it comes from the payload)', async () => {
    const { regNo } = await signedCase();
    const doc = await approvalDoc(regNo);
    await h.db.updateTable('documents').set({ sha256: '0'.repeat(64) }).where('id', '=', doc.id).execute();
    expect((await verify(regNo)).body).toMatchObject({ valid: true, documentSha256: doc.sha256 });
  });

  it('a case signed before payload v2 (a v1 row and PDF) still verifies, showing its v1 payload', async () => {
    const c = await newCase();
    const signedAt = new Date(Date.UTC(2026, 10, 20, 2, 0, 0)).toISOString();
    // Exactly what the v1 code stored.
    const payload = canonicalJson({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signer: { username: 'kabid1', name: 'Kepala Bidang Satu', role: 'kabid' }, signedAt });
    await h.db
      .insertInto('signatures')
      .values({ registration_number: c.registrationNumber, signer_username: 'kabid1', signer_name: 'Kepala Bidang Satu', signer_role: 'kabid', document_type: 'KTP_EL', signed_at: new Date(signedAt), payload, signature: h.adapters.signer.sign(payload), key_id: h.adapters.signer.keyId })
      .execute();
    // Its approval PDF still pending when the new code takes over: rendered, the v1 signature kept.
    await acts.renderApprovalDocument({ registrationNumber: c.registrationNumber });
    const row = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', c.registrationNumber).executeTakeFirstOrThrow();
    expect(row.payload).toBe(payload);
    const v = await verify(c.registrationNumber);
    expect(v.body).toMatchObject({ valid: true, payloadVersion: 1, signer: { name: 'Kepala Bidang Satu', role: 'kabid', nip: null }, signedAt, documentType: 'KTP_EL', document: null, documentSha256: null });
    await h.db.updateTable('signatures').set({ signer_name: 'Orang Lain' }).where('registration_number', '=', c.registrationNumber).execute();
    expect((await verify(c.registrationNumber)).body.signer.name).toBe('Kepala Bidang Satu');
    await h.db.updateTable('signatures').set({ payload: payload.replace('Kepala Bidang Satu', 'Orang Lain') }).where('registration_number', '=', c.registrationNumber).execute();
    expect((await verify(c.registrationNumber)).body.valid).toBe(false);
  });

  it('readSignedPayload refuses unknown versions and malformed v2 payloads', () => {
    const base = { registrationNumber: 'BP-1', documentType: 'KTP_EL', signer: { username: 'u', name: 'N', role: 'kabid', nip: null }, signedAt: '2026-12-02T00:00:00.000Z' };
    expect(readSignedPayload(JSON.stringify({ ...base, v: 3 }))).toBeNull();
    expect(readSignedPayload(JSON.stringify({ ...base, v: 2 }))).toBeNull(); // no document hash
    expect(readSignedPayload(JSON.stringify({ ...base, v: 2, document: { kind: 'approval', sha256: 'a'.repeat(64) } }))?.documentSha256).toBe('a'.repeat(64));
    expect(readSignedPayload('not json')).toBeNull();
  });
});

describe('PAdES: the PDFs carry a signature an independent tool verifies', () => {
  it.skipIf(!hasPdfsig)('the approval PDF: pdfsig reports a valid signature over the whole document by the office certificate', async () => {
    const { regNo } = await signedCase();
    const pdf = await h.files.read((await approvalDoc(regNo)).storage_path);
    const report = pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signer Certificate Common Name: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Grobogan');
    // A changed byte inside the signed range (in a content stream, so the file still parses): pdfsig says so.
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('stream\n') + 20;
    expect(at).toBeGreaterThan(20);
    tampered[at] ^= 0xff;
    const bad = pdfsig(tampered);
    expect(bad).toContain('Signature Validation:');
    expect(bad).not.toContain('Signature is Valid.');
  });

  it.skipIf(!hasPdfsig)('the receipt PDF: pdfsig reports a valid signature', async () => {
    const c = await newCase();
    const inputId = await saveInput(h.db, c.registrationNumber, 'handover', { receivedBy: 'Pemohon', relationship: 'SELF' });
    await acts.recordReceipt({ registrationNumber: c.registrationNumber, courierUsername: 'kurir1', inputId, deliveredAt: Date.now() });
    await acts.renderReceiptDocument({ registrationNumber: c.registrationNumber });
    const doc = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'receipt').executeTakeFirstOrThrow();
    const report = pdfsig(await h.files.read(doc.storage_path));
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
  });

  it('the approval PDF is deterministic: rendering it again gives the same bytes (racing retries agree with the signed hash)', async () => {
    const { regNo } = await signedCase();
    const doc = await approvalDoc(regNo);
    await h.db.deleteFrom('documents').where('id', '=', doc.id).execute();
    await acts.renderApprovalDocument({ registrationNumber: regNo });
    expect((await approvalDoc(regNo)).sha256).toBe(doc.sha256);
  });

  it.skipIf(!hasPdfsig)("the office's own PKCS#12 (SIGNING_P12_PATH + passphrase) is used when configured; a wrong passphrase stops the start", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-p12-'));
    try {
      const file = path.join(dir, 'kantor.p12');
      fs.writeFileSync(file, generateSelfSignedP12({ commonName: 'Kepala Dinas Uji BSrE', organization: 'Uji', passphrase: 'rahasia-kantor' }));
      const signer = loadOrCreatePdfSigner({ dataDir: dir, SIGNING_P12_PATH: file, SIGNING_P12_PASSPHRASE: 'rahasia-kantor' });
      expect(signer.subject).toBe('Kepala Dinas Uji BSrE');
      expect(fs.existsSync(path.join(dir, 'keys'))).toBe(false);
      const doc = await approvalDoc((await signedCase()).regNo);
      // Re-sign an unsigned rendering is not needed: signing a signed PDF adds a second signature.
      const report = pdfsig(await signer.sign(await h.files.read(doc.storage_path), { reason: 'uji', location: 'Purwodadi', contactInfo: 'x' }));
      expect(report).toContain('Signer Certificate Common Name: Kepala Dinas Uji BSrE');
      expect(() => loadOrCreatePdfSigner({ dataDir: dir, SIGNING_P12_PATH: file, SIGNING_P12_PASSPHRASE: 'salah' })).toThrow(/SIGNING_P12_PASSPHRASE/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
