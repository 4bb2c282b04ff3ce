/**
 * Data at rest (issue #12 item 4): owner-only modes, AES-256-GCM for scans, photos and print jobs,
 * migration of plain files, key rotation, print jobs deleted once settled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../../infra/files.js';
import { encryptedKeyId, fileKeyId, filesKeyFilePath, keyringOf, loadFileKeyring, readKeysFile } from '../../infra/file-crypto.js';
import { prepareDataDir, secureDataDirs } from '../../infra/data-dir.js';
import { rotateFileKey } from '../../infra/files-rotate.js';
import { parseConfig } from '../../infra/config.js';
import { createActivities, type Activities } from '../../activities/index.js';
import { silentLogger } from '../../infra/logger.js';
import { addBlanks, createHarness, saveInput, seedAllStaff, seedCase, type Harness } from '../workflow/support.js';

const dirs: string[] = [];
const tmpDataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-rest-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir` whose bytes contain `needle` (relative paths). */
function grepTree(dir: string, needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (p: string) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const q = path.join(p, e.name);
      if (e.isDirectory()) walk(q);
      else if (e.isFile() && fs.readFileSync(q).includes(needle)) hits.push(path.relative(dir, q));
    }
  };
  walk(dir);
  return hits;
}

function modesUnder(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [[path.basename(dir), (fs.statSync(dir).mode & 0o777).toString(8)]];
  const walk = (p: string) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const q = path.join(p, e.name);
      out.push([path.relative(dir, q), (fs.statSync(q).mode & 0o777).toString(8)]);
      if (e.isDirectory()) walk(q);
    }
  };
  walk(dir);
  return out;
}

describe('file store at rest', () => {
  it('scans, photos and print jobs are AES-256-GCM on disk (marker bytes found nowhere), read back plain; documents stay plain', async () => {
    const dataDir = tmpDataDir();
    const files = createFileStore(path.join(dataDir, 'files'));
    const marker = (what: string) => Buffer.from(`MARKER-${what}-${randomBytes(6).toString('hex')}`);
    const scan = marker('scan');
    const photo = marker('photo');
    const job = marker('print-job');
    await files.put('attachments/BP-1/a1', scan);
    await files.put('receipts/BP-1/photo-x.jpg', photo);
    await files.put('print-jobs/BP-1/attempt-1.json', job);
    await files.put('documents/BP-1/persetujuan.pdf', Buffer.from('%PDF-plain'));
    for (const m of [scan, photo, job]) expect(grepTree(dataDir, m), m.toString()).toEqual([]);
    expect(fs.readFileSync(files.absolute('attachments/BP-1/a1')).subarray(0, 4).toString()).toBe('BPFE');
    expect(await files.read('attachments/BP-1/a1')).toEqual(scan);
    expect(await files.read('receipts/BP-1/photo-x.jpg')).toEqual(photo);
    expect(await files.read('print-jobs/BP-1/attempt-1.json')).toEqual(job);
    expect(fs.readFileSync(files.absolute('documents/BP-1/persetujuan.pdf')).toString()).toBe('%PDF-plain');
  });

  it('a changed byte in an encrypted file makes reading it fail (GCM authentication)', async () => {
    const files = createFileStore(path.join(tmpDataDir(), 'files'));
    await files.put('attachments/BP-1/a1', Buffer.from('KK scan'));
    const p = files.absolute('attachments/BP-1/a1');
    const raw = fs.readFileSync(p);
    raw[raw.length - 1] ^= 1;
    fs.writeFileSync(p, raw);
    await expect(files.read('attachments/BP-1/a1')).rejects.toThrow();
  });

  it('new files are 0600 in 0700 folders; the key file is 0600', async () => {
    const dataDir = tmpDataDir();
    const files = createFileStore(path.join(dataDir, 'files'));
    await files.put('attachments/BP-1/a1', 'x');
    await files.put('documents/BP-1/a.pdf', 'y');
    const modes = modesUnder(dataDir).filter(([p]) => p !== path.basename(dataDir));
    for (const [p, m] of modes) expect([p, m]).toEqual([p, fs.statSync(path.join(dataDir, p)).isDirectory() ? '700' : '600']);
    expect(modes.map(([p]) => p)).toEqual(expect.arrayContaining(['keys/files.keys', 'files/attachments/BP-1/a1']));
  });

  it('secureDataDirs fixes an existing install (0755 folders, 0644 files → 0700/0600, executables 0700) and changes nothing the second time', async () => {
    const dataDir = tmpDataDir();
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(path.join(dataDir, 'pglite', 'base'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, 'pglite', 'base', '1'), 'db', { mode: 0o644 });
    fs.writeFileSync(path.join(dataDir, 'admin-password.txt'), 'pw', { mode: 0o644 });
    fs.writeFileSync(path.join(dataDir, 'tool'), '#!/bin/sh', { mode: 0o755 });
    fs.symlinkSync('/etc/hostname', path.join(dataDir, 'link'));
    const changed = await secureDataDirs([dataDir]);
    expect(changed).toBe(6);
    expect(modesUnder(dataDir).filter(([p]) => p !== 'link')).toEqual(
      expect.arrayContaining([
        [path.basename(dataDir), '700'],
        ['pglite', '700'],
        ['pglite/base', '700'],
        ['pglite/base/1', '600'],
        ['admin-password.txt', '600'],
        ['tool', '700'],
      ]),
    );
    expect((fs.statSync('/etc/hostname').mode & 0o777).toString(8)).not.toBe('600');
    expect(await secureDataDirs([dataDir])).toBe(0);
  });

  it('plain files of an older install are encrypted by seal(), once (a second run changes nothing)', async () => {
    const dataDir = tmpDataDir();
    const root = path.join(dataDir, 'files');
    const scan = Buffer.from(`OLD-PLAIN-SCAN-${randomBytes(4).toString('hex')}`);
    const job = Buffer.from('{"nik":"3315011234560001"}');
    fs.mkdirSync(path.join(root, 'attachments', 'BP-9'), { recursive: true });
    fs.mkdirSync(path.join(root, 'print-jobs', 'BP-9'), { recursive: true });
    fs.mkdirSync(path.join(root, 'documents', 'BP-9'), { recursive: true });
    fs.writeFileSync(path.join(root, 'attachments', 'BP-9', 'a1'), scan);
    fs.writeFileSync(path.join(root, 'print-jobs', 'BP-9', 'attempt-1.json'), job);
    fs.writeFileSync(path.join(root, 'documents', 'BP-9', 'x.pdf'), '%PDF-1');
    const files = createFileStore(root);
    expect(await files.seal()).toEqual({ encrypted: 2, reencrypted: 0 });
    const sealedBytes = fs.readFileSync(path.join(root, 'attachments', 'BP-9', 'a1'));
    expect(await files.seal()).toEqual({ encrypted: 0, reencrypted: 0 });
    expect(fs.readFileSync(path.join(root, 'attachments', 'BP-9', 'a1'))).toEqual(sealedBytes);
    expect(grepTree(dataDir, scan)).toEqual([]);
    expect(grepTree(dataDir, Buffer.from('3315011234560001'))).toEqual([]);
    expect(await files.read('attachments/BP-9/a1')).toEqual(scan);
    expect(await files.read('print-jobs/BP-9/attempt-1.json')).toEqual(job);
    expect(fs.readFileSync(path.join(root, 'documents', 'BP-9', 'x.pdf'), 'utf8')).toBe('%PDF-1');
  });
});

