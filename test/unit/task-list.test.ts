import { describe, expect, it } from 'vitest';
import { approvalStatement, bulkActionsOf, bulkSummaryText, claimIsLive, isTaskOf, taskStepsOf } from '../../domain/task-list.js';

describe('task list rules (domain/task-list.ts)', () => {
  it("a case is the role's task at the role's step, or in the operator's extra waiting states, and never when closed", () => {
    expect(taskStepsOf('kabid')).toEqual(['APPROVAL']);
    expect(isTaskOf('kabid', { status: 'IN_PROGRESS', currentStep: 'APPROVAL', waitingFor: 'STAFF_ACTION' })).toBe(true);
    expect(isTaskOf('kabid', { status: 'IN_PROGRESS', currentStep: 'PRINT_VERIFICATION', waitingFor: 'STAFF_ACTION' })).toBe(false);
    expect(isTaskOf('kabid', { status: 'COMPLETED', currentStep: 'APPROVAL', waitingFor: null })).toBe(false);
    expect(isTaskOf('operator', { status: 'IN_PROGRESS', currentStep: 'HANDOVER', waitingFor: 'OFFICE_PICKUP' })).toBe(true);
    expect(isTaskOf('ekspedisi', { status: 'IN_PROGRESS', currentStep: 'HANDOVER', waitingFor: 'OFFICE_PICKUP' })).toBe(false);
  });

  it('a claim lapses once the case leaves the claimed step', () => {
    expect(claimIsLive({ stepKey: 'APPROVAL' }, { status: 'IN_PROGRESS', currentStep: 'APPROVAL' })).toBe(true);
    expect(claimIsLive({ stepKey: 'PRINT_VERIFICATION' }, { status: 'IN_PROGRESS', currentStep: 'APPROVAL' })).toBe(false);
  });

  it('offers bulk print verification to the sub-coordinator, bulk approval with passphrase to the kabid, nothing to the operator', () => {
    expect(bulkActionsOf('subkoordinator')).toEqual([{ action: 'verify-print', title: 'Verifikasi cetak', step: 'PRINT_VERIFICATION', verb: 'Setujui verifikasi cetak', needsPassphrase: false }]);
    expect(bulkActionsOf('kabid')).toEqual([{ action: 'approve', title: 'Persetujuan (TTE)', step: 'APPROVAL', verb: 'Setujui dan tandatangani (TTE)', needsPassphrase: true }]);
    expect(bulkActionsOf('operator')).toEqual([]);
  });

  it('says the outcome counts in plain Indonesian, leaving out zero skips and failures', () => {
    expect(bulkSummaryText({ done: 5, skipped: 0, failed: 0 })).toBe('5 berhasil');
    expect(bulkSummaryText({ done: 3, skipped: 1, failed: 2 })).toBe('3 berhasil, 1 dilewati, 2 gagal');
  });

  it('states what the TTE signs, leaving out the name and reason the viewer may not see', () => {
    const signer = { name: 'Sri Kabid', role: 'kabid' as const, nip: '198001012005011001' };
    expect(approvalStatement({ registrationNumber: 'BP-20261203-00001', documentType: 'KIA', reason: 'LOST', holderName: 'Ayu', holderNikMasked: null, signer })).toBe(
      'Saya, Sri Kabid (Kepala Bidang, NIP 198001012005011001), menyetujui pencetakan KIA atas nama Ayu, nomor registrasi BP-20261203-00001, alasan permohonan: hilang, dan membubuhkan tanda tangan elektronik pada surat persetujuan.',
    );
    expect(approvalStatement({ registrationNumber: 'BP-20261203-00002', documentType: 'KTP_EL', reason: null, holderName: null, holderNikMasked: null, signer: { ...signer, nip: null } })).toBe(
      'Saya, Sri Kabid (Kepala Bidang), menyetujui pencetakan KTP-el, nomor registrasi BP-20261203-00002, dan membubuhkan tanda tangan elektronik pada surat persetujuan.',
    );
  });
});
