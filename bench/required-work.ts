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
import { loadOrCreatePdfSigner } from '../activities/adapters/pdf-signer.js';
import { loadOrCreateSigner } from '../activities/adapters/signer.js';
import { PDF_SAMPLES, SAMPLE_AT, pdfSample } from './lib/pdf-samples.js';
import { cpuPerRun } from './lib/stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const ROUNDS = Number(values.rounds);
const PASSPHRASE = 'kata-sandi-kabid-uji-panjang';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-required-'));
const pdfSigner = loadOrCreatePdfSigner({ dataDir: dir });
const signer = loadOrCreateSigner(path.join(dir, 'keys', 'signing.pem'), { generate: true });
const stored = await hashPassword(PASSPHRASE);
const meta = { reason: 'Persetujuan pencetakan KTP-el BP-20261203-00007', location: 'Kabupaten Grobogan', contactInfo: 'http://localhost:3000/verifikasi/BP-20261203-00007', signingTime: new Date(SAMPLE_AT) };
const approvalPdf = await pdfSample('approval')();
const receiptPdf = await pdfSample('receipt')();

/** Each part runs once in the bench's lifecycle. */
const parts: Array<[string, () => unknown]> = [
  ['passphrase check at approval (scrypt N=2^15, r=8)', async () => {
    if (!(await verifyPassword(PASSPHRASE, stored))) throw new Error('passphrase check failed');
  }],
  ['approval statement signature', () => signer.sign(JSON.stringify({ registrationNumber: 'BP-20261203-00007', signedAt: SAMPLE_AT }))],
  ...PDF_SAMPLES.map(([kind, render]) => [`${kind} PDF`, render] as [string, () => unknown]),
  ['PAdES signature, approval letter', () => pdfSigner.sign(approvalPdf, meta)],
  ['PAdES signature, receipt', () => pdfSigner.sign(receiptPdf, meta)],
];

console.log(`${ROUNDS} rounds per part after 3 warm-up; CPU ms of this process (all threads) per run\n`);
console.log('| part | p50 ms | mean ms |');
console.log('|---|---:|---:|');
let total = 0;
for (const [name, run] of parts) {
  const { p50, mean } = await cpuPerRun(run, ROUNDS);
  total += mean;
  console.log(`| ${name} | ${p50.toFixed(1)} | ${mean.toFixed(1)} |`);
}
console.log(`\nRequired work per lifecycle outside the workflow and the database: ${total.toFixed(1)} CPU-ms`);
fs.rmSync(dir, { recursive: true, force: true });
