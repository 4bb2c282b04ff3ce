/** The privacy notice shown on /ajukan before the consent checkbox (SPEC §9). */
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../context.js';
import { privacyNotice } from '../../domain/privacy.js';


export const privacyNoticeSchema = z
  .object({
    version: z.string(),
    title: z.string(),
    sections: z.array(z.object({ heading: z.string(), body: z.string() })),
    consentLabel: z.string(),
    guardianLabel: z.string(),
    retentionDays: z.number(),
  })
  .meta({ id: 'PrivacyNotice' });

export function registerPrivacyRoutes(router: Router, ctx: RouteContext): void {
  const notice = {
    ...privacyNotice({ officeName: ctx.config.office.name, dpoContact: ctx.config.OFFICE_DPO_CONTACT, retentionDays: ctx.config.RETENTION_DAYS }),
    retentionDays: ctx.config.RETENTION_DAYS,
  };
  ctx.registry.add(
    router,
    {
      method: 'get',
      path: '/api/privacy-notice',
      operationId: 'privacyNotice',
      summary: 'Pemberitahuan pelindungan data pribadi (versi yang dicatat bersama permohonan)',
      tags: ['publik'],
      auth: null,
      responses: { 200: { description: 'Teks pemberitahuan dan versinya', schema: privacyNoticeSchema } },
    },
    (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(notice);
    },
  );
}
