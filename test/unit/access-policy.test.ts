/** SPEC §9's role × data table (domain/access-policy.ts), case by case. */
import { describe, expect, it } from 'vitest';
import { ACCESS_POLICY, PERSONAL_FIELDS, mayAccessCase, mayReadDocument, visibleFields, type CaseAccessFacts, type Viewer } from '../../domain/access-policy.js';
import { ROLES, type Role } from '../../domain/sop.js';

const NOW = Date.parse('2026-12-03T03:00:00Z');
const DAY = 24 * 3600_000;
const v = (role: Role, username = `${role}1`): Viewer => ({ role, username });
const open = (currentStep: CaseAccessFacts['currentStep'], extra: Partial<CaseAccessFacts> = {}): CaseAccessFacts => ({
  status: 'IN_PROGRESS',
  currentStep,
  escalationLevel: 0,
  closedAt: null,
  courierActs: [],
  ...extra,
});
const closed = (daysAgo: number, extra: Partial<CaseAccessFacts> = {}): CaseAccessFacts => ({
  status: 'COMPLETED',
  currentStep: 'DONE',
  escalationLevel: 0,
  closedAt: NOW - daysAgo * DAY,
  courierActs: [],
  ...extra,
});

describe('which cases each role may see the personal data of', () => {
  it('operator: every open case, closed ones up to 30 days after closing', () => {
    expect(mayAccessCase(v('operator'), open('PRINT_VERIFICATION'), NOW)).toBe(true);
    expect(mayAccessCase(v('operator'), { ...open('DOCUMENT_VERIFICATION'), status: 'AWAITING_RESUBMISSION' }, NOW)).toBe(true);
    expect(mayAccessCase(v('operator'), closed(29), NOW)).toBe(true);
    expect(mayAccessCase(v('operator'), closed(31), NOW)).toBe(false);
  });
  it('subkoordinator and kabid: their own step, or escalated to them, while in progress', () => {
    expect(mayAccessCase(v('subkoordinator'), open('PRINT_VERIFICATION'), NOW)).toBe(true);
    expect(mayAccessCase(v('subkoordinator'), open('DOCUMENT_VERIFICATION'), NOW)).toBe(false);
    expect(mayAccessCase(v('subkoordinator'), open('DOCUMENT_VERIFICATION', { escalationLevel: 1 }), NOW)).toBe(true);
    expect(mayAccessCase(v('kabid'), open('APPROVAL'), NOW)).toBe(true);
    expect(mayAccessCase(v('kabid'), open('DOCUMENT_VERIFICATION', { escalationLevel: 1 }), NOW)).toBe(false);
    expect(mayAccessCase(v('kabid'), open('DOCUMENT_VERIFICATION', { escalationLevel: 2 }), NOW)).toBe(true);
    expect(mayAccessCase(v('kabid'), open('HANDOVER', { escalationLevel: 2 }), NOW)).toBe(true);
    expect(mayAccessCase(v('kabid'), closed(1), NOW)).toBe(false);
  });
  it('kadis: every case; admin: none', () => {
    for (const c of [open('DOCUMENT_VERIFICATION'), open('HANDOVER'), closed(400)]) {
      expect(mayAccessCase(v('kadis'), c, NOW)).toBe(true);
      expect(mayAccessCase(v('admin'), c, NOW)).toBe(false);
    }
  });
  it('ekspedisi: cases at HANDOVER, and 7 days after its own handover or failed attempt, not after a colleague’s', () => {
    expect(mayAccessCase(v('ekspedisi'), open('HANDOVER'), NOW)).toBe(true);
    expect(mayAccessCase(v('ekspedisi'), open('DOCUMENT_VERIFICATION'), NOW)).toBe(false);
    expect(mayAccessCase(v('ekspedisi'), open('PRINTING'), NOW)).toBe(false);
    const mine = closed(3, { courierActs: [{ username: 'ekspedisi1', at: NOW - 3 * DAY }] });
    expect(mayAccessCase(v('ekspedisi'), mine, NOW)).toBe(true);
    expect(mayAccessCase(v('ekspedisi', 'kurir2'), mine, NOW)).toBe(false);
    expect(mayAccessCase(v('ekspedisi'), closed(8, { courierActs: [{ username: 'ekspedisi1', at: NOW - 8 * DAY }] }), NOW)).toBe(false);
  });
});

describe('which fields', () => {
  it('operator and kadis: every personal field; admin none', () => {
    expect([...visibleFields(v('operator'), open('HANDOVER'), NOW)].sort()).toEqual([...PERSONAL_FIELDS].sort());
    expect([...visibleFields(v('kadis'), closed(100), NOW)].sort()).toEqual([...PERSONAL_FIELDS].sort());
    expect(visibleFields(v('admin'), open('HANDOVER'), NOW).size).toBe(0);
  });
  it('ekspedisi: recipient name, phone, address and note; never NIK, KK, birth date or attachments', () => {
    const f = visibleFields(v('ekspedisi'), open('HANDOVER'), NOW);
    expect([...f].sort()).toEqual(['contact.name', 'contact.phone', 'delivery.address', 'delivery.note', 'receipt.evidence', 'receipt.receivedBy']);
    for (const never of ['subject.nik', 'subject.kkNumber', 'subject.birthDate', 'attachments'] as const) expect(f.has(never)).toBe(false);
  });
  it('subkoordinator at its step: identity, reason and attachments, not the contact or address', () => {
    const f = visibleFields(v('subkoordinator'), open('PRINT_VERIFICATION'), NOW);
    expect(f.has('subject.nik') && f.has('subject.kkNumber') && f.has('request.reason') && f.has('attachments')).toBe(true);
    expect(f.has('contact.phone') || f.has('delivery.address')).toBe(false);
  });
  it('a role without access to the case sees no field at all', () => {
    for (const role of ROLES) {
      const c = closed(400);
      if (ACCESS_POLICY[role].cases.kind !== 'all') expect(visibleFields(v(role), c, NOW).size).toBe(0);
    }
  });
});

describe('documents', () => {
  it('the label (address) goes to the courier, not to the kabid; the approval to the kabid, not to the courier', () => {
    expect(mayReadDocument(v('ekspedisi'), open('HANDOVER'), 'label', NOW)).toBe(true);
    expect(mayReadDocument(v('ekspedisi'), open('HANDOVER'), 'approval', NOW)).toBe(false);
    expect(mayReadDocument(v('kabid'), open('APPROVAL'), 'approval', NOW)).toBe(true);
    expect(mayReadDocument(v('kabid'), open('APPROVAL'), 'label', NOW)).toBe(false);
    expect(mayReadDocument(v('admin'), open('HANDOVER'), 'label', NOW)).toBe(false);
    expect(mayReadDocument(v('operator'), open('HANDOVER'), 'archive', NOW)).toBe(false);
  });
});
