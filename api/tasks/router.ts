/** GET /api/tasks: the task list of a working day (filters, sort orders, who is handling what, bulk decisions offered). */
import type { Router } from 'express';
import { SOP_ROLES, TASK_WAITING_EXCLUDED, TASK_WAITING_EXTRA } from '../../domain/sop.js';
import { bulkActionsOf, taskStepsOf } from '../../domain/task-list.js';
import { queryTasks } from '../../db/repositories/task-list.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseQuery } from '../routes-public.js';
import { claimView } from '../claims/service.js';
import { tasksQuerySchema, tasksResponseSchema } from './schemas.js';

export function registerTaskRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  registry.add(
    router,
    {
      method: 'get',
      path: '/api/tasks',
      operationId: 'tasks',
      summary: 'Tugas saya: permohonan di tahap milik peran saya, dengan filter, urutan dan siapa yang sedang menangani',
      description:
        'Nama pemohon hanya untuk peran yang boleh melihatnya (SPEC §9). `claim` menyebut petugas yang sedang menangani (POST /api/claims/{regNo}). ' +
        '`bulkActions`: keputusan yang boleh diambil sekaligus untuk beberapa tugas (POST /api/bulk/decisions).',
      tags: ['petugas'],
      auth: SOP_ROLES,
      query: tasksQuerySchema,
      responses: { 200: { description: 'Daftar tugas', schema: tasksResponseSchema } },
    },
    requireRole(db, ctx.tokens, SOP_ROLES),
    async (req, res) => {
      const q = parseQuery(tasksQuerySchema, req.query);
      const user = req.user!;
      const rows = await queryTasks(db, {
        steps: taskStepsOf(user.role),
        also: TASK_WAITING_EXTRA[user.role],
        except: TASK_WAITING_EXCLUDED[user.role],
        step: q.step,
        district: q.district,
        documentType: q.documentType,
        overdue: q.overdue,
        claim: q.claim,
        username: user.username,
        sort: q.sort,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const shaped = await ctx.access.listItems(req, page);
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        items: shaped.map((item, i) => {
          const r = page[i]!;
          return { ...item, claim: r.claim_username ? claimView({ username: r.claim_username, name: r.claim_name, claimedAt: new Date(r.claimed_at!) }, user.username) : null };
        }),
        truncated: rows.length > q.limit,
        bulkActions: bulkActionsOf(user.role),
      });
    },
  );
}
