/**
 * `npm run bench:workflow [-- --replays 100] [--case test/histories/happy-path.v5.json]`
 *
 * What one lifecycle costs in the worker's workflow thread, without a server, a database or an
 * API: replays two histories recorded by `npm run bench` in the same run (bench/fixtures) — a
 * case lifecycle of the real workflow and a lifecycle of the bare baseline workflow — many times
 * each, and prints CPU per lifecycle and per workflow task, and their ratio. The histories carry
 * no personal data (the workflow's payloads never do). Reports only; never asserts. `--case` replays
 * another case history instead (e.g. the workflow tests' recorded generations, to compare two
 * patch generations of the same scenario).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { PROJECT_ROOT } from './lib/processes.js';
import { round } from './lib/stats.js';
import { quietBundlerLogger } from '../worker/worker.js';

const { values: args } = parseArgs({ options: { replays: { type: 'string', default: '100' }, case: { type: 'string', default: 'bench/fixtures/case-lifecycle.history.json' } } });
const replays = Number(args.replays);
Runtime.install({ logger: new DefaultLogger('WARN') });

type History = proto.temporal.api.history.v1.History;
function loadHistory(file: string): History {
  return proto.temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')) as Record<string, unknown>);
}

async function measure(name: string, workflowsPath: string, historyFile: string) {
  const history = loadHistory(historyFile);
  const workflowTasks = (history.events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).length;
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ workflowsPath: path.join(PROJECT_ROOT, workflowsPath), logger: quietBundlerLogger });
  const run = async (n: number) => {
    const histories = Array.from({ length: n }, (_, i) => ({ workflowId: `${name}-${i}`, history }));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let failed = 0;
    for await (const r of Worker.runReplayHistories({ workflowBundle: bundle, replayName: `bench-${name}` }, histories)) if (r.error) failed++;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, failed };
  };
  await run(Math.min(10, replays)); // warm-up: JIT, the replay worker's start-up
  const r = await run(replays);
  if (r.failed) throw new Error(`${name}: ${r.failed} replays failed (the fixture no longer matches the workflow code)`);
  const perLifecycle = r.cpuMs / replays;
  return { name, workflowTasks, replays, cpuMsPerLifecycle: round(perLifecycle, 2), cpuMsPerWorkflowTask: round(perLifecycle / workflowTasks, 2), wallMsPerLifecycle: round(r.wallMs / replays, 2) };
}

const service = await measure('case', 'workflows/index.ts', args.case);
const bare = await measure('bare', 'bench/baseline-workflow.ts', 'bench/fixtures/bare-lifecycle.history.json');
const rows: Array<[string, string]> = [
  ['replays of each history', String(replays)],
  ['workflow tasks per lifecycle (case / bare)', `${service.workflowTasks} / ${bare.workflowTasks}`],
  ['CPU ms per lifecycle (case / bare)', `${service.cpuMsPerLifecycle} / ${bare.cpuMsPerLifecycle}`],
  ['CPU ms per workflow task (case / bare)', `${service.cpuMsPerWorkflowTask} / ${bare.cpuMsPerWorkflowTask}`],
  ['ratio per lifecycle', String(round(service.cpuMsPerLifecycle / bare.cpuMsPerLifecycle, 2))],
];
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(45)}${v}\n`);
process.stdout.write(`${JSON.stringify({ case: service, bare, cpuRatioPerLifecycle: round(service.cpuMsPerLifecycle / bare.cpuMsPerLifecycle, 2) })}\n`);
