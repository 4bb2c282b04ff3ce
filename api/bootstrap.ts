/** Start-up chores of the API: the first admin account and the workflow-start sweeper. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { countActiveAdmins, createStaff, findStaff } from '../db/repositories/staff.js';
import { listUnstartedCases } from '../db/repositories/cases.js';
import { generateTemporaryPassword, hashPassword } from './auth.js';
import { checkPassword } from '../infra/password-strength.js';
import { startCaseWorkflow } from './submission.js';

/**
 * With no active admin, creates one from ADMIN_USERNAME / ADMIN_PASSWORD; a generated password is
 * written to `${dataDir}/initial-admin-password.txt` (0600) and returned so the entry point prints it once.
 */
export async function ensureAdmin(
  db: Kysely<Database>,
  config: Readonly<Config>,
  logger: Logger,
): Promise<{ created: boolean; username: string; generatedPassword?: string }> {
  const username = config.ADMIN_USERNAME;
  if ((await countActiveAdmins(db)) > 0) return { created: false, username };
  if (await findStaff(db, username)) {
    // The username exists with another role or inactive: do not silently take it over.
    logger.warn('no active admin, and ADMIN_USERNAME is taken by another account', { username });
    return { created: false, username };
  }
  const generated = config.ADMIN_PASSWORD ? undefined : generateTemporaryPassword();
  if (config.ADMIN_PASSWORD) {
    const verdict = await checkPassword(config.ADMIN_PASSWORD, { username, name: 'Administrator' });
    // Set on purpose by whoever runs the service: used as given, but said loudly.
    if (!verdict.ok) logger.warn('ADMIN_PASSWORD does not meet the password policy; change it after the first login', { username, problem: verdict.problem });
  }
  const password = config.ADMIN_PASSWORD ?? generated!;
  // A generated password has been printed and saved to a file: it must be changed at first login
  // (and the file is deleted then). An ADMIN_PASSWORD chosen by whoever runs the service is theirs.
  const created = await createStaff(db, {
    username,
    name: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(password),
    phone: null,
    mustChangePassword: Boolean(generated),
  });
  if (!created) return { created: false, username };
  if (generated) {
    await fs.mkdir(config.dataDir, { recursive: true });
    const file = initialAdminPasswordFile(config);
    await fs.writeFile(file, `${username}\n${generated}\n`, { mode: 0o600 });
    await fs.chmod(file, 0o600);
  }
  logger.info('admin account created', { username, passwordGenerated: Boolean(generated) });
  return { created: true, username, ...(generated ? { generatedPassword: generated } : {}) };
}

export function initialAdminPasswordFile(config: Readonly<Config>): string {
  return path.join(config.dataDir, 'initial-admin-password.txt');
}

/** Deletes the saved generated password once its account has chosen its own (first line: username). */
export async function removeInitialAdminPasswordFile(config: Readonly<Config>, username: string, logger: Logger): Promise<void> {
  const file = initialAdminPasswordFile(config);
  let content: string;
  try {
    content = await fs.readFile(file, 'utf8');
  } catch {
    return;
  }
  if (content.split('\n')[0]?.trim() !== username) return;
  await fs.rm(file, { force: true });
  logger.info('initial admin password file deleted after the password change', { username });
}

/**
 * Starts workflows for case rows whose start was never confirmed (a crash or a Temporal outage
 * between the insert and the start). Rows younger than `graceMs` are left to the request itself.
 */
export function startWorkflowSweeper(deps: {
  db: Kysely<Database>;
  temporal: Client;
  logger: Logger;
  config?: Readonly<Config>;
  intervalMs?: number;
  graceMs?: number;
}): { stop(): Promise<void>; sweepOnce(): Promise<number> } {
  const intervalMs = deps.intervalMs ?? 15_000;
  const graceMs = deps.graceMs ?? 10_000;
  let running: Promise<number> | null = null;
  let stopped = false;

  const sweepOnce = async (): Promise<number> => {
    const rows = await listUnstartedCases(deps.db, new Date(Date.now() - graceMs));
    let started = 0;
    for (const r of rows) {
      if (stopped) break;
      const policyConfig = deps.config ?? (await defaultPolicyConfig());
      const ok = await startCaseWorkflow(
        { db: deps.db, temporal: deps.temporal, config: policyConfig, logger: deps.logger },
        { registrationNumber: r.registration_number, documentType: r.document_type, reason: r.reason, district: r.district, submittedAt: new Date(r.submitted_at) },
      );
      if (ok) {
        started++;
        deps.logger.info('sweeper started a pending workflow', { registrationNumber: r.registration_number });
      }
    }
    return started;
  };

  const tick = () => {
    if (stopped || running) return;
    running = sweepOnce()
      .catch((e: unknown) => {
        deps.logger.warn('workflow sweeper pass failed', { error: (e as Error).message });
        return 0;
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    sweepOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}

/** Without a config, cases start under the defaults of the environment (parsed lazily). */
async function defaultPolicyConfig(): Promise<Readonly<Config>> {
  const { parseConfig } = await import('../infra/config.js');
  return parseConfig();
}
