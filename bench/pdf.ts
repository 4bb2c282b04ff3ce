/**
 * `npm run bench:pdf [-- --renders 40]`: CPU time of this process per PDF, for the four documents
 * a case produces (proof of registration, approval statement, label, receipt with a photo), in
 * one process, so the figure does not depend on the machine's load the way the lifecycle
 * benchmark's does. Prints p50 and mean per kind and the sum of the means (one lifecycle's PDFs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderApproval, renderLabel, renderProof, renderReceipt } from '../activities/pdf.js';

const { values } = parseArgs({ options: { renders: { type: 'string', default: '40' } } });
const RENDERS = Number(values.renders);
const AT = Date.UTC(2026, 11, 3, 7, 5);
const photo = fs.readFileSync(path.resolve('console/icons/icon-192.png'));

const kinds: Array<[string, () => Promise<Buffer>]> = [
  ['proof', () => renderProof({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', reasonLabel: 'Rusak', subjectName: 'Ayu Lestari', nikMasked: '3315••••••••0001', district: 'Purwodadi', submittedAt: AT, expectedBy: '2026-12-04', prepare: ['KTP-el lama yang rusak'], trackUrl: 'http://localhost:3000/lacak/0123456789abcdef0123456789abcdef' })],
  ['approval', () => renderApproval({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KIA', reasonLabel: 'Baru', holderName: 'Ayu Lestari', holderNikMasked: '3315••••••••0001', signerName: 'Budi Santoso', signerRoleLabel: 'Kepala Bidang', signerNip: '197001011995031001', signedAt: AT, keyId: 'k-1', signature: 'A'.repeat(86) + '==', verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007' })],
  ['label', () => renderLabel({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', attempt: 1, recipientName: 'Siti Aminah', phone: '+6281234567890', address: 'Jl. Melati No. 5', rt: '002', rw: '004', village: 'Kuripan', district: 'Purwodadi', deliveryNote: 'Rumah cat hijau', printedAt: AT })],
  ['receipt', () => renderReceipt({ receiptNumber: 'TT-BP-20261203-00007', registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', receivedBy: 'Siti Aminah', relationshipLabel: 'Keluarga', oldCardCollected: true, courierName: 'Eko Kurir', deliveredAt: AT, note: null, verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007', photo })],
];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let lifecycle = 0;
console.log(`${RENDERS} renders per kind after 3 warm-up, CPU ms of this process per render\n`);
console.log('| kind | p50 ms | mean ms | bytes |');
console.log('|---|---:|---:|---:|');
for (const [name, render] of kinds) {
  for (let i = 0; i < 3; i++) await render();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDERS; i++) {
    const c0 = cpuMs();
    bytes = (await render()).length;
    samples.push(cpuMs() - c0);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  lifecycle += mean;
  console.log(`| ${name} | ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} | ${mean.toFixed(1)} | ${bytes.toLocaleString('en')} |`);
}
console.log(`\nOne lifecycle's four PDFs: ${lifecycle.toFixed(1)} CPU-ms`);