describe('start on an older install (what infra/runtime.ts runs first)', () => {
  it('prepareDataDir makes everything owner-only and encrypts plain scans, photos and print jobs; a second start changes nothing', async () => {
    const dataDir = tmpDataDir();
    fs.chmodSync(dataDir, 0o755);
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const scan = Buffer.from(`OLD-SCAN-${randomBytes(4).toString('hex')}`);
    const photo = Buffer.from(`OLD-PHOTO-${randomBytes(4).toString('hex')}`);
    const job = Buffer.from(`{"nik":"${randomBytes(4).toString('hex')}"}`);
    for (const [rel, data] of [['attachments/BP-7/a', scan], ['receipts/BP-7/photo-1.jpg', photo], ['print-jobs/BP-7/attempt-1.json', job]] as const) {
      fs.mkdirSync(path.dirname(path.join(config.filesDir, rel)), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(config.filesDir, rel), data, { mode: 0o644 });
    }
    fs.writeFileSync(path.join(dataDir, 'auth-secret'), 'x'.repeat(48), { mode: 0o644 });
    const files = await prepareDataDir(config, silentLogger);
    for (const m of [scan, photo, job]) expect(grepTree(dataDir, m)).toEqual([]);
    expect(await files.read('attachments/BP-7/a')).toEqual(scan);
    expect(await files.read('receipts/BP-7/photo-1.jpg')).toEqual(photo);
    expect(modesUnder(dataDir).filter(([, m]) => m !== '600' && m !== '700')).toEqual([]);
    const bytes = fs.readFileSync(path.join(config.filesDir, 'attachments/BP-7/a'));
    await prepareDataDir(config, silentLogger);
    expect(fs.readFileSync(path.join(config.filesDir, 'attachments/BP-7/a'))).toEqual(bytes);
    expect(await secureDataDirs([dataDir])).toBe(0);
  });
});

