/** Shared fixtures for the workflow and activity tests: a seeded case, a worker with real activities, polling, history recording. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseHandle } from '../../db/connect.js';
import { parseConfig, type Config } from '../../infra/config.js';
import { createFileStore, type FileStore } from '../../infra/files.js';
import { silentLogger } from '../../infra/logger.js';
import { createAdapters, type Adapters } from '../../activities/adapters/index.js';
import { createWorker } from '../../worker/worker.js';
import { createTestDatabase } from '../helpers/db.js';
import { caseWorkflowStartOptions } from '../../workflows/start-options.js';
import { CASE_WORKFLOW_TYPE, caseStateQuery, type CaseState, type CaseWorkflowInput } from '../../workflows/messages.js';
import type { DocumentType, RequestReason, Role } from '../../domain/sop.js';
import type { CasePolicy } from '../../domain/policy.js';

/** Personal data of every seeded case: distinctive, so a leak into a Temporal history is findable. */
export const PERSONAL = {
  nik: '3315014507900123',
  kk: '3315010101090042',
  subjectName: 'Siti Rahayu Wulandari',
  contactName: 'Bambang Sutejo Prawiro',
  phone: '+6281234567890',
  address: 'Jl. Diponegoro Gang Melati No. 17',
  village: 'Kuripan',
} as const;

let counter = 0;
export function newRegistrationNumber(): string {
  counter += 1;
  const rand = Math.floor(Math.random() * 9000) + 1000;
  return `BP-20261123-${String(rand).padStart(4, '0')}${counter}`;
}

export interface Harness {
  db: Kysely<Database>;
  database: DatabaseHandle;
  files: FileStore;
  config: Readonly<Config>;
  adapters: Adapters;
  dataDir: string;
  worker?: Worker;
  close(): Promise<void>;
}

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-wf-'));
  const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SLA_CLOCK: 'wall', HOLIDAYS: '[]', PUBLIC_BASE_URL: 'https://becak.example.test', ...env });
  const database = await createTestDatabase();
  const files = createFileStore(config.filesDir);
  const adapters = await createAdapters(config, files, database.db);
  return {
    db: database.db,
    database,
    files,
    config,
    adapters,
    dataDir,
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startWorker(h: Harness, connection: NativeConnection, namespace = 'default', taskQueue?: string): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const worker = await createWorker({ connection, namespace, taskQueue, db: h.db, files: h.files, config: h.config, logger: silentLogger, adapters: h.adapters });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

export async function seedCase(
  db: Kysely<Database>,
  o: { registrationNumber?: string; documentType?: DocumentType; reason?: RequestReason; district?: string; submittedAt?: number } = {},
): Promise<{ registrationNumber: string; documentType: DocumentType; reason: RequestReason; district: string; submittedAt: number }> {
  const registrationNumber = o.registrationNumber ?? newRegistrationNumber();
  const submittedAt = o.submittedAt ?? Date.now();
  const documentType = o.documentType ?? 'KTP_EL';
  const reason = o.reason ?? 'NEW';
  const district = o.district ?? 'Purwodadi';
  await db
    .insertInto('cases')
    .values({
      registration_number: registrationNumber,
      document_type: documentType,
      reason,
      status: 'IN_PROGRESS',
      current_step: 'DOCUMENT_VERIFICATION',
      // A different NIK per case: the one-open-case index is per subject.
      subject_nik: `${PERSONAL.nik.slice(0, 12)}${String(counter).padStart(4, '0')}`,
      subject_name: PERSONAL.subjectName,
      subject_birth_date: '1990-07-05',
      subject_married: false,
      kk_number: PERSONAL.kk,
      contact_name: PERSONAL.contactName,
      contact_phone: PERSONAL.phone,
      address: PERSONAL.address,
      rt: '003',
      rw: '005',
      village: PERSONAL.village,
      district,
      delivery_note: null,
      workflow_started: true,
      submitted_at: new Date(submittedAt),
      updated_at: new Date(submittedAt),
    })
    .execute();
  return { registrationNumber, documentType, reason, district, submittedAt };
}

export async function seedStaff(db: Kysely<Database>, username: string, role: Role, phone: string | null, name = `Petugas ${username}`): Promise<void> {
  await db
    .insertInto('staff')
    .values({ username, name, role, password_hash: 'x', phone })
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
}

export async function addBlanks(db: Kysely<Database>, documentType: DocumentType, quantity: number): Promise<void> {
  const { addStock } = await import('../../db/repositories/blanks.js');
  await addStock(db, { documentType, quantity, note: 'test', actorUsername: 'admin', idempotencyKey: randomUUID() });
}

/** Stores an action body like the API does; returns its id for the workflow message. */
export async function saveInput(db: Kysely<Database>, registrationNumber: string, action: string, body: Record<string, unknown>, actor?: { username: string; role: Role }): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('action_inputs')
    .values({ id, registration_number: registrationNumber, action, actor_username: actor?.username ?? null, actor_role: actor?.role ?? null, body: JSON.stringify(body) })
    .execute();
  return id;
}

