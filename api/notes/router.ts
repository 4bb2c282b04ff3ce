/**
 * Internal notes on a case: any staff member may add one; it appears in the timeline (type NOTE)
 * with its author. The text is stored as an action body (`action_inputs`, action `note`) and the
 * timeline event carries only its id, like every other free text (the archive manifest and
 * Temporal never see it); the timeline shows it under `personalText.text`.
 */
import type { Router } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { findCase } from '../../db/repositories/cases.js';
import { saveActionInput } from '../../db/repositories/action-inputs.js';
import { ApiError, problemSchema } from '../errors.js';
import type { RouteContext } from '../context.js';
import { requireRole } from '../auth.js';
import { parseBody, regNoParam } from '../routes-public.js';

export const noteSchema = z
  .object({
    text: z
      .string({ error: 'Catatan wajib diisi' })
      .trim()
      .min(3, { error: 'Catatan minimal 3 karakter' })
      .max(1000, { error: 'Catatan maksimal 1000 karakter' })
      .meta({ title: 'Catatan internal' }),
  })
  .strict()
  .meta({ id: 'NoteRequest', title: 'Catatan internal' });

const noteResponseSchema = z
  .object({ registrationNumber: z.string(), id: z.string(), at: z.string(), author: z.object({ username: z.string(), name: z.string(), role: z.string() }) })
  .meta({ id: 'NoteCreated' });
const problem = (description: string) => ({ description, schema: problemSchema, contentTypes: ['application/problem+json'] });

export function registerNoteRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db } = ctx;
  registry.add(
    router,
    {
      method: 'post',
      path: '/api/applications/:regNo/notes',
      operationId: 'addNote',
      summary: 'Tambah catatan internal pada linimasa permohonan',
      tags: ['petugas'],
      auth: 'any',
      params: { regNo: { description: 'Nomor registrasi BP-YYYYMMDD-NNNNN' } },
      body: noteSchema,
      headers: { 'Idempotency-Key': { description: 'Kunci unik agar catatan yang dikirim ulang tidak tercatat dua kali' } },
      responses: { 201: { description: 'Catatan tercatat', schema: noteResponseSchema }, 404: problem('Permohonan tidak ditemukan') },
    },
    requireRole(db, ctx.tokens, 'any'),
    async (req, res) => {
      const regNo = regNoParam(req);
      const body = parseBody(noteSchema, req.body);
      const c = await findCase(db, regNo);
      if (!c) throw ApiError.notFound('Permohonan tidak ditemukan.');
      const user = req.user!;
      const key = req.get('idempotency-key')?.trim();
      // A retried request with the same key stores one note (the id is derived from it).
      const id = key ? uuidFrom(`note:${regNo}:${user.username}:${key}`) : randomUUID();
      const at = new Date();
      await db.transaction().execute(async (trx) => {
        await saveActionInput(trx, { id, registrationNumber: regNo, action: 'note', actorUsername: user.username, actorRole: user.role, body: { text: body.text } });
        await trx
          .insertInto('case_events')
          .values({ registration_number: regNo, event_key: `note:${id}`, type: 'NOTE', step_key: c.current_step, actor_username: user.username, actor_role: user.role, data: JSON.stringify({ inputId: id }), at })
          .onConflict((oc) => oc.columns(['registration_number', 'event_key']).doNothing())
          .execute();
      });
      const ev = await db.selectFrom('case_events').select('at').where('registration_number', '=', regNo).where('event_key', '=', `note:${id}`).executeTakeFirstOrThrow();
      res.status(201).json({ registrationNumber: regNo, id, at: new Date(ev.at).toISOString(), author: { username: user.username, name: user.name, role: user.role } });
    },
  );
}

function uuidFrom(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
