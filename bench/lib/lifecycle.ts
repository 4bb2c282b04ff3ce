/**
 * Drives full case lifecycles through the HTTP API exactly as staff would: the admin creates the
 * staff accounts and adds blank stock; an applicant submits; each role logs in and takes its
 * action when the case reaches its step; the courier picks up and hands over; the applicant's
 * tracking shows COMPLETED. Used by `npm run bench` and the fault tests.
 */
import { SOP_ROLES, STEP_KEYS, type StepKey, type WaitingForKey } from '../../domain/sop.js';
import { ApiClient, idempotencyKey, sleep, type ApiResponse } from './http.js';
import type { CasePlan } from './fixtures.js';

export type StaffRole = 'operator' | 'subkoordinator' | 'kabid' | 'ekspedisi';
export type Tokens = Record<StaffRole | 'admin', string> & {
  /** The kabid's account password: the approval's TTE asks for it again as the signing passphrase (api/bulk/passphrase.ts). */
  signingPassphrase?: string;
};

export class LifecycleError extends Error {
  constructor(message: string, readonly response?: ApiResponse) {
    super(message);
    this.name = 'LifecycleError';
  }
}

function describe(res: ApiResponse): string {
  const b = res.body as any;
  return `HTTP ${res.status}${b && typeof b === 'object' ? `: ${b.title ?? ''} ${b.detail ?? ''}`.trimEnd() : ''}`;
}

export async function login(api: ApiClient, username: string, password: string): Promise<string> {
  const res = await api.post('/api/auth/login', { username, password });
  if (res.status !== 200 || !res.body?.token) throw new LifecycleError(`login ${username}: ${describe(res)}`, res);
  return res.body.token as string;
}

/** The password `setupStaff` gives its accounts (the kabid re-enters it to sign an approval). */
export function staffPassword(prefix: string): string {
  // Passes the password policy (domain/password-policy.ts): no part of the name "Petugas Uji …".
  return `Kunci-${prefix}-Beban-2026`;
}

/** Creates one account per SOP role (names prefixed, so reruns on one database do not collide) and logs each in. */
export async function setupStaff(api: ApiClient, admin: { username: string; password: string }, prefix: string): Promise<Tokens> {
  const adminToken = await login(api, admin.username, admin.password);
  const tokens = { admin: adminToken } as Tokens;
  const password = staffPassword(prefix);
  for (const role of SOP_ROLES) {
    const username = `${prefix}-${role.slice(0, 4)}`;
    const res = await api.post('/api/staff', { username, name: `Petugas Uji ${role}`, role, password }, { token: adminToken });
    if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw new LifecycleError(`create staff ${username}: ${describe(res)}`, res);
    tokens[role] = await login(api, username, password);
  }
  tokens.signingPassphrase = password;
  return tokens;
}

export async function addBlanks(api: ApiClient, token: string, documentType: 'KTP_EL' | 'KIA', quantity: number): Promise<void> {
  const res = await api.post('/api/blanks', { documentType, quantity, note: 'Stok uji beban' }, { token, headers: { 'idempotency-key': idempotencyKey() } });
  if (res.status < 200 || res.status > 299) throw new LifecycleError(`add blanks ${documentType}: ${describe(res)}`, res);
}

export interface ActionTiming {
  action: string;
  ms: number;
}

export interface LifecycleResult {
  index: number;
  registrationNumber?: string;
  ok: boolean;
  error?: string;
  submissionMs?: number;
  actions: ActionTiming[];
  /** Submission to COMPLETED seen in tracking. */
  totalMs?: number;
  /** `confirm-print: failed` answers 200 (each should cost one damaged blank and one reprint). */
  failedPrintsAccepted: number;
  /** 409 answers while the case was not yet at the action's step (the driver then waited and retried). */
  notReadyRetries: number;
  /** Answers neither 2xx nor an expected not-ready 409. */
  unexpected: number;
  /** Tracking requests this lifecycle sent (its polls). */
  trackingRequests: number;
}

export interface LifecycleOptions {
  pollMs?: number;
  /** How long to wait for one step (or COMPLETED) before giving up. */
  stepTimeoutMs?: number;
  /** Called after submission (fault tests record every registration number at once). */
  onSubmitted?: (registrationNumber: string) => void;
}

export interface Step {
  step: StepKey;
  /** What the workflow waits for when this action is due (the read model's `waitingFor`). */
  waitingFor: WaitingForKey;
  action: string;
  role: StaffRole;
  body: Record<string, unknown>;
}

/** The staff actions of a plan's lifecycle, in order (the engine-floor run sends the same). */
export function actionsFor(plan: CasePlan): Step[] {
  const steps: Step[] = [
    { step: 'DOCUMENT_VERIFICATION', waitingFor: 'STAFF_ACTION', action: 'verify-documents', role: 'operator', body: { decision: 'approve' } },
    { step: 'PRINT_VERIFICATION', waitingFor: 'STAFF_ACTION', action: 'verify-print', role: 'subkoordinator', body: { decision: 'approve' } },
    { step: 'APPROVAL', waitingFor: 'STAFF_ACTION', action: 'approve', role: 'kabid', body: { decision: 'approve' } },
  ];
  for (let i = 0; i < plan.failedPrints; i++) {
    steps.push({ step: 'PRINTING', waitingFor: 'PRINT_CONFIRMATION', action: 'confirm-print', role: 'operator', body: { result: 'failed', reason: `Blangko tergores saat dicetak (uji ${i + 1})` } });
  }
  steps.push({ step: 'PRINTING', waitingFor: 'PRINT_CONFIRMATION', action: 'confirm-print', role: 'operator', body: { result: 'ok' } });
  steps.push({ step: 'HANDOVER', waitingFor: 'COURIER', action: 'pickup', role: 'ekspedisi', body: { courierName: 'Kurir Uji' } });
  const needsOldCard = plan.reason === 'DAMAGED' || plan.reason === 'DATA_CHANGE';
  steps.push({
    step: 'HANDOVER',
    waitingFor: 'COURIER',
    action: 'handover',
    role: 'ekspedisi',
    body: { receivedBy: 'Penerima Uji', relationship: 'SELF', ...(needsOldCard ? { oldCardCollected: true } : {}) },
  });
  return steps;
}