export function caseInput(c: { registrationNumber: string; documentType: DocumentType; reason: RequestReason; district: string; submittedAt: number }, policy: CasePolicy): CaseWorkflowInput {
  return { ...c, policy };
}

export async function startCase(client: Client, input: CaseWorkflowInput, taskQueue?: string): Promise<WorkflowHandle> {
  const opts = caseWorkflowStartOptions(input);
  return client.workflow.start(CASE_WORKFLOW_TYPE, { ...opts, ...(taskQueue ? { taskQueue } : {}) });
}

/** Polls the case query until `pred` holds (real time; activities run in real time). */
export async function waitForState(handle: WorkflowHandle, pred: (s: CaseState) => boolean, what: string, timeoutMs = 30_000): Promise<CaseState> {
  const deadline = Date.now() + timeoutMs;
  let last: CaseState | undefined;
  for (;;) {
    try {
      last = await handle.query(caseStateQuery);
      if (pred(last)) return last;
    } catch {
      // not started yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}; last state: ${JSON.stringify(last && { status: last.status, step: last.currentStep, waitingFor: last.waitingFor, seq: last.seq, level: last.escalationLevel })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls a database condition (activities are asynchronous to the query). */
export async function eventually<T>(fn: () => Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const HISTORIES_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'histories');

/**
 * The workflow code generation the tests record. Bump it with every versioned (`patched`) change
 * of the workflow: the new histories are recorded beside the old ones, and the replay test keeps
 * checking that both still replay.
 */
export const HISTORY_GENERATION = 'v5';

/** Saves the workflow's history as a replay fixture the first time (committed under test/histories). */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const file = path.join(HISTORIES_DIR, `${name}.${HISTORY_GENERATION}.json`);
  if (fs.existsSync(file)) return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(history, null, 1));
}

export const staff = {
  operator: { username: 'op1', role: 'operator' as const },
  subkoordinator: { username: 'sub1', role: 'subkoordinator' as const },
  kabid: { username: 'kabid1', role: 'kabid' as const },
  kadis: { username: 'kadis1', role: 'kadis' as const },
  ekspedisi: { username: 'kurir1', role: 'ekspedisi' as const },
  admin: { username: 'admin', role: 'admin' as const },
};

export async function seedAllStaff(db: Kysely<Database>): Promise<void> {
  await seedStaff(db, 'op1', 'operator', '+6281100000001', 'Operator Satu');
  await seedStaff(db, 'sub1', 'subkoordinator', '+6281100000002', 'Sub Koordinator Satu');
  await seedStaff(db, 'kabid1', 'kabid', '+6281100000003', 'Kepala Bidang Satu');
  await seedStaff(db, 'kadis1', 'kadis', null, 'Kepala Dinas');
  await seedStaff(db, 'kurir1', 'ekspedisi', null, 'Kurir Satu');
}

import { standardMinutesTable, type StepKey } from '../../domain/sop.js';
export function testPolicy(o: Partial<CasePolicy> & { minutes?: Partial<Record<StepKey, number>> } = {}): CasePolicy {
  const { minutes, ...rest } = o;
  return { standardMinutes: standardMinutesTable(minutes ?? {}), slaClock: 'wall', holidays: [], resubmissionDays: 14, ...rest };
}

/** Kept for the existing tests: the helper now registers our search attributes itself. */
export { createTimeSkippingEnv as createTimeSkippingEnvWithSearchAttributes } from '../helpers/temporal.js';

/**
 * Terminates a running case on the time-skipping server only when it is idle: no activity and no
 * workflow task in flight. The test server never releases the time-skipping lock that such a task
 * holds once its workflow is terminated, so every later `env.sleep` would run in real time (seen in
 * CI as three hung escalation tests).
 */
export async function terminateWhenIdle(handle: WorkflowHandle, timeoutMs = 30_000): Promise<void> {
  const E = temporal.api.enums.v1.EventType;
  const TASK_EVENTS = new Set([
    E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    E.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  ]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return;
    const pendingActivities = d.raw.pendingActivities?.length ?? 0;
    const events = (await handle.fetchHistory()).events ?? [];
    const lastTask = events.filter((e) => TASK_EVENTS.has(e.eventType!)).at(-1);
    const taskInFlight = lastTask?.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
    if (pendingActivities === 0 && !taskInFlight) {
      await handle.terminate('test finished');
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${handle.workflowId}: still busy after ${timeoutMs} ms (${pendingActivities} activities, workflow task in flight: ${taskInFlight}); terminating would stall time skipping`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
