/**
 * The patterns the OpenAPI document gives for rules the code checks after the zod parse
 * (api/schemas.ts) agree with the code: whatever the code accepts matches the pattern, and what
 * matches the pattern is accepted except for what a pattern cannot say (a day that does not exist
 * in its month; a KK number of 16 equal digits; whitespace other than spaces in a phone number).
 * Inputs come from a seeded generator, so a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_BASE64_PATTERN,
  ISO_DATE_PATTERN,
  KK_NUMBER_PATTERN,
  MOBILE_PATTERN,
  NIK_PATTERN,
  OPTIONAL_MOBILE_PATTERN,
  SUBMISSION_EXAMPLE,
  nulCharacterErrors,
  validateAttachments,
  validateSubmission,
} from '../../api/schemas.js';
import { kkNumberProblem, normalizeIndonesianMobile, parseIsoDate, parseNik } from '../../domain/citizen.js';
import { seededRandom } from '../helpers/prng.js';

const prng = seededRandom;
const pick = (rnd: () => number, chars: string, length: number) => Array.from({ length }, () => chars[Math.floor(rnd() * chars.length)]).join('');
const digits = (rnd: () => number, n: number) => pick(rnd, '0123456789', n);
/** Two digits, mostly near the interesting boundaries (00, 01, 12, 28–32, 40–41, 71–72, 99). */
const pair = (rnd: () => number) => (rnd() < 0.5 ? ['00', '01', '10', '11', '12', '13', '28', '29', '30', '31', '32', '40', '41', '71', '72', '99'][Math.floor(rnd() * 16)]! : digits(rnd, 2));

describe('NIK_PATTERN', () => {
  const re = new RegExp(NIK_PATTERN);
  it('matches every NIK parseNik accepts, and what it matches fails only on a day missing from its month', () => {
    const rnd = prng(1);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const serial = rnd() < 0.2 ? '0000' : digits(rnd, 4);
      const nik = `${pair(rnd)}${pair(rnd)}${pair(rnd)}${pair(rnd)}${pair(rnd)}${pair(rnd)}${serial}`;
      const parsed = parseNik(nik, 2026);
      if (parsed.ok) accepted++;
      if (parsed.ok) expect(re.test(nik), nik).toBe(true);
      else if (re.test(nik)) expect(parsed.message, nik).toBe('NIK tidak valid: bagian tanggal lahir bukan tanggal yang sebenarnya');
    }
    expect(accepted).toBeGreaterThan(500);
    expect(re.test('9901011708840001')).toBe(true); // the document's example
    expect(parseNik('9901011708840001', 2026)).toMatchObject({ ok: true, value: { birthDate: '1984-08-17' } });
  });
});

describe('KK_NUMBER_PATTERN', () => {
  const re = new RegExp(KK_NUMBER_PATTERN);
  it('matches every KK number the code accepts; what it matches is refused only for 16 equal digits', () => {
    const rnd = prng(2);
    for (let i = 0; i < 10_000; i++) {
      const kk = `${pair(rnd)}${pair(rnd)}${pair(rnd)}${digits(rnd, 10)}`;
      const problem = kkNumberProblem(kk);
      if (problem === null) expect(re.test(kk), kk).toBe(true);
      else if (re.test(kk)) expect(kk, problem).toMatch(/^(\d)\1{15}$/);
    }
    expect(re.test('1111111111111111') && kkNumberProblem('1111111111111111') !== null).toBe(true);
  });
});

describe('ISO_DATE_PATTERN', () => {
  const re = new RegExp(ISO_DATE_PATTERN);
  it('matches every date parseIsoDate accepts; what it matches fails only on a day missing from its month', () => {
    const rnd = prng(3);
    for (let i = 0; i < 10_000; i++) {
      const year = rnd() < 0.3 ? ['0000', '1799', '1800', '1999', '2000', '9999'][Math.floor(rnd() * 6)]! : digits(rnd, 4);
      const date = `${year}-${pair(rnd)}-${pair(rnd)}`;
      if (parseIsoDate(date)) expect(re.test(date), date).toBe(true);
      else if (re.test(date)) {
        expect(Number(date.slice(8)), date).toBeGreaterThanOrEqual(29);
      }
    }
  });
});

