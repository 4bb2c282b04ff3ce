/**
 * The password policy's strength estimate (domain/password-policy.ts) computed by zxcvbn-ts in a
 * worker thread that ends after a short idle time. Loaded in the service's own thread, zxcvbn's
 * dictionaries held ≈ 70 MB of resident memory for the process's whole life (measured for issue
 * #17), for a check made only when a password is set or reset. A burst of checks (an admin creating
 * several accounts, a test file) shares one thread.
 */
import { Worker } from 'node:worker_threads';
import { checkPassword as checkWith, type PasswordCheck, type StrengthEstimate } from '../domain/password-policy.js';

const WORKER_URL = new URL('./password-strength-worker.mjs', import.meta.url);
/** How long an idle estimator thread is kept for the next check. */
const IDLE_MS = 15_000;

interface Pending {
  resolve: (e: StrengthEstimate) => void;
  reject: (e: Error) => void;
}

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function estimatorThread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_URL);
  w.unref(); // never keeps the process alive on its own
  w.on('message', (m: { id: number; score?: number; dictionaries?: string[]; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`password strength estimate failed: ${m.error}`));
    else p.resolve({ score: m.score!, dictionaries: m.dictionaries! });
    if (pending.size === 0) scheduleStop();
  });
  w.on('error', (e) => {
    if (worker === w) worker = undefined;
    failAll(e);
  });
  w.on('exit', (code) => {
    if (worker === w) worker = undefined;
    if (pending.size > 0) failAll(new Error(`password strength thread exited with code ${code}`));
  });
  worker = w;
  return w;
}

function scheduleStop(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const w = worker;
    if (w && pending.size === 0) {
      worker = undefined;
      void w.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref();
}

/** zxcvbn's estimate of `password` with the account's words as user inputs, from the worker thread. */
export function estimateStrength(password: string, userInputs: string[]): Promise<StrengthEstimate> {
  clearTimeout(idleTimer);
  const w = estimatorThread();
  const id = nextId++;
  return new Promise<StrengthEstimate>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, password, userInputs });
  });
}

/** The password policy (SPEC §9) for the account `username` named `name`. */
export function checkPassword(password: string, account: { username: string; name?: string | null }): Promise<PasswordCheck> {
  return checkWith(password, account, estimateStrength);
}
