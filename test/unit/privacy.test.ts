/** The pure trust rules and the tracking-token crypto: when an address may change, retention, sealing. */
import { describe, expect, it } from 'vitest';
import { addressChangeAllowed, erasureDueAt, privacyNotice, PRIVACY_NOTICE_VERSION, retentionCutoff } from '../../domain/privacy.js';
import { newTrackingToken, sealTrackingToken, trackingTokenHash, unsealTrackingToken } from '../../infra/tracking-tokens.js';
import { randomBytes } from 'node:crypto';

describe('addressChangeAllowed', () => {
  it('allows any open step before the handover, and at the handover until the courier picks the card up', () => {
    expect(addressChangeAllowed('IN_PROGRESS', 'DOCUMENT_VERIFICATION', null)).toBe(true);
    expect(addressChangeAllowed('AWAITING_RESUBMISSION', 'DOCUMENT_VERIFICATION', null)).toBe(true);
    expect(addressChangeAllowed('IN_PROGRESS', 'PRINTING', null)).toBe(true);
    expect(addressChangeAllowed('IN_PROGRESS', 'HANDOVER', null)).toBe(true);
    expect(addressChangeAllowed('IN_PROGRESS', 'HANDOVER', 'PICKED_UP')).toBe(false);
  });
  it('allows it again after a failed delivery or the card’s return to the office; never on a closed case', () => {
    expect(addressChangeAllowed('IN_PROGRESS', 'HANDOVER', 'DELIVERY_FAILED')).toBe(true);
    expect(addressChangeAllowed('IN_PROGRESS', 'HANDOVER', 'RETURNED_TO_OFFICE')).toBe(true);
    for (const s of ['COMPLETED', 'CANCELLED', 'REJECTED'] as const) expect(addressChangeAllowed(s, 'PRINT_VERIFICATION', null)).toBe(false);
    expect(addressChangeAllowed('IN_PROGRESS', 'DONE', null)).toBe(false);
  });
});

describe('retention arithmetic', () => {
  it('takes fractional days', () => {
    expect(erasureDueAt(0, 0.5)).toBe(12 * 3600_000);
    expect(retentionCutoff(86_400_000, 1)).toBe(0);
  });
});

describe('privacy notice', () => {
  it('names the DPO contact, the retention period and the version', () => {
    const n = privacyNotice({ officeName: 'Disdukcapil Uji', dpoContact: 'dpo@uji.go.id', retentionDays: 365 });
    const text = JSON.stringify(n);
    expect(n.version).toBe(PRIVACY_NOTICE_VERSION);
    expect(text).toContain('dpo@uji.go.id');
    expect(text).toContain('365 hari');
    expect(text).toContain('Disdukcapil Uji');
  });
});

describe('tracking tokens', () => {
  it('are 256 random bits in base64url; the hash is SHA-256 hex', () => {
    const t = newTrackingToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(trackingTokenHash(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(newTrackingToken()).not.toBe(t);
  });
  it('unseal only with the same key and registration number; a tampered value is refused', () => {
    const key = randomBytes(32);
    const t = newTrackingToken();
    const sealed = sealTrackingToken(key, 'BP-20261202-00001', t);
    expect(sealed).not.toContain(t);
    expect(unsealTrackingToken(key, 'BP-20261202-00001', sealed)).toBe(t);
    expect(unsealTrackingToken(randomBytes(32), 'BP-20261202-00001', sealed)).toBeNull();
    expect(unsealTrackingToken(key, 'BP-20261202-00002', sealed)).toBeNull();
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(unsealTrackingToken(key, 'BP-20261202-00001', flipped)).toBeNull();
  });
});