describe('MOBILE_PATTERN and OPTIONAL_MOBILE_PATTERN', () => {
  const re = new RegExp(MOBILE_PATTERN);
  const optional = new RegExp(OPTIONAL_MOBILE_PATTERN);
  it('agree with normalizeIndonesianMobile on numbers written with digits, +, spaces, dots, dashes and parentheses', () => {
    const rnd = prng(4);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const prefix = ['0', '62', '+62', '+6', '6', '8', '+', '00', '062', ''][Math.floor(rnd() * 10)]!;
      const body = `${rnd() < 0.8 ? '8' : digits(rnd, 1)}${digits(rnd, Math.floor(rnd() * 14))}`;
      // Separators sprinkled anywhere.
      let phone = '';
      for (const ch of `${prefix}${body}`) phone += (rnd() < 0.15 ? pick(rnd, ' ().-', 1) : '') + ch;
      if (rnd() < 0.1) phone += ' ';
      const normalized = normalizeIndonesianMobile(phone);
      if (normalized) accepted++;
      expect(re.test(phone), phone).toBe(normalized !== null);
      expect(optional.test(phone), phone).toBe(normalized !== null);
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(optional.test('')).toBe(true);
    expect(re.test('')).toBe(false);
    expect(re.test('0812-3456-7890') && re.test('+62 812 3456 7890') && re.test('(0812) 3456.7890')).toBe(true);
  });
});

describe('ATTACHMENT_BASE64_PATTERN', () => {
  const re = new RegExp(ATTACHMENT_BASE64_PATTERN);
  const accepted = (b64: string) => validateAttachments([{ kind: 'KK', fileName: 'f', contentType: '', contentBase64: b64 }]).errors.length === 0;
  const signatures = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x25, 0x50, 0x44, 0x46, 0x2d], [0x89, 0x50, 0x4e], [0x25, 0x50], []];

  it('matches the canonical base64 of every JPEG, PNG and PDF start the API accepts, with or without a data: prefix', () => {
    const rnd = prng(5);
    let matched = 0;
    for (let i = 0; i < 5_000; i++) {
      const sig = signatures[Math.floor(rnd() * signatures.length)]!;
      const bytes = Buffer.from([...sig, ...Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 256))]);
      const b64 = `${rnd() < 0.3 ? 'data:application/pdf;base64,' : ''}${bytes.toString('base64')}`;
      if (bytes.length === 0) continue;
      if (re.test(b64)) matched++;
      expect(re.test(b64), b64).toBe(accepted(b64));
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it('matches no string the API refuses (random text over the base64 alphabet)', () => {
    const rnd = prng(6);
    for (let i = 0; i < 20_000; i++) {
      const start = ['/9j/', 'iVBORw0KGg', 'JVBERi', 'JVBE', ''][Math.floor(rnd() * 5)]!;
      const s = start + pick(rnd, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=', Math.floor(rnd() * 14));
      if (re.test(s)) expect(accepted(s), s).toBe(true);
    }
  });
});

describe('nulCharacterErrors', () => {
  it('names every string field holding U+0000, at any depth, and nothing else', () => {
    expect(nulCharacterErrors({ a: 'ok', b: { c: ['x', 'y\u0000'] }, d: 1, e: null, f: 'z\u0000' })).toEqual([
      { path: 'b.c.1', message: 'Isian tidak boleh berisi karakter NUL (\\u0000)' },
      { path: 'f', message: 'Isian tidak boleh berisi karakter NUL (\\u0000)' },
    ]);
    expect(nulCharacterErrors({ a: 'tanpa NUL', b: [1, true, null] })).toEqual([]);
    // Deep input does not overflow the stack.
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulCharacterErrors(deep)).toHaveLength(1);
  });
});

describe('SUBMISSION_EXAMPLE', () => {
  it('is a submission the API accepts, and matches every documented pattern', () => {
    const v = validateSubmission(structuredClone(SUBMISSION_EXAMPLE), '2026-11-24');
    expect(v).toMatchObject({ ok: true, value: { phoneE164: '+6281200000000', district: 'Purwodadi', age: 42 } });
    const { subject, contact, attachments } = SUBMISSION_EXAMPLE;
    expect(new RegExp(NIK_PATTERN).test(subject.nik) && new RegExp(KK_NUMBER_PATTERN).test(subject.kkNumber)).toBe(true);
    expect(new RegExp(ISO_DATE_PATTERN).test(subject.birthDate) && new RegExp(MOBILE_PATTERN).test(contact.phone)).toBe(true);
    expect(new RegExp(ATTACHMENT_BASE64_PATTERN).test(attachments[0].contentBase64)).toBe(true);
  });
});
