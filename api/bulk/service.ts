/**
 * One decision for several cases (issue #14 item 2): each case goes through the same Update as a
 * single decision (`executeCaseAction`: idempotent, refused by the workflow when the step does not
 * fit), so a bulk decision is never more than the sum of single ones. A case that fails does not
 * stop the others; each gets its own result in plain Indonesian.
 */
import type { Request } from 'express';
import { ACTION_RULES, ROLE_LABELS, sopStep, type Role } from '../../domain/sop.js';
import { approvalStatement, bulkSummaryText, type BulkAction, type BulkOutcome } from '../../domain/task-list.js';
import { findCase } from '../../db/repositories/cases.js';
import { liveClaims } from '../../db/repositories/task-list.js';
import type { CaseRow } from '../../db/schema.js';
import { findStaff } from '../../db/repositories/staff.js';
import { executeCaseAction } from '../case-actions.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from '../context.js';

/** How many cases are decided at the same time (each is one Update; the workflows are independent). */
const CONCURRENCY = 4;

export interface BulkItemResult {
  registrationNumber: string;
  outcome: BulkOutcome;
  message: string;
  status?: CaseRow['status'];
  currentStep?: CaseRow['current_step'];
}

const stepTitle = (key: CaseRow['current_step']) => `${sopStep(key).number}. ${sopStep(key).title}`;

async function mapLimit<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function runBulkDecision(
  ctx: RouteContext,
  user: { username: string; role: Role },
  action: BulkAction,
  registrationNumbers: readonly string[],
): Promise<{ items: BulkItemResult[]; summary: Record<BulkOutcome, number>; summaryText: string }> {
  const { db } = ctx;
  const rule = ACTION_RULES[action];
  const step = rule.steps[0]!;
  const cases = new Map<string, CaseRow>();
  for (const regNo of registrationNumbers) {
    const c = await findCase(db, regNo);
    if (c) cases.set(regNo, c);
  }
  const claims = await liveClaims(
    db,
    [...cases.values()].map((c) => ({ registrationNumber: c.registration_number, step: c.current_step })),
  );

  const one = async (regNo: string): Promise<BulkItemResult> => {
    const c = cases.get(regNo);
    if (!c) return { registrationNumber: regNo, outcome: 'failed', message: 'Permohonan tidak ditemukan.' };
    if (c.status !== 'IN_PROGRESS' || c.current_step !== step) {
      const where = c.status === 'IN_PROGRESS' ? `sekarang di tahap ${stepTitle(c.current_step)}` : 'permohonan sudah ditutup atau menunggu perbaikan berkas';
      return { registrationNumber: regNo, outcome: 'skipped', message: `Dilewati: tidak menunggu ${rule.title.toLowerCase()} (${where}).`, status: c.status, currentStep: c.current_step };
    }
    const claim = claims.get(regNo);
    if (claim && claim.username !== user.username) {
      return { registrationNumber: regNo, outcome: 'skipped', message: `Dilewati: sedang ditangani oleh ${claim.name ?? claim.username}.`, status: c.status, currentStep: c.current_step };
    }
    try {
      const answer = await executeCaseAction({
        db,
        temporal: ctx.temporal,
        action,
        actor: { username: user.username, role: user.role },
        // The same identity as the single decision: a bulk and a single click on one case are one Update.
        identityBody: { decision: 'approve' },
        storedBody: { decision: 'approve' },
        facts: { decision: 'approve' },
        caseRow: c,
      });
      return {
        registrationNumber: regNo,
        outcome: 'done',
        message: `Disetujui; sekarang di tahap ${stepTitle(answer.currentStep)}.`,
        status: answer.status,
        currentStep: answer.currentStep,
      };
    } catch (e) {
      if (e instanceof ApiError) return { registrationNumber: regNo, outcome: 'failed', message: `Gagal: ${e.detail}`, status: c.status, currentStep: c.current_step };
      ctx.logger.error('bulk decision failed for one case', { registrationNumber: regNo, action, error: e instanceof Error ? e.message : String(e) });
      return { registrationNumber: regNo, outcome: 'failed', message: 'Gagal karena gangguan sistem; coba lagi untuk permohonan ini.', status: c.status, currentStep: c.current_step };
    }
  };

  const items = await mapLimit(registrationNumbers, CONCURRENCY, one);
  const summary: Record<BulkOutcome, number> = { done: 0, skipped: 0, failed: 0 };
  for (const i of items) summary[i.outcome]++;
  ctx.logger.info('bulk decision', { action, by: user.username, ...summary });
  return { items, summary, summaryText: bulkSummaryText(summary) };
}

/** What the signer's TTE states for each case (names only where the access policy allows). */
export async function approvalPreview(ctx: RouteContext, req: Request, registrationNumbers: readonly string[]) {
  const user = req.user!;
  const staff = await findStaff(ctx.db, user.username);
  // The NIP the approval letter prints (the account's, else the office profile's); a placeholder such as "-" is none.
  const rawNip = staff?.nip ?? (user.role === 'kabid' ? ctx.config.office.kabid.nip : user.role === 'kadis' ? ctx.config.office.head.nip : null) ?? null;
  const nip = rawNip && /\d/.test(rawNip) ? rawNip : null;
  const signer = { name: staff?.name ?? user.name, role: user.role, roleLabel: ROLE_LABELS[user.role], nip };
  const rows = new Map<string, CaseRow>();
  for (const regNo of registrationNumbers) {
    const c = await findCase(ctx.db, regNo);
    if (c) rows.set(regNo, c);
  }
  const list = [...rows.values()];
  const shaped = new Map((await ctx.access.listItems(req, list)).map((item, i) => [list[i]!.registration_number, item]));
  return {
    signer,
    items: registrationNumbers.map((regNo) => {
      const c = rows.get(regNo);
      if (!c) return { registrationNumber: regNo, found: false, atApproval: false };
      const item = shaped.get(regNo)!;
      const holderName = 'subjectName' in item ? item.subjectName : undefined;
      return {
        registrationNumber: regNo,
        found: true,
        atApproval: c.status === 'IN_PROGRESS' && c.current_step === 'APPROVAL',
        documentType: c.document_type,
        ...(holderName ? { holderName } : {}),
        statement: approvalStatement({
          registrationNumber: regNo,
          documentType: c.document_type,
          reason: 'reason' in item && item.reason ? item.reason : null,
          holderName: holderName ?? null,
          holderNikMasked: null,
          signer,
        }),
      };
    }),
  };
}
