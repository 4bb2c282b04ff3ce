import { describe, expect, it } from 'vitest';
import {
  ageInYears,
  base64DecodedSize,
  detectBase64ContentType,
  detectContentType,
  eligibilityProblem,
  formatRegistrationNumber,
  GROBOGAN_DISTRICTS,
  jakartaDateString,
  kkNumberProblem,
  maskPhone,
  nikMatchesBirthDate,
  normalizeDistrict,
  normalizeIndonesianMobile,
  parseNik,
  parseRegistrationNumber,
  requiredAttachmentKinds,
} from '../../domain/citizen.js';

describe('parseNik', () => {
  it('parses a man’s NIK: region, birth date and serial', () => {
    const r = parseNik('3315011505900001', 2026);
    expect(r).toEqual({ ok: true, value: { province: '33', regency: '15', district: '01', birthDate: '1990-05-15', sex: 'M', serial: '0001' } });
  });
  it('reads day + 40 as a woman’s birth day', () => {
    const r = parseNik('3315015505900002', 2026);
    expect(r.ok && r.value).toMatchObject({ birthDate: '1990-05-15', sex: 'F' });
  });
  it('accepts a NIK first issued outside Grobogan (3315)', () => {
    const r = parseNik('3374014203120001', 2026);
    expect(r.ok && r.value).toMatchObject({ province: '33', regency: '74', birthDate: '2012-03-02', sex: 'F' });
  });
  it('chooses the century so that the birth date is not in the future', () => {
    const birth = (nik: string) => {
      const r = parseNik(nik, 2026);
      return r.ok ? r.value.birthDate : r.message;
    };
    expect(birth('3315010101300001')).toBe('1930-01-01');
    expect(birth('3315010101200001')).toBe('2020-01-01');
  });
  it.each([
    ['331501150590000', 'tepat 16 angka'],
    ['33150115059000012', 'tepat 16 angka'],
    ['33150115059000a1', 'tepat 16 angka'],
    ['3315013102900001', 'tanggal'], // 31 February
    ['3315017102900001', 'tanggal'], // woman, 31 February
    ['3315013213900001', 'tanggal'], // month 13
    ['3315010005900001', 'tanggal'], // day 00
    ['3315011505900000', 'nomor urut'],
    ['0915011505900001', 'provinsi'],
    ['3300011505900001', 'kabupaten'],
    ['3315001505900001', 'kecamatan'],
  ])('refuses %s (%s)', (nik, fragment) => {
    const r = parseNik(nik, 2026);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });
  it('accepts 29 February only in a leap year', () => {
    expect(parseNik('3315012902000001', 2026).ok).toBe(true); // 2000 is a leap year
    expect(parseNik('3315012902010001', 2026).ok).toBe(false);
  });
});

describe('nikMatchesBirthDate', () => {
  it('matches the date part for men and women (day + 40)', () => {
    expect(nikMatchesBirthDate('3315011505900001', '1990-05-15')).toBe(true);
    expect(nikMatchesBirthDate('3315015505900002', '1990-05-15')).toBe(true);
  });
  it('refuses a different day, month or year', () => {
    expect(nikMatchesBirthDate('3315011505900001', '1990-05-16')).toBe(false);
    expect(nikMatchesBirthDate('3315011505900001', '1990-06-15')).toBe(false);
    expect(nikMatchesBirthDate('3315011505900001', '1991-05-15')).toBe(false);
  });
});

describe('kkNumberProblem', () => {
  it('accepts 16 digits with a sensible region part', () => {
    expect(kkNumberProblem('3315010101200003')).toBeNull();
  });
  it('refuses wrong length, letters, zero regions and repeated digits', () => {
    expect(kkNumberProblem('331501010120000')).toContain('16 angka');
    expect(kkNumberProblem('33150101012000x3')).toContain('16 angka');
    expect(kkNumberProblem('0015010101200003')).toContain('provinsi');
    expect(kkNumberProblem('3315000101200003')).toContain('kecamatan');
    expect(kkNumberProblem('1111111111111111')).not.toBeNull();
  });
});

