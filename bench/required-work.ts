/**
 * `npm run bench:required [-- --rounds 30]`: CPU time of the work the SPEC requires of one case
 * lifecycle outside the workflow and the database, each part measured alone in this process (all
 * threads: `process.cpuUsage()` includes libuv's, where scrypt runs): the kabid's passphrase check
 * at approval (scrypt, the staff password parameters), the approval statement's signature, the
 * four PDFs, and the PAdES signatures of the approval letter and the receipt. With the engine
 * floor (`npm run bench -- --saturate --floor`) it bounds the saturation ratio from below the
 * service's own code: bench/README.md, "The measured floor of the ratio".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword, verifyPassword } from '../api/auth.js';
import { renderApproval, renderLabel, renderProof, renderReceipt } from '../activities/pdf.js';
import { loadOrCreatePdfSigner } from '../activities/adapters/pdf-signer.js';
import { loadOrCreateSigner } from '../activities/adapters/signer.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const ROUNDS = Number(values.rounds);
const AT = Date.UTC(2026, 11, 3, 7, 5);
const photo = fs.readFileSync(path.resolve('console/icons/icon-192.png'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-required-'));
const pdfSigner = loadOrCreatePdfSigner({ dataDir: dir });
const signer = loadOrCreateSigner(path.join(dir, 'keys', 'signing.pem'), { generate: true });
const stored = await hashPassword('kata-sandi-kabid-uji-panjang');
const meta = { reason: 'Persetujuan pencetakan KTP-el BP-20261203-00007', location: 'Kabupaten Grobogan', contactInfo: 'http://localhost:3000/verifikasi/BP-20261203-00007', signingTime: new Date(AT) };

const approvalPdf = () => renderApproval({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KIA', reasonLabel: 'Baru', holderName: 'Ayu Lestari', holderNikMasked: '3315••••••••0001', signerName: 'Budi Santoso', signerRoleLabel: 'Kepala Bidang', signerNip: '197001011995031001', signedAt: AT, keyId: 'k-1', verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007' });
const receiptPdf = () => renderReceipt({ receiptNumber: 'TT-20261203-00007', registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', receivedBy: 'Siti Aminah', relationshipLabel: 'Keluarga', oldCardCollected: true, courierName: 'Eko Kurir', deliveredAt: AT, note: null, verifyUrl: 'http://localhost:3000/verifikasi/BP-20261203-00007', photo });
const signedApproval = await approvalPdf();
const signedReceipt = await receiptPdf();

/** Per lifecycle: how many times each part runs in the bench's lifecycle. */
const parts: Array<[string, number, () => Promise<unknown> | unknown]> = [
  ['passphrase check at approval (scrypt N=2^15, r=8)', 1, async () => {
    if (!(await verifyPassword('kata-sandi-kabid-uji-panjang', stored))) throw new Error('passphrase check failed');
  }],
  ['approval statement signature', 1, () => signer.sign(JSON.stringify({ registrationNumber: 'BP-20261203-00007', signedAt: AT }))],
  ['proof of registration PDF', 1, () => renderProof({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', reasonLabel: 'Rusak', subjectName: 'Ayu Lestari', nikMasked: '3315••••••••0001', district: 'Purwodadi', submittedAt: AT, expectedBy: '2026-12-04', prepare: ['KTP-el lama yang rusak'], trackUrl: 'http://localhost:3000/lacak/0123456789abcdef0123456789abcdef' })],
  ['approval letter PDF', 1, approvalPdf],
  ['label PDF', 1, () => renderLabel({ registrationNumber: 'BP-20261203-00007', documentTypeLabel: 'KTP-el', attempt: 1, recipientName: 'Siti Aminah', phone: '+6281234567890', address: 'Jl. Melati No. 5', rt: '002', rw: '004', village: 'Kuripan', district: 'Purwodadi', deliveryNote: 'Rumah cat hijau', printedAt: AT })],
  ['receipt PDF (with photo)', 1, receiptPdf],
  ['PAdES signature, approval letter', 1, () => pdfSigner.sign(signedApproval, meta)],
  ['PAdES signature, receipt', 1, () => pdfSigner.sign(signedReceipt, meta)],
];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(`${ROUNDS} rounds per part after 3 warm-up; CPU ms of this process (all threads) per run\n`);
console.log('| part | runs per lifecycle | p50 ms | mean ms |');
console.log('|---|---:|---:|---:|');
let total = 0;
for (const [name, times, run] of parts) {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const c0 = cpuMs();
    await run();
    samples.push(cpuMs() - c0);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  total += mean * times;
  console.log(`| ${name} | ${times} | ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} | ${mean.toFixed(1)} |`);
}
console.log(`\nRequired work per lifecycle outside the workflow and the database: ${total.toFixed(1)} CPU-ms`);
fs.rmSync(dir, { recursive: true, force: true });
