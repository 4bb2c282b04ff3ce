/**
 * Determinism guard: every recorded history under test/histories (written by the workflow tests
 * on first run and committed) must replay against the current workflow code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../../worker/worker.js';
import { HISTORIES_DIR } from './support.js';

it('replays every recorded case history without nondeterminism', async () => {
  const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThanOrEqual(5);
  const histories = files.map((f) => ({ workflowId: path.basename(f, '.json'), history: loadHistory(path.join(HISTORIES_DIR, f)) }));
  const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle(), replayName: 'becak-pintar-replay' }, histories);
  const failures: string[] = [];
  let count = 0;
  for await (const r of results) {
    count++;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(count).toBe(files.length);
  expect(failures).toEqual([]);
});

/** The files hold protobufjs' JSON form of History (what `fetchHistory()` serialises to): fromObject reads it back. */
function loadHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
}
