import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ACTION_BODY_SCHEMAS,
  cancelBodySchema,
  confirmPrintBodySchema,
  decisionBodySchema,
  handoverBodySchema,
  oldCardRequired,
  parseIndonesian,
  pickupBodySchema,
} from '../../domain/actions.js';
import { ACTION_NAMES } from '../../domain/sop.js';

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]).toString('base64');
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]).toString('base64');
const pdf = Buffer.from('%PDF-1.4 not a photo').toString('base64');

const errorsOf = (schema: z.ZodType, body: unknown) => {
  const r = parseIndonesian(schema, body);
  return r.ok ? [] : r.errors;
};

describe('decision body (verify-documents, verify-print, approve)', () => {
  it('accepts approve without a reason and reject with 10–500 characters', () => {
    expect(errorsOf(decisionBodySchema, { decision: 'approve' })).toEqual([]);
    expect(errorsOf(decisionBodySchema, { decision: 'reject', reason: 'KK tidak terbaca jelas' })).toEqual([]);
    expect(errorsOf(decisionBodySchema, { decision: 'reject', reason: 'x'.repeat(500) })).toEqual([]);
  });
  it('requires a reason for reject, in Indonesian, at path reason', () => {
    expect(errorsOf(decisionBodySchema, { decision: 'reject' })).toEqual([{ path: 'reason', message: expect.stringContaining('wajib') }]);
    expect(errorsOf(decisionBodySchema, { decision: 'reject', reason: 'pendek' })).toEqual([{ path: 'reason', message: 'Alasan minimal 10 karakter' }]);
    expect(errorsOf(decisionBodySchema, { decision: 'reject', reason: 'x'.repeat(501) })).toEqual([{ path: 'reason', message: 'Alasan maksimal 500 karakter' }]);
  });
  it('counts the reason after trimming spaces', () => {
    expect(errorsOf(decisionBodySchema, { decision: 'reject', reason: '   pendek     ' })).toHaveLength(1);
  });
  it('refuses an unknown decision and unknown fields', () => {
    expect(errorsOf(decisionBodySchema, { decision: 'maybe' })[0]).toMatchObject({ path: 'decision' });
    expect(errorsOf(decisionBodySchema, { decision: 'approve', extra: 1 })[0]?.message).toContain('extra');
  });
});

describe('confirm-print body', () => {
  it('accepts ok, and failed with a reason', () => {
    expect(errorsOf(confirmPrintBodySchema, { result: 'ok' })).toEqual([]);
    expect(errorsOf(confirmPrintBodySchema, { result: 'failed', reason: 'Blangko tergores printer' })).toEqual([]);
  });
  it('requires a reason when failed', () => {
    expect(errorsOf(confirmPrintBodySchema, { result: 'failed' })).toEqual([{ path: 'reason', message: expect.stringContaining('wajib') }]);
  });
});

describe('pickup body', () => {
  it('requires the courier name', () => {
    expect(errorsOf(pickupBodySchema, { courierName: 'Slamet' })).toEqual([]);
    expect(errorsOf(pickupBodySchema, {})[0]).toMatchObject({ path: 'courierName' });
  });
});

describe('handover body', () => {
  const base = { receivedBy: 'Siti Aminah', relationship: 'FAMILY' };
  it('accepts the fields and a JPEG or PNG photo (also as a data URL)', () => {
    expect(errorsOf(handoverBodySchema, base)).toEqual([]);
    expect(errorsOf(handoverBodySchema, { ...base, oldCardCollected: true, note: 'Diterima di rumah', photoBase64: jpeg })).toEqual([]);
    expect(errorsOf(handoverBodySchema, { ...base, photoBase64: `data:image/png;base64,${png}` })).toEqual([]);
  });
  it('refuses a PDF as photo, non-base64 text and a photo over 2 MiB', () => {
    expect(errorsOf(handoverBodySchema, { ...base, photoBase64: pdf })).toEqual([{ path: 'photoBase64', message: 'Foto harus berformat JPEG atau PNG' }]);
    expect(errorsOf(handoverBodySchema, { ...base, photoBase64: 'not base64!' })[0]).toMatchObject({ path: 'photoBase64' });
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]).toString('base64');
    expect(errorsOf(handoverBodySchema, { ...base, photoBase64: big })).toEqual([{ path: 'photoBase64', message: 'Foto paling besar 2 MB' }]);
  });
  it('accepts a PNG signature (also as a data URL) and refuses a JPEG, non-base64 text and one over 256 KB', () => {
    expect(errorsOf(handoverBodySchema, { ...base, signaturePng: png })).toEqual([]);
    expect(errorsOf(handoverBodySchema, { ...base, signaturePng: `data:image/png;base64,${png}` })).toEqual([]);
    expect(errorsOf(handoverBodySchema, { ...base, signaturePng: jpeg })).toEqual([{ path: 'signaturePng', message: 'Tanda tangan harus berupa gambar PNG' }]);
    expect(errorsOf(handoverBodySchema, { ...base, signaturePng: 'not base64!' })[0]).toMatchObject({ path: 'signaturePng' });
    const big = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300 * 1024)]).toString('base64');
    expect(errorsOf(handoverBodySchema, { ...base, signaturePng: big })).toEqual([{ path: 'signaturePng', message: 'Gambar tanda tangan terlalu besar (paling besar 256 KB)' }]);
  });
  it('refuses an unknown relationship and a missing recipient', () => {
    expect(errorsOf(handoverBodySchema, { ...base, relationship: 'NEIGHBOUR' })[0]).toMatchObject({ path: 'relationship' });
    expect(errorsOf(handoverBodySchema, { relationship: 'SELF' })[0]).toMatchObject({ path: 'receivedBy' });
  });
  it('requires the old-card answer for DAMAGED and DATA_CHANGE only', () => {
    expect(oldCardRequired('DAMAGED')).toBe(true);
    expect(oldCardRequired('DATA_CHANGE')).toBe(true);
    expect(oldCardRequired('NEW')).toBe(false);
    expect(oldCardRequired('LOST')).toBe(false);
  });
});

describe('cancel body', () => {
  it('requires a reason of 10–500 characters', () => {
    expect(errorsOf(cancelBodySchema, { reason: 'Pemohon meninggal dunia' })).toEqual([]);
    expect(errorsOf(cancelBodySchema, {})[0]).toMatchObject({ path: 'reason' });
  });
});

describe('every action has a body schema with Indonesian labels usable as a JSON Schema form', () => {
  it.each(ACTION_NAMES)('%s', (action) => {
    const json = z.toJSONSchema(ACTION_BODY_SCHEMAS[action], { io: 'input', unrepresentable: 'any' }) as { type: string; properties: Record<string, { title?: string }> };
    expect(json.type).toBe('object');
    for (const [name, prop] of Object.entries(json.properties)) expect(prop.title, `${action}.${name}`).toMatch(/\S/);
  });
});

describe('fallback messages', () => {
  it('are Indonesian for type errors zod words itself', () => {
    const errs = errorsOf(pickupBodySchema, 'not an object');
    expect(errs[0]?.message).not.toMatch(/expected|invalid input/i);
  });
});
