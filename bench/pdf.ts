/**
 * `npm run bench:pdf [-- --renders 40]`: CPU time of this process per PDF, for the four documents
 * a case produces (proof of registration, approval statement, label, receipt with a photo), in
 * one process, so the figure does not depend on the machine's load the way the lifecycle
 * benchmark's does. Prints p50 and mean per kind and the sum of the means (one lifecycle's PDFs).
 */
import { parseArgs } from 'node:util';
import { PDF_SAMPLES } from './lib/pdf-samples.js';
import { cpuPerRun } from './lib/stats.js';

const { values } = parseArgs({ options: { renders: { type: 'string', default: '40' } } });
const RENDERS = Number(values.renders);

let lifecycle = 0;
console.log(`${RENDERS} renders per kind after 3 warm-up, CPU ms of this process per render\n`);
console.log('| kind | p50 ms | mean ms | bytes |');
console.log('|---|---:|---:|---:|');
for (const [name, render] of PDF_SAMPLES) {
  const { p50, mean, last } = await cpuPerRun(render, RENDERS);
  lifecycle += mean;
  console.log(`| ${name} | ${p50.toFixed(1)} | ${mean.toFixed(1)} | ${last.length.toLocaleString('en')} |`);
}
console.log(`\nOne lifecycle's four PDFs: ${lifecycle.toFixed(1)} CPU-ms`);
