/**
 * Temporal actions of the recorded workflow-test histories, by kind (`bench/lib/history-actions.ts`):
 * `npx tsx bench/history-actions-cli.ts v4 v5` prints one row per history of those generations and,
 * for each generation, the mean over the scenarios recorded in all of them (so the means compare
 * the same scenarios). No server needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import proto from '@temporalio/proto';
const { temporal } = proto;
import { ACTION_KINDS, countActions, meanActions, type ActionCounts } from './lib/history-actions.js';

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'histories');
const gens = process.argv.slice(2);
if (!gens.length) {
  console.error('usage: tsx bench/history-actions-cli.ts <generation> [<generation> ...]   e.g. v4 v5');
  process.exit(2);
}
const byGen = new Map<string, Map<string, ActionCounts>>();
for (const g of gens) byGen.set(g, new Map());
for (const f of fs.readdirSync(dir).sort()) {
  const m = /^(.*)\.(v\d+)\.json$/.exec(f);
  if (!m || !byGen.has(m[2]!)) continue;
  const h = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>);
  byGen.get(m[2]!)!.set(m[1]!, countActions(h));
}
const cols = [...ACTION_KINDS, 'total', 'localActivities', 'workflowTasks'] as const;
const line = (name: string, c: ActionCounts) => console.log(name.padEnd(40), cols.map((k) => String(c[k]).padStart(k.length)).join(' '));
console.log(''.padEnd(40), cols.join(' '));
const common = [...byGen.values()].map((m) => new Set(m.keys())).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
for (const [g, m] of byGen) {
  for (const [name, c] of m) line(`${name}.${g}`, c);
}
for (const [g, m] of byGen) {
  const mean = meanActions([...common].map((n) => m.get(n)!));
  if (mean) line(`mean ${g} (${common.size} common scenarios)`, mean);
}
