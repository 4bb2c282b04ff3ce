/**
 * The API alone on a random port, over a fresh database, with a Temporal client of the caller's
 * choice (a dev server without worker, or none). For routes that need no running workflow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign as edSign, verify as edVerify } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth.js';
import { parseConfig, type Config } from '../../infra/config.js';
import { createFileStore, type FileStore } from '../../infra/files.js';
import { silentLogger, type Logger } from '../../infra/logger.js';
import { createTestDatabase } from '../helpers/db.js';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Role } from '../../domain/sop.js';
import { ROLES } from '../../domain/sop.js';

export interface ApiHarness {
  baseUrl: string;
  dbh: DatabaseHandle;
  config: Readonly<Config>;
  files: FileStore;
  signer: { keyId: string; sign(p: string): string; verify(p: string, s: string): boolean };
  /** Bearer tokens per role (users `<role>1`, password `password-<role>`). */
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

export function testSigner() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId: 'test-key',
    sign: (payload: string) => edSign(null, Buffer.from(payload), privateKey).toString('base64'),
    verify: (payload: string, sig: string) => edVerify(null, Buffer.from(payload), publicKey, Buffer.from(sig, 'base64')),
  };
}

export async function startApiHarness(opts: {
  temporal: Client;
  env?: Record<string, string>;
  pingTemporal?: () => Promise<void>;
  logger?: Logger;
  /** Log every role in (default true); off when the login route's rate limit is under test. */
  login?: boolean;
  /** The Temporal Web UI's address (links on case pages). */
  temporalUiUrl?: string;
}): Promise<ApiHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-api-'));
  const dbh = await createTestDatabase();
  const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000', ...opts.env });
  const files = createFileStore(config.filesDir);
  const signer = testSigner();
  const app = createApp({
    config,
    db: dbh.db,
    pingDatabase: () => dbh.ping(),
    temporal: opts.temporal,
    pingTemporal: opts.pingTemporal ?? (async () => undefined),
    files,
    signer,
    logger: opts.logger ?? silentLogger,
    temporalUiUrl: opts.temporalUiUrl,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // One user per role, created directly (the admin route is tested on its own).
  const hash = await Promise.all(ROLES.map((r) => hashPassword(`password-${r}`)));
  await dbh.db
    .insertInto('staff')
    .values(ROLES.map((r, i) => ({ username: `${r}1`, name: `Petugas ${r}`, role: r, password_hash: hash[i]!, phone: null })))
    .execute();
  const tokens = {} as Record<Role, string>;
  if (opts.login !== false) for (const r of ROLES) tokens[r] = await login(baseUrl, `${r}1`, `password-${r}`);
  return {
    baseUrl,
    dbh,
    config,
    files,
    signer,
    tokens,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dbh.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface JsonAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  p: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${baseUrl}${p}`, { method, headers, body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

// ---------------------------------------------------------------- sample submissions

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF test image')]).toString('base64');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png test')]).toString('base64');
export const PDF = Buffer.from('%PDF-1.4\n% test document\n').toString('base64');

// Unique within a test file: a random start, then consecutive serials.
let serial = 1 + Math.floor(Math.random() * 5000);
/** A NIK of a man born on the given date (16 digits, Grobogan region unless given), unique per call. */
export function nikFor(birthDate: string, opts: { female?: boolean; region?: string } = {}): string {
  const [y, m, d] = birthDate.split('-');
  const day = Number(d) + (opts.female ? 40 : 0);
  const s = String(serial++ % 9999 || 9999).padStart(4, '0');
  return `${opts.region ?? '331501'}${String(day).padStart(2, '0')}${m}${y!.slice(2)}${s}`;
}

export function validSubmission(overrides: { birthDate?: string; documentType?: 'KTP_EL' | 'KIA'; reason?: string; nik?: string; female?: boolean } = {}) {
  const birthDate = overrides.birthDate ?? '1990-05-15';
  const nik = overrides.nik ?? nikFor(birthDate, { female: overrides.female });
  const documentType = overrides.documentType ?? 'KTP_EL';
  const reason = overrides.reason ?? 'NEW';
  const attachments: Array<{ kind: string; fileName: string; contentType: string; contentBase64: string }> = [
    { kind: 'KK', fileName: 'kk.pdf', contentType: 'application/pdf', contentBase64: PDF },
  ];
  if (reason === 'DAMAGED') attachments.push({ kind: 'OLD_CARD', fileName: 'ktp-lama.jpg', contentType: 'image/jpeg', contentBase64: JPEG });
  if (reason === 'LOST') attachments.push({ kind: 'POLICE_REPORT', fileName: 'polisi.pdf', contentType: 'application/pdf', contentBase64: PDF });
  if (reason === 'DATA_CHANGE') attachments.push({ kind: 'SUPPORTING_DOCUMENT', fileName: 'dukung.pdf', contentType: 'application/pdf', contentBase64: PDF });
  if (documentType === 'KIA') attachments.push({ kind: 'BIRTH_CERTIFICATE', fileName: 'akta.pdf', contentType: 'application/pdf', contentBase64: PDF });
  return {
    documentType,
    reason,
    subject: { nik, name: 'Budi Santoso', birthDate, married: false, kkNumber: '3315010101200003' },
    contact: { name: 'Budi Santoso', phone: '081234567890' },
    delivery: { address: 'Jl. Gajah Mada No. 10', rt: '002', rw: '005', village: 'Kuripan', district: 'Purwodadi', note: 'Rumah cat hijau' },
    attachments,
    privacyConsent: true as const,
    ...(documentType === 'KIA' ? { guardianDeclaration: true } : {}),
  };
}
