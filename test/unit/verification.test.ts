import { describe, expect, it } from 'vitest';
import { decisionBodySchema, parseIndonesian } from '../../domain/actions.js';
import { REASON_MAX_LENGTH } from '../../domain/sop.js';
import {
  MAX_REJECTION_REASON_CODES,
  REJECTION_REASONS,
  checklistFor,
  composeRejectionText,
  rejectionReasonsFor,
} from '../../domain/verification.js';

describe('verification desk checklist', () => {
  it('lists KK, birth certificate and photo for a KIA at 8 years, and checks the NIK date and eligibility itself', () => {
    const items = checklistFor({ step: 'DOCUMENT_VERIFICATION', documentType: 'KIA', reason: 'NEW', age: 8, nik: '3315011003180007', birthDate: '2018-03-10', married: false });
    expect(items.map((i) => i.id)).toEqual(['attachment:KK', 'attachment:BIRTH_CERTIFICATE', 'attachment:PHOTO', 'rule:nik-birth-date', 'rule:eligibility']);
    expect(items.find((i) => i.id === 'rule:nik-birth-date')!.auto).toBe(true);
    expect(items.find((i) => i.id === 'rule:eligibility')!.auto).toBe(true);
  });

  it('leaves the photo out for a KIA under 5 and asks for the police report for a lost KTP-el', () => {
    expect(checklistFor({ step: 'DOCUMENT_VERIFICATION', documentType: 'KIA', reason: 'NEW', age: 3 }).map((i) => i.kind).filter(Boolean)).toEqual(['KK', 'BIRTH_CERTIFICATE']);
    expect(checklistFor({ step: 'DOCUMENT_VERIFICATION', documentType: 'KTP_EL', reason: 'LOST', age: 30 }).map((i) => i.kind).filter(Boolean)).toEqual(['KK', 'POLICE_REPORT']);
  });

  it('marks a NIK whose date part differs from the birth date as not matching', () => {
    const items = checklistFor({ step: 'DOCUMENT_VERIFICATION', documentType: 'KTP_EL', reason: 'NEW', age: 36, nik: '3315011205900001', birthDate: '1990-05-13' });
    expect(items.find((i) => i.id === 'rule:nik-birth-date')!.auto).toBe(false);
  });

  it('gives the sub-coordinator and the head of division their own checks, without attachment items', () => {
    expect(checklistFor({ step: 'PRINT_VERIFICATION', documentType: 'KIA', reason: 'NEW', age: 8 }).every((i) => i.id.startsWith('siak:'))).toBe(true);
    expect(checklistFor({ step: 'APPROVAL', documentType: 'KIA', reason: 'NEW', age: 8 }).every((i) => i.id.startsWith('approval:'))).toBe(true);
  });
});

describe('standard rejection reasons', () => {
  it('offers only reasons about attachments the case needs, at the step', () => {
    const kia = rejectionReasonsFor('DOCUMENT_VERIFICATION', 'KIA', 'NEW', 8).map((r) => r.code);
    expect(kia).toContain('BIRTH_CERT_UNREADABLE');
    expect(kia).toContain('PHOTO_UNSUITABLE');
    expect(kia).not.toContain('POLICE_REPORT_INVALID');
    expect(kia).not.toContain('SIAK_MISMATCH');
    expect(rejectionReasonsFor('DOCUMENT_VERIFICATION', 'KIA', 'NEW', 3).map((r) => r.code)).not.toContain('PHOTO_UNSUITABLE');
    expect(rejectionReasonsFor('PRINT_VERIFICATION', 'KTP_EL', 'NEW', 30).map((r) => r.code)).toContain('SIAK_MISMATCH');
  });

  it('composes the citizen text from the chosen reasons in list order, then the free text', () => {
    const a = REJECTION_REASONS.find((r) => r.code === 'KK_UNREADABLE')!;
    const b = REJECTION_REASONS.find((r) => r.code === 'PHOTO_UNSUITABLE')!;
    expect(composeRejectionText(['PHOTO_UNSUITABLE', 'KK_UNREADABLE'], '  Terima kasih. ')).toBe(`${a.text} ${b.text} Terima kasih.`);
    expect(composeRejectionText([], 'Hanya teks sendiri.')).toBe('Hanya teks sendiri.');
  });

  it('keeps any allowed combination of standard texts within the stored reason length', () => {
    const longest = [...REJECTION_REASONS].sort((x, y) => y.text.length - x.text.length).slice(0, MAX_REJECTION_REASON_CODES);
    expect(longest.map((r) => r.text).join(' ').length).toBeLessThanOrEqual(REASON_MAX_LENGTH);
    expect(new Set(REJECTION_REASONS.map((r) => r.code)).size).toBe(REJECTION_REASONS.length);
  });

  it('stores known codes with a rejection and refuses unknown codes or codes on an approval', () => {
    const ok = parseIndonesian(decisionBodySchema, { decision: 'reject', reason: 'Akta kelahiran tidak terbaca.', reasonCodes: ['BIRTH_CERT_UNREADABLE'] });
    expect(ok).toEqual({ ok: true, value: { decision: 'reject', reason: 'Akta kelahiran tidak terbaca.', reasonCodes: ['BIRTH_CERT_UNREADABLE'] } });
    const unknown = parseIndonesian(decisionBodySchema, { decision: 'reject', reason: 'Akta kelahiran tidak terbaca.', reasonCodes: ['NOPE'] });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.errors[0]!.path).toBe('reasonCodes.0');
    const approve = parseIndonesian(decisionBodySchema, { decision: 'approve', reasonCodes: ['KK_UNREADABLE'] });
    expect(!approve.ok && approve.errors.map((e) => e.path)).toEqual(['reasonCodes']);
  });
});
