/**
 * Issue #14 item 4 over the running service: the courier's route groups step-7 deliveries by
 * kecamatan and desa with only the recipient fields SPEC §9 gives the courier (never NIK, KK or
 * birth date), call/WhatsApp/Maps links, who picked the card up; a failed attempt moves a case to
 * a later day; the handover's drawn signature and photo are stored encrypted, served only to roles
 * allowed to see them, logged, and printed on the receipt PDF.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, validSubmission } from './harness.js';
import { ROLES, type Role } from '../../domain/sop.js';

let stack: TestStack;
const tokens = {} as Record<Role, string>;
const PASSWORD = (role: Role) => `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026`;

beforeAll(async () => {
  stack = await startTestStack();
  tokens.admin = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } })).body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const created = await call(stack.baseUrl, 'POST', '/api/staff', { token: tokens.admin, body: { username: `${role}-rute`, name: `Petugas ${role}`, role, password: PASSWORD(role) } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[role] = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-rute`, password: PASSWORD(role) } })).body.token;
  }
  expect((await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.operator, body: { documentType: 'KTP_EL', quantity: 5, note: 'Stok uji' } })).status).toBe(200);
});
afterAll(async () => {
  await stack?.shutdown();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const detail = async (regNo: string, role: Role = 'kadis') => (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens[role] })).body;
const atStep = (regNo: string, step: string, waitingFor?: string) =>
  waitFor(`${regNo} at ${step}`, async () => {
    const d = await detail(regNo);
    return d.currentStep === step && (waitingFor === undefined || d.waitingFor === waitingFor) ? d : null;
  });
const act = (regNo: string, action: string, role: Role, body: unknown) => call(stack.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: tokens[role], body });
const route = (role: Role = 'ekspedisi') => call(stack.baseUrl, 'GET', '/api/courier/route', { token: tokens[role] });
const fetchAs = (url: string, role: Role) => fetch(`${stack.baseUrl}${url}`, { headers: { authorization: `Bearer ${tokens[role]}` } });

/** A case taken to step 7 (waiting for the courier). */
async function toHandover(delivery: Partial<ReturnType<typeof validSubmission>['delivery']>, phone: string): Promise<{ regNo: string; nik: string }> {
  const body = validSubmission();
  Object.assign(body.delivery, delivery);
  if (delivery.note === undefined) delete (body.delivery as { note?: string }).note;
  body.contact = { name: 'Sri Rahayu', phone };
  const submitted = await call(stack.baseUrl, 'POST', '/api/applications', { body });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const regNo: string = submitted.body.registrationNumber;
  await atStep(regNo, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
  expect((await act(regNo, 'verify-documents', 'operator', { decision: 'approve' })).status).toBe(200);
  expect((await act(regNo, 'verify-print', 'subkoordinator', { decision: 'approve' })).status).toBe(200);
  expect((await act(regNo, 'approve', 'kabid', { decision: 'approve' })).status).toBe(200);
  await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
  expect((await act(regNo, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);
  await atStep(regNo, 'HANDOVER', 'COURIER');
  return { regNo, nik: body.subject.nik };
}

type Stop = { registrationNumber: string; recipient: Record<string, unknown> | null; links: Record<string, string | null>; pickedUp: { byMe: boolean; name: string | null } | null };
const stopsOf = (r: { groups: Array<{ district: string; villages: Array<{ village: string | null; items: Stop[] }> }> }) =>
  r.groups.flatMap((g) => g.villages.flatMap((v) => v.items.map((s) => ({ ...s, district: g.district, village: v.village }))));

// A real 12x9 JPEG (rendered once with pdftoppm) and a real 1x1 RGBA PNG.
const PHOTO_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAFAAUAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJAAwDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCxo39ifZG/tP8A1287fv8A3cD+7x1zWz4O/wCQVL/13P8A6Ctb9FQoWM4wsz//2Q==',
  'base64',
);
const SIGNATURE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('the courier route', () => {
  let purwodadi: { regNo: string; nik: string };
  let toroh: { regNo: string; nik: string };

  beforeAll(async () => {
    purwodadi = await toHandover({ district: 'Purwodadi', village: 'Kuripan', address: 'Jl. Gajah Mada No. 10', note: 'Rumah cat hijau' }, '081234567890');
    toroh = await toHandover({ district: 'Toroh', village: 'Depok', address: 'Dusun Krajan', note: undefined }, '0857 1111 2222');
  }, 420_000);

  it('groups step-7 cases by kecamatan and desa, with recipient, note and tel/wa.me/Maps links, and no NIK, KK or birth date', async () => {
    const r = await route();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const districts = r.body.groups.map((g: { district: string }) => g.district);
    expect(districts).toEqual([...districts].sort());
    const stops = stopsOf(r.body);
    const a = stops.find((s) => s.registrationNumber === purwodadi.regNo)!;
    expect(a).toMatchObject({ district: 'Purwodadi', village: 'Kuripan', pickedUp: null });
    expect(a.recipient).toEqual({ name: 'Sri Rahayu', phone: '+6281234567890', address: 'Jl. Gajah Mada No. 10', rt: '002', rw: '005', village: 'Kuripan', note: 'Rumah cat hijau' });
    expect(a.links.tel).toBe('tel:+6281234567890');
    expect(a.links.whatsapp).toBe('https://wa.me/6281234567890');
    expect(a.links.maps).toBe(
      `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent('Jl. Gajah Mada No. 10, RT 002 RW 005, Desa Kuripan, Kec. Purwodadi, Kabupaten Grobogan, Jawa Tengah')}`,
    );
    const b = stops.find((s) => s.registrationNumber === toroh.regNo)!;
    expect(b).toMatchObject({ district: 'Toroh', village: 'Depok' });
    expect(b.links.tel).toBe('tel:+6285711112222');
    const text = JSON.stringify(r.body);
    for (const never of [purwodadi.nik, toroh.nik, '3315010101200003', '1990-05-15', 'Budi Santoso']) expect(text).not.toContain(never);
  });

  it('logs each case shown with personal data as a read by the courier', async () => {
    const before = await stack.db.selectFrom('access_log').select(['registration_number', 'detail']).where('username', '=', 'ekspedisi-rute').where('detail', '=', 'rute pengantaran').execute();
    await route();
    const after = await stack.db.selectFrom('access_log').select(['registration_number', 'detail']).where('username', '=', 'ekspedisi-rute').where('detail', '=', 'rute pengantaran').execute();
    const added = after.length - before.length;
    expect(added).toBeGreaterThanOrEqual(2);
    expect(after.map((x) => x.registration_number)).toEqual(expect.arrayContaining([purwodadi.regNo, toroh.regNo]));
  });

  it('is refused to roles without a delivery job (subkoordinator, admin)', async () => {
    expect((await route('subkoordinator')).status).toBe(403);
    expect((await route('admin')).status).toBe(403);
  });

  it('shows who picked a card up; a failed attempt moves the case to a later office day', async () => {
    expect((await act(purwodadi.regNo, 'pickup', 'ekspedisi', { courierName: 'Petugas ekspedisi' })).status).toBe(200);
    expect((await act(toroh.regNo, 'pickup', 'ekspedisi', { courierName: 'Petugas ekspedisi' })).status).toBe(200);
    const picked = await waitFor('pickup on the route', async () => {
      const s = stopsOf((await route()).body).find((x) => x.registrationNumber === purwodadi.regNo);
      return s?.pickedUp ? s : null;
    });
    expect(picked.pickedUp).toMatchObject({ byMe: true, name: 'Petugas ekspedisi' });

    expect((await act(toroh.regNo, 'delivery-failed', 'ekspedisi', { reason: 'NOT_HOME', note: 'Rumah kosong' })).status).toBe(200);
    const r = await waitFor('retry on a later day', async () => {
      const body = (await route()).body;
      return body.later.some((x: Stop) => x.registrationNumber === toroh.regNo) ? body : null;
    });
    expect(stopsOf(r).some((s) => s.registrationNumber === toroh.regNo)).toBe(false);
    const later = r.later.find((x: Stop & { availableFrom: string }) => x.registrationNumber === toroh.regNo);
    expect(later.pickedUp).toBeNull();
    expect(Date.parse(later.availableFrom)).toBeGreaterThan(Date.now());
    expect(r.doneToday).toEqual(expect.arrayContaining([expect.objectContaining({ registrationNumber: toroh.regNo, type: 'DELIVERY_FAILED' })]));
  });

  it('stores the drawn signature and the photo encrypted, serves them to the courier and kadis only, logs it, and prints both on the receipt', async () => {
    const photo = PHOTO_JPEG;
    const res = await act(purwodadi.regNo, 'handover', 'ekspedisi', {
      receivedBy: 'Sri Rahayu',
      relationship: 'SELF',
      photoBase64: photo.toString('base64'),
      signaturePng: `data:image/png;base64,${SIGNATURE_PNG.toString('base64')}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const done = await waitFor('receipt', async () => {
      const d = await detail(purwodadi.regNo, 'ekspedisi');
      return d.receipt && d.documents.some((x: { kind: string }) => x.kind === 'receipt') ? d : null;
    });
    expect(done.receipt.signatureUrl).toBe(`/api/applications/${purwodadi.regNo}/receipt/signature`);
    expect(done.receipt.photoUrl).toBe(`/api/applications/${purwodadi.regNo}/receipt/photo`);

    // Encrypted at rest under receipts/ (no plain copy of the PNG or the photo).
    const dir = path.join(stack.config.filesDir, 'receipts', purwodadi.regNo);
    const files = fs.readdirSync(dir);
    expect(files.some((f) => f.startsWith('signature-') && f.endsWith('.png'))).toBe(true);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dir, f));
      expect(bytes.subarray(0, 4).toString()).toBe('BPFE');
      expect(bytes.includes(photo.subarray(20, 60))).toBe(false);
      expect(bytes.includes(SIGNATURE_PNG.subarray(16, 40))).toBe(false);
    }

    const sig = await fetchAs(done.receipt.signatureUrl, 'ekspedisi');
    expect(sig.status).toBe(200);
    expect(sig.headers.get('content-type')).toMatch(/^image\/png/);
    expect(Buffer.from(await sig.arrayBuffer())).toEqual(SIGNATURE_PNG);
    const ph = await fetchAs(done.receipt.photoUrl, 'kadis');
    expect(Buffer.from(await ph.arrayBuffer())).toEqual(photo);
    // Subkoordinator and admin: no evidence, and the case detail does not link it.
    expect((await fetchAs(done.receipt.signatureUrl, 'subkoordinator')).status).toBe(403);
    expect((await fetchAs(done.receipt.photoUrl, 'admin')).status).toBe(403);
    expect((await detail(purwodadi.regNo, 'subkoordinator')).receipt.signatureUrl).toBeUndefined();

    const logged = await stack.db.selectFrom('access_log').select(['username', 'detail']).where('registration_number', '=', purwodadi.regNo).where('kind', '=', 'document').execute();
    expect(logged).toEqual(expect.arrayContaining([{ username: 'ekspedisi-rute', detail: 'tanda tangan penerima' }, { username: 'kadis-rute', detail: 'foto serah terima' }]));

    // The receipt PDF carries the QR code, the photo and the signature as images.
    const pdf = Buffer.from(await (await fetchAs(`/api/applications/${purwodadi.regNo}/documents/receipt`, 'ekspedisi')).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const tmp = path.join(stack.config.dataDir, 'receipt-test.pdf');
    fs.writeFileSync(tmp, pdf);
    const images = execFileSync('pdfimages', ['-list', tmp], { encoding: 'utf8' }).trim().split('\n').slice(2);
    fs.rmSync(tmp);
    // The emblem is vector: the images are the QR code, the photo (12x9 JPEG) and the signature (1x1 PNG, with its alpha mask).
    const sizes = images.filter((l) => /\bimage\b/.test(l)).map((l) => l.trim().split(/\s+/).slice(3, 5).join('x'));
    expect(sizes).toEqual(expect.arrayContaining(['12x9', '1x1']));
  });
});
