/**
 * The four documents of one case lifecycle with sample data (no real person's), for the benches
 * that measure their cost (`bench:pdf`, `bench:required`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderApproval, renderLabel, renderProof, renderReceipt } from '../../activities/pdf.js';
import { PROJECT_ROOT } from './processes.js';

export const SAMPLE_AT = Date.UTC(2026, 11, 3, 7, 5);
const photo = fs.readFileSync(path.join(PROJECT_ROOT, 'console/icons/icon-192.png'));

export const PDF_SAMPLES: ReadonlyArray<readonly [kind: 'proof' | 'approval' | 'label' | 'receipt', render: () => Promise<Buffer>]> = [
  ['proof', () => renderProof({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', reasonLabel: 'Rusak', subjectName: 'Ayu Lestari', nikMasked: '3315••••••••0001', district: 'Purwodadi', submittedAt: SAMPLE_AT, expectedBy: '2026-12-04', prepare: ['KTP-el lama yang rusak'], trackUrl: 'http://localhost:3000/lacak/0123456789abcdef0123456789abcdef' })],
  ['approval', () => renderApproval({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KIA', reasonLabel: 'Baru', holderName: 'Ayu Lestari', holderNikMasked: '3315••••••••0001', signerName: 'Budi Santoso', signerRoleLabel: 'Kepala Bidang', signerNip: '197001011995031001', signedAt: SAMPLE_AT, keyId: 'k-1', signature: 'A'.repeat(86) + '==', verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007' })],
  ['label', () => renderLabel({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', attempt: 1, recipientName: 'Siti Aminah', phone: '+6281234567890', address: 'Jl. Melati No. 5', rt: '002', rw: '004', village: 'Kuripan', district: 'Purwodadi', deliveryNote: 'Rumah cat hijau', printedAt: SAMPLE_AT })],
  ['receipt', () => renderReceipt({ receiptNumber: 'TT-BP-20261203-00007', registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', receivedBy: 'Siti Aminah', relationshipLabel: 'Keluarga', oldCardCollected: true, courierName: 'Eko Kurir', deliveredAt: SAMPLE_AT, note: null, verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007', photo })],
];

export function pdfSample(kind: (typeof PDF_SAMPLES)[number][0]): () => Promise<Buffer> {
  return PDF_SAMPLES.find(([k]) => k === kind)![1];
}