/** The number of Updates a plan's lifecycle sends (the baseline sends the same). */
export function actionCount(plan: CasePlan): number {
  return actionsFor(plan).length;
}

interface Tracking {
  status: string;
  currentStep: StepKey;
  waitingFor: WaitingForKey | null;
}

export async function track(api: ApiClient, registrationNumber: string, nik: string): Promise<Tracking> {
  const res = await api.post('/api/tracking', { registrationNumber, nik });
  if (res.status !== 200) throw new LifecycleError(`tracking ${registrationNumber}: ${describe(res)}`, res);
  return res.body as Tracking;
}

/** Polls tracking until `done(state)`; throws on a terminal status other than COMPLETED or at the deadline. */
async function waitFor(poll: () => Promise<Tracking>, regNo: string, what: string, done: (t: Tracking) => boolean, opts: LifecycleOptions): Promise<Tracking> {
  const deadline = Date.now() + (opts.stepTimeoutMs ?? 120_000);
  for (;;) {
    const t = await poll();
    if (done(t)) return t;
    if (t.status !== 'IN_PROGRESS' && t.status !== 'AWAITING_RESUBMISSION') {
      throw new LifecycleError(`${regNo} ended ${t.status} at ${t.currentStep} while waiting for ${what}`);
    }
    if (Date.now() > deadline) throw new LifecycleError(`${regNo} still at ${t.currentStep} (${t.status}) after waiting for ${what}`);
    await sleep(opts.pollMs ?? 100);
  }
}

const stepPos = (s: StepKey) => STEP_KEYS.indexOf(s);

export async function runLifecycle(api: ApiClient, tokens: Tokens, plan: CasePlan, opts: LifecycleOptions = {}): Promise<LifecycleResult> {
  const result: LifecycleResult = { index: plan.index, ok: false, actions: [], failedPrintsAccepted: 0, notReadyRetries: 0, unexpected: 0, trackingRequests: 0 };
  const t0 = performance.now();
  try {
    // The same Idempotency-Key on every retry: a submission whose answer was lost is not duplicated.
    const key = idempotencyKey();
    const sub = await api.post('/api/applications', plan.body, { headers: { 'idempotency-key': key } });
    result.submissionMs = performance.now() - t0;
    if (sub.status !== 201) {
      result.unexpected++;
      throw new LifecycleError(`submission #${plan.index}: ${describe(sub)}`, sub);
    }
    const regNo = sub.body.registrationNumber as string;
    result.registrationNumber = regNo;
    const poll = () => {
      result.trackingRequests++;
      return track(api, regNo, plan.nik);
    };
    opts.onSubmitted?.(regNo);

    for (const step of actionsFor(plan)) {
      // Like staff, and like the baseline's client (which polls its workflow's query), act once the
      // workflow waits for this action. The step alone is not enough: a new case shows step 2 from
      // its submission, before its workflow has started, and step 5 shows while the card prints.
      await waitFor(poll, regNo, step.step, (t) => t.currentStep === step.step && t.status === 'IN_PROGRESS' && t.waitingFor === step.waitingFor, opts);
      const deadline = Date.now() + (opts.stepTimeoutMs ?? 120_000);
      for (;;) {
        const a0 = performance.now();
        const body = step.action === 'approve' && tokens.signingPassphrase ? { ...step.body, passphrase: tokens.signingPassphrase } : step.body;
        const res = await api.post(`/api/applications/${regNo}/actions/${step.action}`, body, { token: tokens[step.role] });
        const ms = performance.now() - a0;
        if (res.status === 200) {
          result.actions.push({ action: step.action, ms });
          if (step.action === 'confirm-print' && step.body.result === 'failed') result.failedPrintsAccepted++;
          break;
        }
        if (res.status === 409) {
          // Not ready yet (e.g. the print is still running), or already applied by an earlier attempt
          // whose answer was lost: tracking tells which.
          const t = await poll();
          if (stepPos(t.currentStep) > stepPos(step.step) || t.status === 'COMPLETED') break;
          if (step.action === 'pickup') break; // optional step; a 409 means it was already recorded
          if (Date.now() > deadline) {
            result.unexpected++;
            throw new LifecycleError(`${step.action} on ${regNo} kept answering ${describe(res)}`, res);
          }
          result.notReadyRetries++;
          await sleep(opts.pollMs ?? 100);
          continue;
        }
        result.unexpected++;
        throw new LifecycleError(`${step.action} on ${regNo}: ${describe(res)}`, res);
      }
    }
    await waitFor(poll, regNo, 'COMPLETED', (t) => t.status === 'COMPLETED', opts);
    result.totalMs = performance.now() - t0;
    result.ok = true;
  } catch (e) {
    result.error = (e as Error).message;
  }
  return result;
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  });
  await Promise.all(workers);
  return results;
}
