/**
 * `GET /api/temporal-ui/cases/{regNo}`: where a supervisor (or admin) sees this case's workflow in
 * the Temporal Web UI (read-only by default, see infra/temporal-ui-proxy.ts). The console shows it
 * as a link on the case page; the workflow's details link back to the console (start options).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { SUPERVISOR_ROLES, type Role } from '../../domain/sop.js';
import { REGISTRATION_NUMBER_RE } from '../../domain/citizen.js';
import { problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';

const VIEWERS: readonly Role[] = [...SUPERVISOR_ROLES, 'admin'];
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export const temporalUiLinkSchema = z
  .object({
    url: z.string().nullable().describe('The workflow page in the Temporal Web UI; null when no UI address is configured (TEMPORAL_UI_URL)'),
  })
  .meta({ id: 'TemporalUiLink' });

/** The Web UI's page of a workflow. */
export function workflowUiUrl(uiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${uiBaseUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function registerTemporalUiRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  registry.add(
    router,
    {
      method: 'get',
      path: '/api/temporal-ui/cases/:regNo',
      operationId: 'temporalUiCaseLink',
      summary: 'Tautan alur kerja permohonan di Temporal Web UI (pengawas dan admin)',
      tags: ['petugas'],
      auth: VIEWERS,
      params: { regNo: { description: 'Nomor registrasi', schema: z.string().regex(REGISTRATION_NUMBER_RE) } },
      responses: { 200: { description: 'Tautan', schema: temporalUiLinkSchema }, 403: problem('Bukan pengawas atau admin') },
    },
    requireRole(db, ctx.tokens, VIEWERS),
    (req, res) => {
      const base = ctx.temporalUiUrl;
      res.json({ url: base ? workflowUiUrl(base, ctx.config.TEMPORAL_NAMESPACE, String(req.params.regNo)) : null });
    },
  );
}
