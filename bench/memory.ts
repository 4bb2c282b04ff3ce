/**
 * `npm run bench:memory [-- --open N] [--concurrency C]`
 *
 * Resident memory of the embedded stack (`npm start`: PGlite, worker and API in one process, plus
 * the Temporal dev server): on a fresh, empty DATA_DIR once ready and idle, then (with `--open N`)
 * after N submitted applications whose workflows wait at the operator's verification. Set
 * DATABASE_URL to measure the same with PostgreSQL. Prints a table and the summary JSON as the
 * last line. Reports only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, sleep, waitForHttp } from './lib/http.js';
import { planCase } from './lib/fixtures.js';
import { runPool, track } from './lib/lifecycle.js';
import { childPidMatching, freePort, rssMb, spawnService, type ServiceProcess } from './lib/processes.js';
import { round } from './lib/stats.js';

const { values: args } = parseArgs({
  options: {
    open: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '8' },
    'idle-ms': { type: 'string', default: '10000' },
  },
});
const open = Number(args.open);
const concurrency = Number(args.concurrency);
const idleMs = Number(args['idle-ms']);
const log = (msg: string) => process.stderr.write(`[memory] ${msg}\n`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-memory-'));
const adminPassword = 'bench-admin-password';
let stack: ServiceProcess | undefined;

/** RSS of the stack and the dev server, sampled every 500 ms for `ms`: the last and the peak value. */
async function sample(ms: number, pids: Record<string, number | undefined>) {
  const last: Record<string, number> = {};
  const peak: Record<string, number> = {};
  const end = Date.now() + ms;
  do {
    for (const [k, pid] of Object.entries(pids)) {
      const mb = pid ? rssMb(pid) : undefined;
      if (mb === undefined) continue;
      last[k] = round(mb, 1);
      peak[k] = Math.max(peak[k] ?? 0, round(mb, 1));
    }
    await sleep(500);
  } while (Date.now() < end);
  return { last, peak };
}

async function main() {
  const port = await freePort();
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD: adminPassword,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const s = spawnService('stack', 'infra/start.ts', env, path.join(dataDir, 'logs'));
  stack = s;
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(baseUrl, '/readyz', 300_000, () => s.alive());
  const pids = { stack: s.pid, temporal: childPidMatching(s.pid, 'start-dev') };
  log(`ready; idle ${idleMs} ms`);
  const empty = await sample(idleMs, pids);
  log(`empty: ${JSON.stringify(empty.last)}`);

  let withOpen: Awaited<ReturnType<typeof sample>> | undefined;
  let waiting = 0;
  if (open > 0) {
    const api = new ApiClient(baseUrl);
    const salt = Math.floor(Math.random() * 1e6);
    const regs: Array<{ regNo: string; nik: string }> = [];
    await runPool(open, concurrency, async (i) => {
      const plan = planCase(i, { failPrintEvery: 0, salt });
      const res = await api.post('/api/applications', plan.body, { headers: { 'idempotency-key': `mem-${salt}-${i}` } });
      if (res.status !== 201) throw new Error(`submission ${i}: ${res.status}`);
      regs.push({ regNo: res.body.registrationNumber as string, nik: plan.nik });
      if ((i + 1) % Math.max(1, Math.floor(open / 10)) === 0) log(`  submitted ${i + 1}/${open}; stack RSS ${round(rssMb(s.pid) ?? 0, 0)} MB`);
    });
    // Every workflow has started and waits for the operator (a sample of them checked by tracking).
    for (const r of regs.filter((_, i) => i % Math.max(1, Math.floor(regs.length / 50)) === 0)) {
      for (let t = 0; t < 600; t++) {
        const tr = await track(api, r.regNo, r.nik);
        if (tr.waitingFor) {
          waiting++;
          break;
        }
        if (t === 0 && waiting === 0) log(`  first sampled case not waiting yet: ${JSON.stringify(tr).slice(0, 300)}`);
        await sleep(500);
      }
    }
    withOpen = await sample(idleMs, pids);
    log(`with ${open} open cases: ${JSON.stringify(withOpen.last)}`);
  }
  const summary = {
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    emptyRssMb: empty.last,
    open,
    openRssMb: withOpen?.last ?? null,
    openPeakRssMb: withOpen?.peak ?? null,
    perOpenCaseKb: withOpen && open ? round(((withOpen.last.stack! - empty.last.stack!) * 1024) / open, 1) : null,
  };
  process.stdout.write(`\nempty stack RSS (MB)        ${summary.emptyRssMb.stack} (Temporal dev server ${summary.emptyRssMb.temporal ?? '-'})\n`);
  if (withOpen) process.stdout.write(`with ${open} open cases (MB)  ${summary.openRssMb?.stack} (Temporal ${summary.openRssMb?.temporal ?? '-'}); ${summary.perOpenCaseKb} kB per open case; ${waiting} sampled cases seen waiting\n`);
  return summary;
}

try {
  const summary = await main();
  await stack?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(0);
} catch (e) {
  log(`failed: ${(e as Error).stack ?? e}; logs kept in ${dataDir}`);
  await stack?.stop();
  process.exit(1);
}