describe('age and eligibility', () => {
  it('counts whole years, the birthday included', () => {
    expect(ageInYears('2009-11-23', '2026-11-23')).toBe(17);
    expect(ageInYears('2009-11-24', '2026-11-23')).toBe(16);
    expect(ageInYears('2024-02-29', '2026-02-28')).toBe(1);
  });
  it('allows KIA only under 17 and KTP-el from 17 or when married', () => {
    expect(eligibilityProblem('KIA', 16, false)).toBeNull();
    expect(eligibilityProblem('KIA', 17, false)).toContain('KIA');
    expect(eligibilityProblem('KTP_EL', 17, false)).toBeNull();
    expect(eligibilityProblem('KTP_EL', 16, false)).toContain('KTP-el');
    expect(eligibilityProblem('KTP_EL', 16, true)).toBeNull();
    expect(eligibilityProblem('KTP_EL', -1, false)).not.toBeNull();
  });
  it('uses the Asia/Jakarta date (UTC+7)', () => {
    expect(jakartaDateString(Date.parse('2026-11-23T16:59:59Z'))).toBe('2026-11-23');
    expect(jakartaDateString(Date.parse('2026-11-23T17:00:00Z'))).toBe('2026-11-24');
  });
});

describe('requiredAttachmentKinds', () => {
  it('always asks for the KK and adds per reason', () => {
    expect(requiredAttachmentKinds('KTP_EL', 'NEW', 30)).toEqual(['KK']);
    expect(requiredAttachmentKinds('KTP_EL', 'DAMAGED', 30)).toEqual(['KK', 'OLD_CARD']);
    expect(requiredAttachmentKinds('KTP_EL', 'LOST', 30)).toEqual(['KK', 'POLICE_REPORT']);
    expect(requiredAttachmentKinds('KTP_EL', 'DATA_CHANGE', 30)).toEqual(['KK', 'SUPPORTING_DOCUMENT']);
  });
  it('asks a KIA for the birth certificate, and a photo from age 5', () => {
    expect(requiredAttachmentKinds('KIA', 'NEW', 4)).toEqual(['KK', 'BIRTH_CERTIFICATE']);
    expect(requiredAttachmentKinds('KIA', 'NEW', 5)).toEqual(['KK', 'BIRTH_CERTIFICATE', 'PHOTO']);
    expect(requiredAttachmentKinds('KIA', 'LOST', 10)).toEqual(['KK', 'POLICE_REPORT', 'BIRTH_CERTIFICATE', 'PHOTO']);
  });
});

describe('attachment content', () => {
  it('detects JPEG, PNG and PDF by magic bytes and nothing else', () => {
    expect(detectContentType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
    expect(detectContentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(detectContentType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectContentType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(detectContentType(new TextEncoder().encode('<html>'))).toBeNull();
    expect(detectContentType(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });
  it('detects from base64 and computes the decoded size without decoding', () => {
    const pdf = Buffer.from('%PDF-1.4 hello').toString('base64');
    expect(detectBase64ContentType(pdf)).toBe('application/pdf');
    const bytes = Buffer.alloc(2 * 1024 * 1024 + 1);
    expect(base64DecodedSize(bytes.toString('base64'))).toBe(bytes.length);
    expect(base64DecodedSize(Buffer.alloc(5).toString('base64'))).toBe(5);
  });
});

describe('normalizeIndonesianMobile', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['0812-3456-789', '+628123456789'],
    ['+62 857 1234 5678', '+6285712345678'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeIndonesianMobile(input)).toBe(expected);
  });
  it.each(['0241234567', '+6221123456', '12345', '+6181234567890', '08123', '0812345678901234'])('refuses %s', (input) => {
    expect(normalizeIndonesianMobile(input)).toBeNull();
  });
  it('masks a number keeping its country code, operator prefix and last three digits', () => {
    expect(maskPhone('+6281234567890')).toBe('+62812****890');
  });
});

describe('districts', () => {
  it('knows exactly Grobogan’s 19 kecamatan', () => {
    expect(GROBOGAN_DISTRICTS).toHaveLength(19);
    expect(new Set(GROBOGAN_DISTRICTS).size).toBe(19);
  });
  it('normalizes case and spaces, refuses others', () => {
    expect(normalizeDistrict(' purwodadi ')).toBe('Purwodadi');
    expect(normalizeDistrict('Semarang')).toBeNull();
  });
});

describe('registration number', () => {
  it('formats and parses BP-YYYYMMDD-NNNNN', () => {
    expect(formatRegistrationNumber('2026-11-23', 7)).toBe('BP-20261123-00007');
    expect(parseRegistrationNumber('BP-20261123-00007')).toEqual({ date: '2026-11-23', seq: 7 });
  });
  it('refuses malformed numbers and impossible dates', () => {
    expect(parseRegistrationNumber('BP-20261123-7')).toBeNull();
    expect(parseRegistrationNumber('BP-20261323-00001')).toBeNull();
    expect(parseRegistrationNumber('BP-20261123-00000')).toBeNull();
    expect(() => formatRegistrationNumber('2026-11-23', 100_000)).toThrow();
  });
});
