/**
 * `npm run bench [-- --quick | --saturate] [--cases N] [--concurrency C]`
 *
 * Starts the service (embedded `npm start` on free ports and a temporary DATA_DIR; or, when both
 * DATABASE_URL and TEMPORAL_ADDRESS are set, `npm run api` and `npm run worker` as two processes
 * against them), drives N full case lifecycles through the HTTP API with C in flight, then runs
 * the bare-Temporal baseline (bench/baseline-workflow.ts) with the same shape on the same server.
 * Prints a table, writes bench/results/bench-<time>.json, and prints the summary JSON as the last
 * line. Reports only: it never asserts a target.
 *
 * `--saturate`: 48 lifecycles at concurrency 16 (both sides saturate the machine), the same for the
 * baseline, and a saturation block: lifecycles/s and ratio, CPU-s per lifecycle of our process(es)
 * and of the Temporal server (each side measured over its own run), Temporal actions per lifecycle
 * by kind counted from the histories, peak RSS.
 *
 * `--floor` (with `--saturate`): also the engine floor (bench/engine-floor.ts), the case workflow
 * itself with no-op activities on the same server: the most any change outside the workflow could
 * bring the service to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { quietBundlerLogger, workflowBundle as serviceWorkflowBundle } from '../worker/worker.js';
import { ApiClient, waitForHttp } from './lib/http.js';
import { planCase } from './lib/fixtures.js';
import { actionCount, addBlanks, runLifecycle, runPool, setupStaff, type LifecycleResult } from './lib/lifecycle.js';
import { PROJECT_ROOT, childPidMatching, freePort, rssSampler, spawnService, type ServiceProcess } from './lib/processes.js';
import { percentiles, round } from './lib/stats.js';
import { BASELINE_WORKFLOWS_PATH, runBaseline } from './baseline.js';
import { engineFloorWorkflowId, runEngineFloor } from './engine-floor.js';
import { countActions, meanActions, type ActionCounts } from './lib/history-actions.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    saturate: { type: 'boolean', default: false },
    cases: { type: 'string' },
    concurrency: { type: 'string' },
    'poll-ms': { type: 'string', default: '250' },
    'fail-print-every': { type: 'string', default: '10' },
    'no-baseline': { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const quick = args.quick!;
const saturate = args.saturate!;
if (quick && saturate) throw new Error('--quick and --saturate exclude each other');
const cases = Number(args.cases ?? (quick ? 16 : saturate ? 48 : 60));
const concurrency = Number(args.concurrency ?? (quick ? 4 : saturate ? 16 : 10));
const pollMs = Number(args['poll-ms']);
const failPrintEvery = Number(args['fail-print-every']);
const warmup = Math.min(2, cases);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
// The baseline worker runs in this process: keep the SDK's per-state INFO lines off the report.
Runtime.install({ logger: new DefaultLogger('WARN') });

const externalDb = process.env.DATABASE_URL;
const externalTemporal = process.env.TEMPORAL_ADDRESS;
const split = Boolean(externalDb && externalTemporal);
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const runId = Date.now().toString(36);
const salt = Math.floor(Math.random() * 1e6);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-bench-'));
const adminPassword = process.env.BENCH_ADMIN_PASSWORD ?? 'bench-admin-password';
const processes: ServiceProcess[] = [];

async function startStack(): Promise<{ baseUrl: string; temporalAddress: string; pids: () => Record<string, number | undefined> }> {
  const port = await freePort();
  const common: Record<string, string> = {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD: adminPassword,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  if (split) {
    const env = { ...common, DATABASE_URL: externalDb!, TEMPORAL_ADDRESS: externalTemporal!, TEMPORAL_NAMESPACE: namespace };
    const worker = spawnService('worker', 'worker/main.ts', env, path.join(dataDir, 'logs'));
    const api = spawnService('api', 'api/main.ts', env, path.join(dataDir, 'logs'));
    processes.push(worker, api);
    await waitForHttp(baseUrl, '/readyz', 180_000, () => api.alive());
    return { baseUrl, temporalAddress: externalTemporal!, pids: () => ({ api: api.pid, worker: worker.pid, bench: process.pid }) };
  }
  const devPort = await freePort();
  const env: Record<string, string> = { ...common, TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(await freePort()) };
  if (externalDb) env.DATABASE_URL = externalDb;
  if (externalTemporal) env.TEMPORAL_ADDRESS = externalTemporal;
  const stack = spawnService('stack', 'infra/start.ts', env, path.join(dataDir, 'logs'));
  processes.push(stack);
  await waitForHttp(baseUrl, '/readyz', 180_000, () => stack.alive());
  const temporalAddress = externalTemporal ?? `127.0.0.1:${devPort}`;
  return {
    baseUrl,
    temporalAddress,
    pids: () => ({ stack: stack.pid, temporal: externalTemporal ? undefined : childPidMatching(stack.pid, 'start-dev'), bench: process.pid }),
  };
}

async function activitiesPerLifecycle(address: string, registrationNumber: string | undefined): Promise<number | undefined> {
  if (!registrationNumber) return undefined;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const history = await client.workflow.getHandle(registrationNumber).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  } finally {
    await connection.close();
  }
}

/** Temporal actions by kind of some workflow executions (up to `limit`), from their histories. */
async function actionsOf(address: string, workflowIds: string[], limit = 24): Promise<ActionCounts | null> {
  if (!workflowIds.length) return null;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const counts: ActionCounts[] = [];
    for (const id of workflowIds.slice(0, limit)) {
      const history = await client.workflow.getHandle(id).fetchHistory().catch(() => undefined);
      if (history) counts.push(countActions(history));
    }
    return meanActions(counts);
  } finally {
    await connection.close();
  }
}