describe('key rotation', () => {
  it('keys file: files:rotate-key re-encrypts every file under a new key and drops the old key; a rerun is harmless', async () => {
    const dataDir = tmpDataDir();
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const before = createFileStore(config.filesDir, loadFileKeyring(config));
    await before.put('attachments/BP-1/a1', 'scan one');
    await before.put('receipts/BP-1/photo.jpg', 'photo one');
    const [oldKey] = readKeysFile(filesKeyFilePath(dataDir));
    const r = await rotateFileKey(config);
    expect(r).toMatchObject({ mode: 'keys-file', reencrypted: 2, encrypted: 0, retiredKeyIds: [fileKeyId(oldKey!)] });
    const keys = readKeysFile(filesKeyFilePath(dataDir));
    expect(keys).toHaveLength(1);
    expect(fileKeyId(keys[0]!)).toBe(r.currentKeyId);
    expect(encryptedKeyId(fs.readFileSync(path.join(config.filesDir, 'attachments/BP-1/a1')))).toBe(r.currentKeyId);
    const after = createFileStore(config.filesDir, loadFileKeyring(config));
    expect((await after.read('attachments/BP-1/a1')).toString()).toBe('scan one');
    expect((await after.read('receipts/BP-1/photo.jpg')).toString()).toBe('photo one');
    // The old key alone opens nothing any more.
    await expect(createFileStore(config.filesDir, keyringOf(oldKey!)).read('attachments/BP-1/a1')).rejects.toThrow(/not loaded/);
    const again = await rotateFileKey(config);
    expect(again.reencrypted).toBe(2);
    expect((await createFileStore(config.filesDir, loadFileKeyring(config)).read('attachments/BP-1/a1')).toString()).toBe('scan one');
  });

  it('FILES_KEY: with FILES_KEY_PREVIOUS the old files stay readable; the rotation moves them to FILES_KEY', async () => {
    const dataDir = tmpDataDir();
    const a = randomBytes(32);
    const b = randomBytes(32);
    const oldConfig = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, FILES_KEY: a.toString('base64') });
    await createFileStore(oldConfig.filesDir, loadFileKeyring(oldConfig)).put('print-jobs/BP-2/attempt-1.json', '{"nik":"1"}');
    expect(() => parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, FILES_KEY: 'too-short' })).toThrow(/FILES_KEY/);
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, FILES_KEY: b.toString('hex'), FILES_KEY_PREVIOUS: a.toString('base64') });
    const store = createFileStore(config.filesDir, loadFileKeyring(config));
    expect((await store.read('print-jobs/BP-2/attempt-1.json')).toString()).toBe('{"nik":"1"}');
    const r = await rotateFileKey(config);
    expect(r).toMatchObject({ mode: 'FILES_KEY', currentKeyId: fileKeyId(b), reencrypted: 1, retiredKeyIds: expect.arrayContaining([fileKeyId(a)]) });
    expect((await createFileStore(config.filesDir, keyringOf(b)).read('print-jobs/BP-2/attempt-1.json')).toString()).toBe('{"nik":"1"}');
  });
});

describe('print jobs', () => {
  let h: Harness;
  let acts: Activities;
  beforeAll(async () => {
    h = await createHarness();
    await seedAllStaff(h.db);
    acts = createActivities({ db: h.db, files: h.files, adapters: h.adapters, config: h.config, logger: silentLogger });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the print-job file is encrypted while it exists and deleted once the print is confirmed (or failed)', async () => {
    const ok = await seedCase(h.db);
    const failed = await seedCase(h.db);
    await addBlanks(h.db, 'KTP_EL', 2);
    const at = Date.now();
    for (const c of [ok, failed]) await acts.printCard({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', attempt: 1, at });
    const jobOf = (regNo: string) => path.join(h.config.filesDir, 'print-jobs', regNo, 'attempt-1.json');
    expect(fs.existsSync(jobOf(ok.registrationNumber))).toBe(true);
    expect(fs.readFileSync(jobOf(ok.registrationNumber)).subarray(0, 4).toString()).toBe('BPFE');
    const nik = (await h.db.selectFrom('cases').select('subject_nik').where('registration_number', '=', ok.registrationNumber).executeTakeFirstOrThrow()).subject_nik;
    expect(JSON.parse((await h.files.read(`print-jobs/${ok.registrationNumber}/attempt-1.json`)).toString()).card.nik).toBe(nik);
    await acts.confirmPrint({ registrationNumber: ok.registrationNumber, attempt: 1, at });
    await acts.confirmPrint({ registrationNumber: ok.registrationNumber, attempt: 1, at });
    expect(fs.existsSync(jobOf(ok.registrationNumber))).toBe(false);
    const inputId = await saveInput(h.db, failed.registrationNumber, 'confirm-print', { result: 'failed', reason: 'Tinta habis' });
    await acts.recordPrintFailure({ registrationNumber: failed.registrationNumber, documentType: 'KTP_EL', attempt: 1, inputId, actorUsername: 'op1', at });
    expect(fs.existsSync(jobOf(failed.registrationNumber))).toBe(false);
    // A retried printCard of the confirmed attempt does not print (or write the job) again.
    expect(await acts.printCard({ registrationNumber: ok.registrationNumber, documentType: 'KTP_EL', attempt: 1, at })).toMatchObject({ status: 'PRINTED' });
    expect(fs.existsSync(jobOf(ok.registrationNumber))).toBe(false);
  });
});
