/** Blank stock (blangko) as a ledger: stock and movements, adding stock, stock-taking corrections, the damaged-blank report. */
import type { Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../domain/sop.js';
import { problemSchema } from '../errors.js';
import type { RouteContext } from '../app.js';
import { requireRole } from '../auth.js';
import { parseBody, parseQuery } from '../routes-public.js';
import { blanksAddSchema } from '../schemas.js';
import { adjustmentResponseSchema, adjustmentSchema, blanksAddedSchema, blanksLedgerSchema, blanksQuerySchema } from './schemas.js';
import { addBlanks, adjustBlanks, ledgerView } from './service.js';

export const BLANK_MANAGERS: readonly Role[] = ['operator', 'admin'];
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });
const idempotencyHeader = { 'Idempotency-Key': { description: 'Kunci unik agar permintaan yang dikirim ulang tidak terhitung dua kali' } };

export function registerBlankRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  const auth = requireRole(db, ctx.tokens, BLANK_MANAGERS);
  const keyOf = (header: string | undefined) => (header?.trim() ? `api:${header.trim()}` : `api:${randomUUID()}`);

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/blanks',
      operationId: 'getBlanks',
      summary: 'Stok blangko per jenis dokumen dan buku stok (mutasi terbaru)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      query: blanksQuerySchema,
      responses: { 200: { description: 'Stok dan mutasi', schema: blanksLedgerSchema } },
    },
    auth,
    async (req, res) => {
      const q = parseQuery(blanksQuerySchema, req.query);
      res.json(await ledgerView(db, ctx.config.BLANK_LOW_STOCK, q));
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/blanks',
      operationId: 'addBlanks',
      summary: 'Tambah stok blangko (permohonan yang menunggu blangko berlanjut sendiri)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      body: blanksAddSchema,
      headers: idempotencyHeader,
      responses: { 200: { description: 'Stok setelah penambahan', schema: blanksAddedSchema } },
    },
    auth,
    async (req, res) => {
      const body = parseBody(blanksAddSchema, req.body);
      res.json(
        await addBlanks(ctx, {
          documentType: body.documentType,
          quantity: body.quantity,
          note: body.note ?? null,
          actorUsername: req.user!.username,
          idempotencyKey: keyOf(req.get('idempotency-key')),
        }),
      );
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/api/blanks/adjustments',
      operationId: 'adjustBlanks',
      summary: 'Koreksi stok blangko hasil stok opname (boleh negatif, stok tidak pernah di bawah nol)',
      tags: ['petugas'],
      auth: BLANK_MANAGERS,
      body: adjustmentSchema,
      headers: idempotencyHeader,
      responses: {
        201: { description: 'Koreksi tercatat', schema: adjustmentResponseSchema },
        409: problem('Koreksi akan membuat stok di bawah nol'),
      },
    },
    auth,
    async (req, res) => {
      const body = parseBody(adjustmentSchema, req.body);
      const out = await adjustBlanks(ctx, {
        documentType: body.documentType,
        delta: body.delta,
        reason: body.reason,
        actorUsername: req.user!.username,
        idempotencyKey: keyOf(req.get('idempotency-key')),
      });
      res.status(201).json(out);
    },
  );
}