async function main() {
  const machine = { nproc: os.cpus().length, memGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}` };
  log(`mode ${split ? 'split (api + worker processes, external PostgreSQL and Temporal)' : 'embedded (npm start)'}; ${cases} cases, concurrency ${concurrency}; data ${dataDir}`);
  const started = performance.now();
  const stack = await startStack();
  const startupMs = performance.now() - started;
  log(`stack ready at ${stack.baseUrl} in ${round(startupMs / 1000, 1)} s`);

  const api = new ApiClient(stack.baseUrl);
  const staffPrefix = `b${runId.slice(-6)}`;
  const tokens = await setupStaff(api, { username: process.env.BENCH_ADMIN_USERNAME ?? 'admin', password: adminPassword }, staffPrefix);
  const total = cases + warmup;
  await addBlanks(api, tokens.admin, 'KTP_EL', total * 2 + 5);
  await addBlanks(api, tokens.admin, 'KIA', total + 5);

  const plans = Array.from({ length: total }, (_, i) => planCase(i, { failPrintEvery, salt }));
  const lifecycleOpts = { pollMs, stepTimeoutMs: 120_000 };

  log(`warm-up: ${warmup} lifecycles`);
  const warm = await runPool(warmup, warmup, (i) => runLifecycle(api, tokens, plans[i]!, lifecycleOpts));
  const measuredActivities = await activitiesPerLifecycle(stack.temporalAddress, warm.find((w) => w.ok)?.registrationNumber).catch(() => undefined);

  const statsBefore = { ...api.stats, retriedStatuses: { ...api.stats.retriedStatuses } };
  const sampler = rssSampler(stack.pids);
  log(`measured run: ${cases} lifecycles`);
  const t0 = performance.now();
  let done = 0;
  const results: LifecycleResult[] = await runPool(cases, concurrency, async (i) => {
    const r = await runLifecycle(api, tokens, plans[warmup + i]!, lifecycleOpts);
    if (++done % Math.max(1, Math.floor(cases / 5)) === 0) log(`  ${done}/${cases}`);
    return r;
  });
  const wallMs = performance.now() - t0;
  const { peak, cpu } = sampler.stop();
  const trackingPerLifecycle = round(results.reduce((s, r) => s + r.trackingRequests, 0) / Math.max(1, cases), 1);

  const failed = results.filter((r) => !r.ok);
  for (const f of failed.slice(0, 5)) log(`  failed #${f.index}: ${f.error}`);
  const transientRetries = api.stats.retries - statsBefore.retries;
  const unexpected = results.reduce((s, r) => s + r.unexpected, 0);
  const submissionMs = results.filter((r) => r.submissionMs !== undefined).map((r) => r.submissionMs!);
  const actionMs = results.flatMap((r) => r.actions.map((a) => a.ms));
  const byAction: Record<string, ReturnType<typeof percentiles>> = {};
  for (const name of new Set(results.flatMap((r) => r.actions.map((a) => a.action)))) {
    byAction[name] = percentiles(results.flatMap((r) => r.actions.filter((a) => a.action === name).map((a) => a.ms)));
  }
  const lifecyclesPerSecond = results.filter((r) => r.ok).length / (wallMs / 1000);

  // Baseline: same server, same plans (same Updates per lifecycle), same concurrency and polling.
  const activities = measuredActivities ?? 12;
  const actionNames = (i: number) => {
    const p = plans[i]!;
    const names = ['verify-documents', 'verify-print', 'approve', ...Array(p.failedPrints).fill('confirm-print-failed'), 'confirm-print', 'pickup', 'handover'];
    if (names.length !== actionCount(p)) throw new Error('baseline plan out of step with the lifecycle plan');
    return names;
  };
  // The baseline's and the floor's workers and clients live in this (bench) process; the Temporal server is shared.
  const temporalAndBench = () => {
    const p = stack.pids();
    return { temporal: p.temporal, bench: p.bench };
  };
  let baseline: Awaited<ReturnType<typeof runBaseline>> | undefined;
  let baselineCpu: Record<string, number> = {};
  let baselinePeak: Record<string, number> = {};
  if (!args['no-baseline']) {
    log(`baseline: ${cases} bare workflows, ${activities} no-op activities each`);
    // Built before the measured window: webpack's CPU is not the baseline's.
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: BASELINE_WORKFLOWS_PATH, logger: quietBundlerLogger });
    await runBaseline({ workflowBundle, address: stack.temporalAddress, namespace, runId: `${runId}-w`, plans: Array.from({ length: warmup }, (_, i) => actionNames(i)), activitiesPerLifecycle: activities, concurrency: warmup, pollMs });
    const baselineSampler = rssSampler(temporalAndBench);
    baseline = await runBaseline({
      address: stack.temporalAddress,
      namespace,
      runId,
      plans: Array.from({ length: cases }, (_, i) => actionNames(warmup + i)),
      activitiesPerLifecycle: activities,
      concurrency,
      pollMs,
      workflowBundle,
    });
    ({ cpu: baselineCpu, peak: baselinePeak } = baselineSampler.stop());
  }
  // Engine floor (--floor): the case workflow itself with no-op activities, same server, same shape.
  let floor: Awaited<ReturnType<typeof runEngineFloor>> | undefined;
  let floorCpu: Record<string, number> = {};
  if (args.floor) {
    log(`engine floor: ${cases} case workflows, no-op activities`);
    // The service's own bundle (worker/worker.ts), built before the measured window.
    const workflowBundle = await serviceWorkflowBundle();
    await runEngineFloor({ workflowBundle, address: stack.temporalAddress, namespace, runId: `${runId}-w`, plans: plans.slice(0, warmup), concurrency: warmup, pollMs });
    const floorSampler = rssSampler(temporalAndBench);
    floor = await runEngineFloor({ address: stack.temporalAddress, namespace, runId, plans: plans.slice(warmup), concurrency, pollMs, workflowBundle });
    ({ cpu: floorCpu } = floorSampler.stop());
    for (const f of floor.lifecycles.filter((l) => !l.ok).slice(0, 5)) log(`  engine floor failed: ${f.error}`);
  }
  const baselineOk = baseline?.lifecycles.filter((l) => l.ok).length ?? 0;
  const baselineLifecyclesPerSecond = baseline ? baselineOk / (baseline.wallMs / 1000) : 0;
  const baselineUpdateMs = baseline?.lifecycles.flatMap((l) => l.updateMs) ?? [];

  let saturation: Record<string, unknown> | null = null;
  if (saturate) {
    const okResults = results.filter((r) => r.ok);
    const serviceActions = await actionsOf(stack.temporalAddress, okResults.map((r) => r.registrationNumber!).filter(Boolean));
    const baselineIds = (baseline?.lifecycles ?? []).map((l, i) => (l.ok ? `bench-baseline-${runId}-${i}` : '')).filter(Boolean);
    const baselineActions = baseline ? await actionsOf(stack.temporalAddress, baselineIds) : null;
    const per = (cpuS: number | undefined, n: number) => (cpuS === undefined || !n ? null : round(cpuS / n, 3));
    const ours = split ? (cpu.api ?? 0) + (cpu.worker ?? 0) : cpu.stack;
    // Machine CPU per lifecycle, each side with its client (the bench driver / the baseline's own client).
    const machineService = ours === undefined ? undefined : ours + (cpu.temporal ?? 0) + (cpu.bench ?? 0);
    const machineBare = baselineCpu.bench === undefined ? undefined : baselineCpu.bench + (baselineCpu.temporal ?? 0);
    const perService = per(machineService, okResults.length);
    const perBare = per(machineBare, baselineOk);
    const floorOk = floor?.lifecycles.filter((l) => l.ok).length ?? 0;
    const floorIds = (floor?.lifecycles ?? []).map((l, i) => (l.ok ? engineFloorWorkflowId(runId, i) : '')).filter(Boolean);
    const floorActions = floor ? await actionsOf(stack.temporalAddress, floorIds) : null;
    const perFloor = floor && floorCpu.bench !== undefined ? per(floorCpu.bench + (floorCpu.temporal ?? 0), floorOk) : null;
    const floorLifecyclesPerSecond = floor ? floorOk / (floor.wallMs / 1000) : 0;
    saturation = {
      lifecyclesPerSecond: round(lifecyclesPerSecond, 3),
      baselineLifecyclesPerSecond: round(baselineLifecyclesPerSecond, 3),
      trackingRequestsPerLifecycle: trackingPerLifecycle,
      ratio: baselineLifecyclesPerSecond ? round(lifecyclesPerSecond / baselineLifecyclesPerSecond, 3) : null,
      /**
       * bare machine-CPU per lifecycle ÷ the service's: the throughput ratio the two would have if the
       * CPU were the only limit. Unlike the wall-clock ratio, it does not depend on what else loads
       * the machine while one side runs (the two runs are consecutive, not simultaneous).
       */
      cpuRatio: perService && perBare ? round(perBare / perService, 3) : null,
      cpuSecondsPerLifecycle: {
        machine: { service: perService, baseline: perBare },
        service: { ours: per(ours, okResults.length), temporal: per(cpu.temporal, okResults.length), benchDriver: per(cpu.bench, okResults.length) },
        baseline: { workerAndClient: per(baselineCpu.bench, baselineOk), temporal: per(baselineCpu.temporal, baselineOk) },
      },
      temporalActionsPerLifecycle: { service: serviceActions, baseline: baselineActions, ratio: serviceActions && baselineActions ? round(serviceActions.total / baselineActions.total, 2) : null },
      peakRssMb: { ...Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, round(v, 1)])), temporalDuringBaseline: baselinePeak.temporal ? round(baselinePeak.temporal, 1) : null },
      wallSeconds: { service: round(wallMs / 1000, 1), baseline: baseline ? round(baseline.wallMs / 1000, 1) : null, engineFloor: floor ? round(floor.wallMs / 1000, 1) : null },
      /**
       * The case workflow alone (no-op activities, no API or database): the most the service could
       * reach by changes outside the workflow. `ratio` / `cpuRatio` are bare ÷ floor, like the service's.
       */
      engineFloor: floor
        ? {
            completed: floorOk,
            lifecyclesPerSecond: round(floorLifecyclesPerSecond, 3),
            ratio: baselineLifecyclesPerSecond ? round(floorLifecyclesPerSecond / baselineLifecyclesPerSecond, 3) : null,
            cpuRatio: perFloor && perBare ? round(perBare / perFloor, 3) : null,
            cpuSecondsPerLifecycle: { machine: perFloor, workerAndClient: per(floorCpu.bench, floorOk), temporal: per(floorCpu.temporal, floorOk) },
            updateLatencyMs: percentiles(floor.lifecycles.flatMap((l) => l.updateMs)),
            /** State queries per lifecycle (the floor's tracking polls, answered by the worker). */
            pollsPerLifecycle: floorOk ? round(floor.lifecycles.filter((l) => l.ok).reduce((s, l) => s + l.queryMs.length, 0) / floorOk, 1) : null,
            temporalActionsPerLifecycle: floorActions,
          }
        : null,
    };
  }

  const summary = {
    cases,
    concurrency,
    mode: split ? 'split' : 'embedded',
    completed: results.filter((r) => r.ok).length,
    lifecyclesPerSecond: round(lifecyclesPerSecond, 3),
    baselineLifecyclesPerSecond: round(baselineLifecyclesPerSecond, 3),
    throughputRatio: baselineLifecyclesPerSecond ? round(lifecyclesPerSecond / baselineLifecyclesPerSecond, 3) : null,
    submissionLatencyMs: percentiles(submissionMs),
    actionLatencyMs: percentiles(actionMs),
    baselineUpdateLatencyMs: percentiles(baselineUpdateMs),
    baselineQueryLatencyMs: percentiles(baseline?.lifecycles.flatMap((l) => l.queryMs) ?? []),
    actionP99OverBaselineP99: baselineUpdateMs.length ? round(percentiles(actionMs).p99 / percentiles(baselineUpdateMs).p99, 2) : null,
    lifecycleMs: percentiles(results.filter((r) => r.ok).map((r) => r.totalMs!)),
    baselineLifecycleMs: percentiles(baseline?.lifecycles.filter((l) => l.ok).map((l) => l.totalMs!) ?? []),
    workerRssMb: round(split ? (peak.worker ?? 0) : (peak.stack ?? 0), 1),
    apiRssMb: round(split ? (peak.api ?? 0) : (peak.stack ?? 0), 1),
    temporalServerRssMb: peak.temporal ? round(peak.temporal, 1) : null,
    combinedProcess: !split,
    activitiesPerLifecycle: measuredActivities ?? null,
    errors: failed.length + unexpected + transientRetries + (baseline ? baseline.lifecycles.length - baselineOk : 0) + (floor?.lifecycles.filter((l) => !l.ok).length ?? 0),
    startupMs: Math.round(startupMs),
    /** CPU seconds per process during the measured run (bench = this driver process). */
    cpuSeconds: cpu,
    baselineCpuSeconds: baselineCpu,
    saturation,
  };
  const report = {
    ...summary,
    runId,
    at: new Date().toISOString(),
    machine,
    options: { quick, saturate, cases, concurrency, pollMs, failPrintEvery, warmup },
    actionLatencyByActionMs: byAction,
    notReadyRetries: results.reduce((s, r) => s + r.notReadyRetries, 0),
    transientRetries,
    retriedStatuses: api.stats.retriedStatuses,
    failures: failed.map((f) => ({ index: f.index, registrationNumber: f.registrationNumber, error: f.error })),
    baselineFailures: baseline?.lifecycles.filter((l) => !l.ok).map((l) => l.error) ?? [],
    wallMs: Math.round(wallMs),
    baselineWallMs: baseline ? Math.round(baseline.wallMs) : null,
  };

  const rows: Array<[string, string]> = [
    ['mode', `${summary.mode} (${machine.nproc} cores, node ${machine.node})`],
    ['lifecycles', `${summary.completed}/${cases} completed, concurrency ${concurrency}`],
    ['lifecycles/s (service)', String(summary.lifecyclesPerSecond)],
    ['lifecycles/s (bare Temporal)', String(summary.baselineLifecyclesPerSecond)],
    ['throughput ratio', String(summary.throughputRatio)],
    ['submission ms p50/p95/p99', fmt(summary.submissionLatencyMs)],
    ['staff action ms p50/p95/p99', fmt(summary.actionLatencyMs)],
    ['bare Update ms p50/p95/p99', fmt(summary.baselineUpdateLatencyMs)],
    ['bare query ms p50/p95/p99', fmt(summary.baselineQueryLatencyMs)],
    ['action p99 / Update p99', String(summary.actionP99OverBaselineP99)],
    ...Object.entries(byAction).map(([k, v]) => [`  ${k} ms`, fmt(v)] as [string, string]),
    ['lifecycle ms p50/p95/p99', fmt(summary.lifecycleMs)],
    ['bare lifecycle ms p50/p95/p99', fmt(summary.baselineLifecycleMs)],
    ['activities per lifecycle', String(summary.activitiesPerLifecycle ?? 'unknown (baseline used 12)')],
    ['peak RSS MB worker/api/temporal', `${summary.workerRssMb}/${summary.apiRssMb}/${summary.temporalServerRssMb ?? '-'}${summary.combinedProcess ? ' (worker and API share one process)' : ''}`],
    ['CPU s during run', `${Object.entries(cpu).map(([k, v]) => `${k} ${v}`).join(', ')} (wall ${round(wallMs / 1000, 1)} s, ${machine.nproc} cores)`],
    ...saturationRows(saturation),
    ['errors', `${summary.errors} (failed ${failed.length}, unexpected ${unexpected}, transient retries ${transientRetries}${floor ? `, engine floor failed ${floor.lifecycles.filter((l) => !l.ok).length}` : ''})`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n\n`);

  const resultsDir = path.join(PROJECT_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : saturate ? '-saturate' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`report: ${path.relative(PROJECT_ROOT, file)}`);
  return summary;
}

function saturationRows(s: Record<string, any> | null): Array<[string, string]> {
  if (!s) return [];
  const kinds = (c: ActionCounts | null) =>
    c ? `${c.total} (start ${c.start}, activities ${c.activities}, LA batches ${c.localActivityBatches} [${c.localActivities} LAs], timers ${c.timers}, upserts ${c.upserts}, updates ${c.updates}, signals ${c.signals}, markers ${c.markers}, children ${c.children}; ${c.workflowTasks} WFTs)` : '-';
  const cpu = s.cpuSecondsPerLifecycle;
  return [
    ['SATURATION', `service ${s.lifecyclesPerSecond} / bare ${s.baselineLifecyclesPerSecond} lifecycles/s, ratio ${s.ratio}`],
    ['  CPU-s per lifecycle, machine', `service ${cpu.machine.service} / bare ${cpu.machine.baseline}: CPU ratio ${s.cpuRatio}`],
    ['  CPU-s per lifecycle, service', `ours ${cpu.service.ours}, Temporal ${cpu.service.temporal} (bench driver ${cpu.service.benchDriver}); ${s.trackingRequestsPerLifecycle} tracking requests per lifecycle`],
    ['  CPU-s per lifecycle, bare', `worker+client ${cpu.baseline.workerAndClient}, Temporal ${cpu.baseline.temporal}`],
    ['  Temporal actions/lifecycle, service', kinds(s.temporalActionsPerLifecycle.service)],
    ['  Temporal actions/lifecycle, bare', kinds(s.temporalActionsPerLifecycle.baseline)],
    ['  actions ratio (service / bare)', String(s.temporalActionsPerLifecycle.ratio)],
    ...(s.engineFloor
      ? ([
          ['ENGINE FLOOR (case workflow, no-op activities)', `${s.engineFloor.completed} completed, ${s.engineFloor.lifecyclesPerSecond} lifecycles/s, ratio to bare ${s.engineFloor.ratio}`],
          ['  CPU-s per lifecycle, floor', `machine ${s.engineFloor.cpuSecondsPerLifecycle.machine} (worker+client ${s.engineFloor.cpuSecondsPerLifecycle.workerAndClient}, Temporal ${s.engineFloor.cpuSecondsPerLifecycle.temporal}): CPU ratio to bare ${s.engineFloor.cpuRatio}`],
          ['  Update ms p50/p95/p99, floor', `${fmt(s.engineFloor.updateLatencyMs)}; ${s.engineFloor.pollsPerLifecycle} state queries per lifecycle`],
          ['  Temporal actions/lifecycle, floor', kinds(s.engineFloor.temporalActionsPerLifecycle)],
        ] as Array<[string, string]>)
      : []),
    ['  peak RSS MB', Object.entries(s.peakRssMb).map(([k, v]) => `${k} ${v}`).join(', ')],
  ];
}

function fmt(p: { p50: number; p95: number; p99: number }): string {
  return `${p.p50} / ${p.p95} / ${p.p99}`;
}

async function cleanup() {
  for (const p of processes.reverse()) await p.stop().catch(() => undefined);
  if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  else log(`kept ${dataDir}`);
}

// A hard bound on the whole run: a bench never hangs a terminal or CI.
const hardLimit = setTimeout(() => {
  log('time limit reached; stopping');
  void cleanup().finally(() => process.exit(2));
}, (quick ? 170 : 1800) * 1000);
hardLimit.unref();

try {
  const summary = await main();
  await cleanup();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(0);
} catch (e) {
  log(`failed: ${(e as Error).stack ?? e}`);
  for (const p of processes) log(`log of ${p.name}: ${p.logPath}`);
  args.keep = true;
  await cleanup();
  process.stdout.write(`${JSON.stringify({ error: (e as Error).message, cases, errors: cases })}\n`);
  process.exit(1);
}
